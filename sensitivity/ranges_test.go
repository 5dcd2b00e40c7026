package sensitivity_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// verdict is what the reference answers: the date the target rate is
// first sustained, the date 10 GW are online, and the IT capacity online
// at the end.
type verdict struct {
	sustained, tenGW int
	endMW            float64
}

func verdictOf(t *testing.T, sc *scenario.Scenario) verdict {
	t.Helper()
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	r := sim.Run(m, sim.NewController())
	v := verdict{sustained: summary.RunRateMilestones(r).Sustained, tenGW: -1}
	for _, w := range r.Weeks {
		if v.tenGW < 0 && w.OnlineMW >= 10000 {
			v.tenGW = w.Week
		}
	}
	v.endMW = r.Weeks[len(r.Weeks)-1].OnlineMW
	return v
}

// notInputs are reference values that are not uncertain inputs: the
// question asked (the target), the run's frame, and choices the user makes.
var notInputs = []string{
	"seed", "horizon", "target.", "policy.", "start_date",
	"initial.", // the starting position: recorded, with sources
	"missions.", "allocation.",
}

// TestVerdictValuesHaveRanges checks that every value of the reference
// that moves its verdict carries a range, so gwf sensitivity and gwf mc
// can rank and sample it: each number written as a single value is moved
// 25% down and up (fractions within 0–100%), and if either run moves the
// date the target rate is sustained or the 10 GW date by more than two
// quarters, or the capacity online at the end by more than 10%, the value
// must be a distribution instead. (Smaller moves are within what a whole
// project more or less does to a run.)
func TestVerdictValuesHaveRanges(t *testing.T) {
	if testing.Short() {
		t.Skip("two runs for each of several hundred values")
	}
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	base := verdictOf(t, sc)
	entries := sc.Entries()
	for k, e := range entries {
		if e.Value == nil || e.Value.Dist != nil || e.Value.V == 0 || skipped(e.Path) || identity(e.Value) {
			continue
		}
		for _, f := range []float64{0.75, 1.25} {
			c := sc.Clone()
			v := c.Entries()[k].Value
			v.V *= f
			if v.Q.Dim == units.Fraction && e.Value.V <= 1 {
				v.V = math.Min(v.V, 1)
			}
			v.Q.Value = v.V
			got := verdictOf(t, c)
			moved := math.Abs(got.endMW-base.endMW) > 0.1*base.endMW ||
				(got.tenGW < 0) != (base.tenGW < 0) || absInt(got.tenGW-base.tenGW) > 26 ||
				(got.sustained < 0) != (base.sustained < 0) || absInt(got.sustained-base.sustained) > 26
			if moved {
				t.Errorf("%s (%s) moves the verdict without a range: ×%.2f gives 10 GW in week %d (base %d), %.0f MW at the end (base %.0f)",
					e.Path, e.Value.Text, f, got.tenGW, base.tenGW, got.endMW, base.endMW)
				break
			}
		}
	}
}

// identity reports a need that only names what a recipe is made of, such
// as one accelerator per accelerator: a definition, not an estimate.
func identity(v *scenario.Value) bool {
	return v.Q.Dim == units.Intensity && v.Q.Of == v.Q.Per && v.V == 1
}

func skipped(path string) bool {
	for _, p := range notInputs {
		if path == strings.TrimSuffix(p, ".") || strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
