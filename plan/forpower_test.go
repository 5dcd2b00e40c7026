package plan_test

import (
	"testing"
	"time"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
)

// powerModel: a 2-week stage that secures power, 10 MW/week wanted for 20
// weeks, from the grid ($5 per MW) or engines ($8 per MW), both plentiful
// with no lead time; a large power transformer ($1,000, 0.01 per grid MW)
// is needed for the MW the limit allows (nil: every source).
func powerModel(lptFor []bool) *sim.Model {
	return &sim.Model{
		Name: "power", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Weeks: 20,
		TargetMWpw: 10, InitialMWpw: 10, SizeMW: 1, PUE: 1, Capital: -1,
		Stages: []sim.Stage{{Name: "build", Weeks: 2, SecuresPower: true,
			Needs: []sim.Need{{Line: 3, Amount: 0.01, Basis: sim.PerGridMW, Power: lptFor}}}},
		Generations: []sim.Generation{{Name: "g", KWPerAccelerator: 1, PerRack: 1}},
		Lines: []sim.Line{
			{Name: "accelerators", Kind: sim.Accelerator, Unit: "accelerator", WeeklyGrowth: 1, Share: 1},
			{Name: "grid", Layer: "power", Kind: sim.Power, Unit: "MW", Capacity: 1000, WeeklyGrowth: 1, Share: 1, UnitCostUSD: 5, MaxMix: 1},
			{Name: "engines", Layer: "power", Kind: sim.Power, Unit: "MW", Capacity: 1000, WeeklyGrowth: 1, Share: 1, UnitCostUSD: 8, MaxMix: 1},
			{Name: "lpt", Layer: "electrical", Kind: sim.Material, Unit: "unit", Capacity: 1000, WeeklyGrowth: 1, Share: 1, UnitCostUSD: 1000},
		},
		PowerLines: []int{1, 2},
		Accel:      0,
	}
}

// With transformers needed for every source, the grid costs $5 + $10 of
// transformer per MW and engines $8 + $10: the plan takes the grid. With
// transformers needed for grid power only (for_power), the grid costs $15
// and engines $8: the plan takes engines and buys no transformers.
func TestHandNeedForPower(t *testing.T) {
	for _, c := range []struct {
		name          string
		mask          []bool
		source        string
		perMW, lptUSD float64
	}{
		{"all sources", nil, "grid", 15, 10},
		{"grid only", []bool{true, false}, "engines", 8, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl, err := plan.Solve(t.Context(), powerModel(c.mask), weekly, solver(t))
			if err != nil {
				t.Fatal(err)
			}
			mw := 0.0
			for _, p := range pl.Periods {
				mw += p.OnlineMW
			}
			near(t, "shortfall", pl.ShortfallMW, 20)
			near(t, "capex", pl.CapexUSD, mw*c.perMW)
			for _, s := range pl.PowerMix {
				if want := map[bool]float64{true: mw, false: 0}[s.Source == c.source]; s.MW != want {
					t.Errorf("%s: %v MW, want %v", s.Source, s.MW, want)
				}
			}
			layer := map[string]float64{}
			for _, l := range pl.CostByLayer {
				layer[l.Layer] += l.CostUSD
			}
			near(t, "electrical (transformers)", layer["electrical"], mw*c.lptUSD)
			near(t, "power", layer["power"], mw*(c.perMW-c.lptUSD))
		})
	}
}
