package plan

import (
	"math"
	"testing"

	"github.com/gwf-project/gwf/plan/lp"
)

// The gap by hand, on the figures of the weekly MIP in issue 14: objective
// $122.5T, of which $117T is the shortfall penalty (117,000 MW × $1B), so
// the cost part is $5.5T; best bound $212B below the objective. The gap is
// $212B, 212/5,500 = 3.855% of the cost, where relative to the whole
// objective it is 212/122,500 = 0.173% (and cbc printed "Gap: 0.00").
func TestGapArithmetic(t *testing.T) {
	sol := lp.Solution{Status: lp.Stopped, Objective: 122.5e12}
	sol.SetBound(122.5e12 - 212e9)
	pl := &Plan{ObjectiveUSD: sol.Objective, PenaltyUSDPerMW: 1e9, ShortfallMW: 117_000}
	pl.setGap(&sol)
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.12g, want %.12g", what, got, want)
		}
	}
	near("gap USD", pl.GapUSD, 212e9)
	near("gap of cost", pl.GapOfCost, 212.0/5500)
	near("gap of objective", pl.Gap, 212.0/122500)
	// Proven optimal: no gap at all.
	opt := lp.Solution{Status: lp.Optimal, Objective: 5}
	opt.SetBound(5)
	pl.setGap(&opt)
	if pl.GapUSD != 0 || pl.GapOfCost != 0 || pl.Gap != 0 {
		t.Errorf("optimal: gap %g, %g, %g", pl.GapUSD, pl.GapOfCost, pl.Gap)
	}
	// No cost part (all shortfall): the dollars, no share.
	if g := GapShare(1e9, 5e12, 5e12); g != 0 {
		t.Errorf("share of no cost = %g", g)
	}
	// A bound above the objective (solver rounding) is no gap.
	up := lp.Solution{Objective: 10}
	up.SetBound(10.000001)
	if up.Gap != 0 || up.Bound != 10 {
		t.Errorf("bound above objective: %+v", up)
	}
}
