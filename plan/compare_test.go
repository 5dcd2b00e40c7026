package plan_test

import (
	"math"
	"testing"
	"time"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
)

// A run 25% behind its plan at the end of 2027, with the grid holding
// back 10 MW a week from week 60 and racks 5 MW: the divergence is named
// at the last week, and charged to the grid for the weeks since the end
// of 2026 (44 weeks × 10 MW).
func TestCompareNamesFirstDivergence(t *testing.T) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	m := &sim.Model{Start: start, Weeks: 104, Lines: []sim.Line{{Name: "grid"}, {Name: "racks"}}}
	r := &sim.Result{Model: m, HeldBack: make([]float64, 104*2)}
	for w := range 104 {
		online := 100.0
		if w >= 60 {
			online = 150
			r.HeldBack[w*2] = 10
			r.HeldBack[w*2+1] = 5
		}
		r.Weeks = append(r.Weeks, sim.Week{Week: w, Date: start.AddDate(0, 0, 7*w), OnlineMW: online})
	}
	pl := &plan.Plan{StartDate: "2026-01-05", Periods: []plan.Period{{Week: 0, OnlineMW: 100}, {Week: 60, OnlineMW: 100}}}
	c := pl.Compare(r)
	if len(c.Online) != 2 || c.Online[0].At != "end 2026" || c.Online[0].DiffShare != 0 {
		t.Fatalf("online rows %+v, want end 2026 on plan, then the horizon's end", c.Online)
	}
	d := c.First
	if d == nil {
		t.Fatal("no divergence found, want one at the horizon's end")
	}
	if d.At != "end (2027-12-27)" || math.Abs(d.DiffShare+0.25) > 1e-12 || d.Line != "grid" || d.HeldBackMWWeeks != 440 {
		t.Errorf("divergence %+v, want end (2027-12-27), −25%%, grid with 440 MW·weeks", d)
	}
	// Within the tolerance there is none.
	r.Weeks[103].OnlineMW = 185
	if c := pl.Compare(r); c.First != nil {
		t.Errorf("divergence %+v at −7.5%%, want none within %v", c.First, plan.DivergenceTolerance)
	}
}
