package cbc

import (
	"math"
	"testing"
)

func TestGapFromLog(t *testing.T) {
	stopped := "Result - Stopped on time limit\n\nObjective value:                12.00000000\nLower bound:                    10.000\nGap:                            0.20\nEnumerated nodes:               7\n"
	noGap := "Result - Stopped on time limit\n\nObjective value:                12.00000000\nLower bound:                    9.000\n"
	optimal := "Result - Optimal solution found\n\nObjective value:                4.00000000\nEnumerated nodes:               0\n"
	for _, tc := range []struct {
		log  string
		obj  float64
		want float64
	}{{stopped, 12, 0.2}, {noGap, 12, 0.25}, {optimal, 4, 0}, {"", 1, 0}} {
		if got := gap(tc.log, tc.obj); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("gap(%q) = %g, want %g", tc.log, got, tc.want)
		}
	}
}
