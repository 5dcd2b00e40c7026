package plan_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// handStart is handModel(10) as a scenario: one line "widget" (1 per MW,
// lead time 3 weeks, $100 each, 10 a week) feeding one 2-week stage, 20
// weeks, 10 MW/week wanted, 1 MW projects, free power at once; %INITIAL% is replaced by an
// initial section (or nothing).
const handStart = `
name: hand-start
start_date: 2026-01-05
horizon: 20 weeks
target: {rate: 10 MW/week, initial_rate: 10 MW/week, by: 2026-06-01}
project:
  size: 1 MW
  pue: "1.0"
  stages:
    build:
      duration: 2 weeks
      secures_power: true
      needs:
        widget: 1 units/MW
generations:
  g1: {available: 2025-01-01, power_per_accelerator: 1 kW, compute_per_accelerator: 1 PFLOP/s, accelerators_per_rack: 10 accelerators}
resources:
  accelerators: {kind: accelerator, unit: accelerator, capacity: 1000000 accelerators/week, share: 100%, lead_time: 0 weeks}
  grid: {kind: power, unit: MW, capacity: 1000000 MW/week, share: 100%, lead_time: 0 weeks, max_mix: 100%}
  widget: {kind: material, unit: unit, capacity: 10 units/week, share: 100%, lead_time: 3 weeks, unit_cost: $100}
%INITIAL%`

const (
	fleet = `
initial:
  online:
    old_fleet: {generation: g1, capacity: 300 MW, since: 2025-06-02}
`
	fleetAndCampus = fleet + `  projects:
    campus: {size: 20 MW, started: 2025-12-08}
`
)

func compileSrc(t *testing.T, src string) *sim.Model {
	t.Helper()
	sc, err := scenario.Parse("hand.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func handStartModel(t *testing.T, initial string) *sim.Model {
	return compileSrc(t, strings.Replace(handStart, "%INITIAL%", initial, 1))
}

// newMW sums the new MW the plan brings online (one widget each here).
func newMW(pl *plan.Plan) float64 {
	t := 0.0
	for _, p := range pl.Periods {
		t += p.OnlineMW
	}
	return t
}

// The starting state in the LP, by hand. Without it the plan brings 10 MW
// online each week from week 5 (150 MW, 150 widgets used in weeks 3–17,
// $15,000) and is short 10 MW in each of weeks 0–4 (TestHandJustReachable).
//
// A fleet of 300 MW online changes nothing the plan builds: the target is
// a rate of MW added, as in the simulation's milestones. It is in the MW
// planned online from week 0.
//
// A 20 MW campus under way whose build has not started orders its 20
// widgets at the start; they are due in week 3 and take the whole of the
// widget line in weeks 3 and 4 (10 a week), so its build runs weeks 4–5
// and it is online in week 6. The plan then cannot bring anything online
// in weeks 5 and 6 (their widgets would be used in weeks 3 and 4): week 5
// is short 10 MW, week 6 is met by the campus. It builds 130 MW with 130
// widgets for $13,000: exactly the campus's 20 MW and 20 widgets less.
func TestHandStartingState(t *testing.T) {
	s := solver(t)
	base, err := plan.Solve(t.Context(), handStartModel(t, ""), weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if base.Start != nil {
		t.Errorf("starting state %+v without initial", base.Start)
	}
	near(t, "new MW, empty world", newMW(base), 150)
	near(t, "shortfall, empty world", base.ShortfallMW, 50)
	near(t, "capex, empty world", base.CapexUSD, 15000)

	// A fleet alone: the same build, 300 MW more online.
	pl, err := plan.Solve(t.Context(), handStartModel(t, fleet), weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Start == nil || pl.Start.FleetMW != 300 || pl.Start.UnderWayMW != 0 {
		t.Fatalf("starting state %+v, want 300 MW online, nothing under way", pl.Start)
	}
	near(t, "new MW with a fleet", newMW(pl), 150)
	near(t, "shortfall with a fleet", pl.ShortfallMW, 50)
	near(t, "capex with a fleet", pl.CapexUSD, 15000)
	near(t, "planned online in week 0", pl.PlannedOnline(0), 300)
	near(t, "planned online at the end", pl.PlannedOnline(19), 450)

	// A fleet and a campus under way.
	m := handStartModel(t, fleetAndCampus)
	c, err := plan.CommittedPipeline(m)
	if err != nil {
		t.Fatal(err)
	}
	widget := m.LineIndex("widget")
	for w := range m.Weeks {
		wantUsed, wantAdded := 0.0, 0.0
		if w == 3 || w == 4 {
			wantUsed = 10
		}
		if w == 6 {
			wantAdded = 20
		}
		used := 0.0
		if c.Used[widget] != nil {
			used = c.Used[widget][w]
		}
		near(t, "committed widgets in week "+strconv.Itoa(w), used, wantUsed)
		near(t, "committed MW added in week "+strconv.Itoa(w), c.AddedMW[w], wantAdded)
	}
	pl, err = plan.Solve(t.Context(), m, weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Start == nil || pl.Start.FleetMW != 300 || pl.Start.UnderWayMW != 20 || pl.Start.CommittedMW != 20 || pl.Start.Projects != 1 {
		t.Fatalf("starting state %+v, want 300 MW online, 20 MW under way and online", pl.Start)
	}
	for _, p := range pl.Periods {
		want, short, committed := 10.0, 0.0, 0.0
		switch {
		case p.Week < 5:
			want, short = 0, 10
		case p.Week == 5:
			want, short = 0, 10
		case p.Week == 6:
			want, committed = 0, 20
		}
		near(t, "new MW online in week "+p.Label, p.OnlineMW, want)
		near(t, "shortfall in week "+p.Label, p.ShortfallMW, short)
		near(t, "committed MW in week "+p.Label, p.CommittedMW, committed)
	}
	near(t, "new MW", newMW(pl), newMW(base)-20)
	near(t, "widgets used (= new MW)", pl.CapexUSD/100, 150-20)
	near(t, "shortfall", pl.ShortfallMW, 60)
	near(t, "planned online at the end", pl.PlannedOnline(19), 300+20+130)
	if !strings.HasPrefix(pl.Start.Text, "Starting state: 300 MW online, 20 MW under way (committed pipeline simulated") {
		t.Errorf("text %q", pl.Start.Text)
	}
}

// The committed pipeline's money is in the funding rows: with $5,000 of
// cash, nothing else, the campus's 20 widgets ($2,000, paid on delivery)
// leave $3,000 for the plan's widgets: 30 MW (short 120 over weeks 5–19
// where without the campus the cash funds 50 MW).
func TestHandStartingStateFunding(t *testing.T) {
	s := solver(t)
	fin := "finance:\n  cash: $5000\n"
	without, err := plan.Solve(t.Context(), handStartModel(t, fin), weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "new MW funded without the campus", newMW(without), 50)
	pl, err := plan.Solve(t.Context(), handStartModel(t, fleetAndCampus+fin), weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Capital {
		t.Fatal("capital not in the model")
	}
	near(t, "committed capex", pl.Start.CapexUSD, 2000)
	near(t, "new MW funded", newMW(pl), 30)
	last := pl.Periods[len(pl.Periods)-1]
	near(t, "cash at the end (all of it spent)", last.CashUSD, 0)
}

// Following a plan made with a starting state, the follower starts only
// the plan's new MW: the campus under way is carried by the simulation
// once (one project named campus, started before the start), and every
// project the follower starts is new.
func TestFollowerLeavesStartingStateToSimulation(t *testing.T) {
	src := strings.Replace(handStart, "%INITIAL%", fleetAndCampus, 1)
	m := compileSrc(t, src)
	back, r, _ := solveAndFollow(t, m, weekly)
	campuses, started := 0, 0.0
	for _, p := range r.Projects {
		if p.Name == "campus" {
			campuses++
			if !p.Initial || p.OnlineWeek != 6 {
				t.Errorf("campus: initial %v, online week %d; want initial, online in week 6", p.Initial, p.OnlineWeek)
			}
		}
		if !p.Initial {
			started += p.MW
		}
	}
	if campuses != 1 {
		t.Errorf("%d projects named campus, want 1", campuses)
	}
	near(t, "MW the follower started", started, math.Round(newMW(back)))
	end := len(r.Weeks) - 1
	near(t, "MW started in the run", r.Weeks[end].StartedMW, 300+20+started)
	if d := r.Weeks[end].OnlineMW - back.PlannedOnline(end); math.Abs(d) > 2 {
		t.Errorf("at the end: %.0f MW online, plan %.0f", r.Weeks[end].OnlineMW, back.PlannedOnline(end))
	}
	t.Logf("planned %.0f MW online at the end, simulated %.0f", back.PlannedOnline(end), r.Weeks[end].OnlineMW)

	// A plan made without the starting state would build it again: refused.
	stale := *back
	stale.Start = nil
	if err := plan.Check(&stale, m); err == nil || !strings.Contains(err.Error(), "starting state") {
		t.Errorf("Check of a plan without the starting state: %v", err)
	}
}
