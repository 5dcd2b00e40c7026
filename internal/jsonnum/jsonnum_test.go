package jsonnum

import (
	"math"
	"testing"
)

func TestMarshal(t *testing.T) {
	cases := map[float64]string{
		0: "0", 1: "1", 1.5: "1.5", 1.0 / 3: "0.333333", -1e-12: "0", 123456789.123456789: "123456789.123",
		453600000.000001: "453600000", 1e21: "1000000000000000000000", math.NaN(): "null", math.Inf(-1): "null",
	}
	for in, want := range cases {
		if got := string(Marshal(in)); got != want {
			t.Errorf("Marshal(%v) = %s, want %s", in, got, want)
		}
	}
}
