package plan_test

import (
	"math"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// Whole costs (testdata/wholecost.yaml): every capex item the simulation
// books is in the plan — the recipe's lines, power, and the finance.capex
// items (land at the site stage, the building at the build stage). A MW
// costs $0.1M + $7M + $10k + $150k + $20M = $27.26M, all of it in the
// plan's capex, its cost by layer and its capex by year.
//
// Every line is plentiful, there is no deposit and no learning, and the
// plan is weekly and of whole projects, so the simulation following it
// starts the same projects in the same weeks and pays each input on
// delivery, in the week its stage starts, as the plan does. The
// tolerance is therefore floating-point rounding only: each year's capex,
// and each layer's, within 1e-9 of the year's (layer's) capex, relative.
// (Deposits, a binding line or monthly periods would move payments
// between weeks; they are not in this test.)
func TestWholeCostsMatchSimulation(t *testing.T) {
	const perMW = 0.1e6 + 7e6 + 10e3 + 150e3 + 20e6
	const tol = 1e-9
	m := loadModel(t, "testdata/wholecost.yaml")
	opt := plan.Options{Period: plan.Week, Integer: true, DiscountRate: -1}
	pl, err := plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	online := 0.0
	for _, p := range pl.Periods {
		online += p.OnlineMW
	}
	if online < 1000 {
		t.Fatalf("the plan brings only %.0f MW online; the test wants a ramp", online)
	}
	near(t, "undiscounted capex", pl.CapexUSD, online*perMW)
	layers := map[string]float64{}
	for _, c := range pl.CostByLayer {
		layers[c.Layer] = c.CostUSD
	}
	near(t, "land", layers["land"], online*0.1e6)
	near(t, "building", layers["building"], online*7e6)

	f := plan.NewFollower(pl)
	r := sim.Run(m, f)
	for _, v := range r.Invariants {
		t.Errorf("invariant: %s", v)
	}
	if got := r.Weeks[len(r.Weeks)-1].OnlineMW; got != online {
		t.Fatalf("the simulation has %.0f MW online, the plan %.0f: it did not follow the plan", got, online)
	}
	years := pl.CompareCapex(r)
	if len(years) != 2 {
		t.Fatalf("capex in %d years, want 2 (2026, 2027): %+v", len(years), years)
	}
	for _, y := range years {
		t.Logf("%d: plan $%.6gB, simulated $%.6gB", y.Year, y.PlanUSD/1e9, y.SimUSD/1e9)
		if math.Abs(y.PlanUSD-y.SimUSD) > tol*math.Max(1, y.SimUSD) {
			t.Errorf("%d: plan capex $%.2f, simulated $%.2f", y.Year, y.PlanUSD, y.SimUSD)
		}
	}
	// By layer over the horizon: the plan's (undiscounted here) against
	// the simulation's capex by bucket.
	for i, b := range m.CapexBuckets() {
		layer := b.Layer
		if layer == "" {
			layer = b.Name
		}
		if got := r.CapexByBucket[i]; math.Abs(layers[layer]-got) > tol*math.Max(1, got) {
			t.Errorf("layer %s: plan $%.2f, simulated $%.2f", layer, layers[layer], got)
		}
	}
}

// The capex items are discounted like the rest: at 8%/year the plan's
// discounted capex is the undiscounted capex of each period discounted to
// its first week, 365.2425/7 weeks a year (weekly periods: every payment is in its period's
// first week), building and land included.
func TestWholeCostsDiscounted(t *testing.T) {
	m := loadModel(t, "testdata/wholecost.yaml")
	pl, err := plan.Solve(t.Context(), m, plan.Options{Period: plan.Week}, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, p := range pl.Periods {
		want += p.CapexUSD * math.Pow(1.08, -float64(p.Week)/units.WeeksPerYear)
	}
	near(t, "discounted capex", pl.CapexUSD, want)
	total := 0.0
	for _, c := range pl.CostByLayer {
		total += c.CostUSD
	}
	near(t, "cost by layer, summed", total, pl.CapexUSD)
}
