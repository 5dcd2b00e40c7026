package jsonnum

import (
	"math"
	"math/rand/v2"
	"strconv"
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

// slow is Marshal without its shortcut for whole numbers: every number
// through the twelve-digit rounding.
func slow(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	f = math.Round(f*1e6) / 1e6
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if f == 0 {
		f = 0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// The shortcut for whole numbers writes what the full rounding writes: on
// whole numbers of every size around its bound of 1e12, their
// neighbours, fractions that round to whole numbers, and random values.
func TestWholeNumbersAsRounded(t *testing.T) {
	check := func(f float64) {
		if got, want := string(Marshal(f)), slow(f); got != want {
			t.Fatalf("Marshal(%v) = %s, want %s", f, got, want)
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 1e11, 1e12 - 1, 1e12, 1e12 + 1, -1e12 + 1, 999999999999.5, 4503599627370496, 1e15, 0.0000004, -0.0000004, 2.9999999, 1e300} {
		check(f)
		check(math.Nextafter(f, math.Inf(1)))
		check(math.Nextafter(f, math.Inf(-1)))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 250_000 {
		var f float64
		switch i % 4 {
		case 0:
			f = float64(r.Int64N(2e12) - 1e12) // whole, up to the bound
		case 1:
			f = math.Float64frombits(r.Uint64())
		case 2:
			f = float64(r.Int64N(1e9)) / 1000
		default:
			f = r.ExpFloat64() * math.Pow(10, float64(r.IntN(30)-10))
		}
		check(f)
		check(-f)
	}
}
