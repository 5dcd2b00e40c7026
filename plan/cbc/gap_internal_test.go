package cbc

import (
	"math"
	"testing"

	"github.com/gwf-project/gwf/plan/lp"
)

// The gap is computed from the objective and the bound cbc reports, not
// read from its two-decimal "Gap:" line: objective 122.5, bound 122.29,
// gap 0.21 = 0.1714…%, which cbc prints as "Gap: 0.00".
func TestBoundFromLog(t *testing.T) {
	rounded := "Result - Stopped on time limit\n\nObjective value:                122.50000000\nLower bound:                    122.290\nGap:                            0.00\nEnumerated nodes:               7\n"
	partial := "Cbc0005I Partial search - best objective 12 (best possible 9.5), took 10 iterations and 0 nodes (1.2 seconds)\n"
	for _, tc := range []struct {
		log       string
		obj, want float64
	}{{rounded, 122.5, 0.21 / 122.5}, {partial, 12, 2.5 / 12}, {"Result - Optimal solution found\n", 4, 0}, {"", 1, 0}} {
		sol := lp.Solution{Objective: tc.obj}
		sol.SetBound(bound(tc.log))
		if math.Abs(sol.Gap-tc.want) > 1e-12 {
			t.Errorf("gap from %q = %g, want %g", tc.log, sol.Gap, tc.want)
		}
	}
}
