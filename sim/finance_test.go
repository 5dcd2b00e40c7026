package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// withFinance is tiny with ample power and a finance section appended.
func withFinance(t *testing.T, finance string) *sim.Model {
	t.Helper()
	src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1)
	src = strings.Replace(src, "horizon: 40 weeks", "horizon: 120 weeks", 1)
	return compile(t, src+finance)
}

// A fixed revenue stream: one 100 MW project online in week 10 earning
// $1M a week and costing $0.2M a week to run; nothing else moves money, so
// cash is $10M until then and grows by $0.8M a week from week 10 on.
func TestFixedRevenueCashCurve(t *testing.T) {
	perMWYear := 1e6 / 100 * units.WeeksPerYear
	opsMWYear := 0.2e6 / 100 * units.WeeksPerYear
	m := withFinance(t, `
finance:
  cash: $10M
  operations: {value: "$`+units.FormatNumber(opsMWYear, 6)+`/MW-year"}
  revenue: {per_mw_year: "$`+units.FormatNumber(perMWYear, 6)+`/MW-year", utilisation: 100%}
`)
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	for _, w := range r.Weeks {
		want := 10e6
		if w.Week >= 10 {
			want += 0.8e6 * float64(w.Week-9)
		}
		if math.Abs(w.CashUSD-want) > 0.01 {
			t.Fatalf("week %d: cash %.2f, want %.2f", w.Week, w.CashUSD, want)
		}
	}
}

// equityBound is a finance section in which only equity pays: each
// project's build costs $100M when it starts, and $100M of equity comes
// each year.
const equityBound = `
finance:
  capex:
    build: {stage: build, cost: $1M/MW}
  equity: {per_year: $100M}
`

// Capital binds: each project's build costs $100M when it starts, there is
// no cash or debt, and equity is $100M a year. One project can start per
// year, so projects come online in weeks 10, 62 and 114, with capital named
// as the bottleneck while the others wait.
func TestCapitalSlowsRamp(t *testing.T) {
	m := withFinance(t, equityBound)
	r := sim.Run(m, &everyWeek{})
	checkInvariants(t, r)
	got := onlineWeeks(r)
	want := []int{10, 62, 114}
	if len(got) != len(want) {
		t.Fatalf("online weeks %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("online weeks %v, want %v", got, want)
		}
	}
	if b := r.Weeks[20].Bottleneck; b != m.Capital {
		t.Errorf("week 20 bottleneck %d, want capital (%d)", b, m.Capital)
	}
	for _, w := range r.Weeks {
		if w.CashUSD < -0.01 {
			t.Fatalf("week %d: cash %.2f went negative", w.Week, w.CashUSD)
		}
	}
}

// The reference balances its cash to the cent every week and never goes
// negative (checked by the engine's invariants).
func TestReferenceCashBalances(t *testing.T) {
	m := reference(t)
	if m.Finance == nil {
		t.Fatal("the reference has no finance section")
	}
	r := sim.Run(m, sim.NewController())
	checkInvariants(t, r)
	revenue := 0.0
	for _, w := range r.Weeks {
		revenue += w.RevenueUSD
	}
	if revenue <= 0 {
		t.Error("the reference earned nothing")
	}
	for _, w := range r.Weeks {
		if w.OverdrawnUSD > 0 {
			t.Fatalf("week %d: the reference's median run is overdrawn by %.2f", w.Week, w.OverdrawnUSD)
		}
	}
	// Capex reported by heading adds up to capex paid week by week.
	byBucket, weekly := 0.0, 0.0
	for _, v := range r.CapexByBucket {
		byBucket += v
	}
	for _, w := range r.Weeks {
		weekly += w.CapexUSD
	}
	if math.Abs(byBucket-weekly) > 1e-6*weekly {
		t.Errorf("capex by heading %.2f != weekly capex %.2f", byBucket, weekly)
	}
}

func reference(t *testing.T) *sim.Model {
	t.Helper()
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Missions share the online compute: one 100 MW project of 1 kW, 1 PFLOP/s
// accelerators is 1e20 FLOP/s; a 50 EFLOP/s mission and a 100 MW mission
// (1e20 FLOP/s at this fleet) split it max-min fairly: 5e19 each.
func TestMissionsShareCompute(t *testing.T) {
	m := withFinance(t, `
missions:
  small: {kind: inference, demand: {compute: 50 EFLOP/s}}
  big: {kind: training, demand: {power: 100 MW}}
`)
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	w := 10 // online in week 10
	if r.Weeks[w].OnlineFLOPS != 1e20 {
		t.Fatalf("online FLOP/s %g, want 1e20", r.Weeks[w].OnlineFLOPS)
	}
	for k, want := range []float64{5e19, 5e19} {
		if got := r.Missions[k].Served[w]; math.Abs(got-want) > 1 {
			t.Errorf("mission %d served %g, want %g", k, got, want)
		}
	}
	if got := r.Missions[1].Demand[w]; math.Abs(got-1e20) > 1 {
		t.Errorf("big's demand %g, want 1e20", got)
	}
	if r.Missions[0].Served[w-1] != 0 {
		t.Errorf("served before anything was online")
	}
}

// A run that records only its weeks gives exactly the weeks of a full run.
func TestWeeksOnlyMatchesFullRun(t *testing.T) {
	m := reference(t)
	full := sim.Run(m, sim.NewController())
	light := sim.RunWith(m, sim.NewController(), sim.Options{WeeksOnly: true})
	checkInvariants(t, light)
	if len(light.Projects) != 0 || len(light.Lines) != 0 {
		t.Error("a weeks-only run kept its project log or line series")
	}
	for w := range full.Weeks {
		if full.Weeks[w] != light.Weeks[w] {
			t.Fatalf("week %d differs:\nfull  %+v\nlight %+v", w, full.Weeks[w], light.Weeks[w])
		}
	}
}
