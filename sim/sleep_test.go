package sim_test

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// attribution blanks what sleeping may change — the MW held back per line,
// each week's bottleneck and, where capital's held-back MW make it so,
// whether money held anything back, and the line each stage waited on
// last — and returns how many of those differ from want's.
func attribution(got, want *sim.Result) int {
	diff := 0
	// A week money held back in one run and not the other is attribution
	// only where capital's held-back MW say so; a payment that failed in
	// one run alone is left for firstDifference to report.
	capitalHeld := func(r *sim.Result, w int) bool {
		return r.Model.Capital >= 0 && r.HeldBackMW(w, r.Model.Capital) > 0
	}
	for w := range got.Weeks {
		g, x := &got.Weeks[w], &want.Weeks[w]
		if g.CapitalBound != x.CapitalBound && (g.CapitalBound && capitalHeld(got, w) || x.CapitalBound && capitalHeld(want, w)) {
			diff++
			g.CapitalBound, x.CapitalBound = false, false
		}
	}
	for i := range got.HeldBack {
		if got.HeldBack[i] != want.HeldBack[i] {
			diff++
		}
	}
	got.HeldBack, want.HeldBack = nil, nil
	for w := range got.Weeks {
		if got.Weeks[w].Bottleneck != want.Weeks[w].Bottleneck {
			diff++
		}
		got.Weeks[w].Bottleneck, want.Weeks[w].Bottleneck = 0, 0
	}
	if len(got.Projects) != len(want.Projects) {
		return diff // the runs differ in more than attribution: firstDifference says how
	}
	for k := range got.Projects {
		for i := range got.Projects[k].Stages {
			g, w := &got.Projects[k].Stages[i], &want.Projects[k].Stages[i]
			if g.WaitedOn != w.WaitedOn {
				diff++
			}
			g.WaitedOn, w.WaitedOn = "", ""
		}
	}
	return diff
}

// sameRun checks that projects sleeping through their waits change no
// start, week online, order, delivery, payment or wait count: everything
// but the held-back attribution is what looking every week gives.
func sameRun(t *testing.T, name string, m *sim.Model) int {
	t.Helper()
	want := sim.RunEager(m, sim.NewController(), sim.Options{})
	got := sim.RunWith(m, sim.NewController(), sim.Options{})
	n := attribution(got, want)
	if diff := firstDifference(got, want); diff != "" {
		t.Errorf("%s: %s", name, diff)
	}
	return n
}

// firstDifference describes the first difference between two results
// (sleeping and weekly), or is "" when they are the same.
func firstDifference(got, want *sim.Result) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	for w := range got.Weeks {
		if got.Weeks[w] != want.Weeks[w] {
			return fmt.Sprintf("week %d: sleeping %+v, weekly %+v", w, got.Weeks[w], want.Weeks[w])
		}
	}
	for k := range got.Projects {
		if !reflect.DeepEqual(got.Projects[k], want.Projects[k]) {
			return fmt.Sprintf("project %d: sleeping %+v, weekly %+v", k, got.Projects[k], want.Projects[k])
		}
	}
	return "results differ (lines, missions or checks)"
}

// steady is ten years of the steady factory (testdata/steady.yaml), its
// text changed by edit first when edit is not nil.
func steady(t *testing.T, edit func(string) string) *sim.Model {
	t.Helper()
	sc, err := scenario.Load("testdata/steady.yaml", func(name string) ([]byte, error) {
		b, err := os.ReadFile(name)
		if err == nil && edit != nil {
			b = []byte(edit(string(b)))
		}
		return b, err
	})
	if err != nil {
		t.Fatal(err)
	}
	sc.Horizon.V = 520
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSleepingChangesNoOutcome(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	for _, weeks := range []float64{520, 2080} {
		sc.Horizon.V = weeks
		m, err := sim.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameRun(t, fmt.Sprintf("reference, %v weeks", weeks), m); d > 0 {
			t.Logf("reference, %v weeks: %d held-back figures attributed otherwise", weeks, d)
		}
	}
	// A factory whose campuses queue on one line for years: many sleepers
	// needing the same stock, of which each week serves a few.
	if d := sameRun(t, "steady", steady(t, nil)); d > 0 {
		t.Logf("steady: %d held-back figures attributed otherwise", d)
	}
	// The same factory bound by electricians instead, for years: campuses
	// asleep for want of a crew, robots standing in for part of it.
	m := steady(t, func(src string) string {
		return strings.Replace(src, "capacity: 80000 workers", "capacity: 30000 workers", 1)
	})
	if d := sameRun(t, "steady, short of electricians", m); d > 0 {
		t.Logf("steady, short of electricians: %d held-back figures attributed otherwise", d)
	}
	// Drawn runs of the uncertain reference: shocks to supply, freezes of
	// stages, other lead times and costs.
	un, err := scenario.Load("../mc/testdata/reference-uncertain.yaml", os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	runs := 24
	if testing.Short() {
		runs = 6
	}
	for run := range runs {
		d, _ := mc.Draw(un, 11, run)
		m, err := sim.Compile(d)
		if err != nil {
			t.Fatal(err)
		}
		if n := sameRun(t, fmt.Sprintf("uncertain run %d", run), m); n > 0 {
			t.Logf("uncertain run %d: %d held-back figures attributed otherwise", run, n)
		}
	}
}

// FuzzSleepingChangesNoOutcomeUncertain compares sleeping with weekly looks
// on drawn runs of the uncertain reference, their events (shocks to supply,
// freezes of stages) applied as a Monte Carlo study applies them, and
// checks each run's books:
//
//	go test ./sim -run '^$' -fuzz FuzzSleepingChangesNoOutcomeUncertain -fuzztime 5m
func FuzzSleepingChangesNoOutcomeUncertain(f *testing.F) {
	un, err := scenario.Load("../mc/testdata/reference-uncertain.yaml", os.ReadFile)
	if err != nil {
		f.Fatal(err)
	}
	for run := range 4 {
		f.Add(int64(11), run)
	}
	f.Fuzz(func(t *testing.T, seed int64, run int) {
		if run < 0 {
			t.Skip("runs are numbered from 0")
		}
		d, occ := mc.Draw(un, seed, run)
		m, err := sim.Compile(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := mc.Apply(m, occ); err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, sim.RunWith(m, sim.NewController(), sim.Options{}))
		sameRun(t, fmt.Sprintf("seed %d run %d", seed, run), m)
	})
}

// A project short of grid power sleeps until the line holds its 100 MW,
// and a freeze on its stage that begins while it sleeps stops its waiting
// as a weekly look would. 50 MW/week of grid, one 100 MW project started
// each week 0–5, the build stage frozen in weeks 6–11: the first three
// take their power in weeks 1, 3 and 5 and come online ten weeks later;
// the fourth, started in week 3 and short in weeks 3–5, is frozen before
// its power is in and waits with the others for week 12, when 350 MW are
// in stock.
func TestSleepingThroughAFreeze(t *testing.T) {
	m := compile(t, strings.Replace(tiny, "%LEAD%", "0 weeks", 1))
	m.Freezes = []sim.Freeze{{Stage: m.StageIndex("build"), FromWeek: 6, ToWeek: 12}}
	want := sim.RunEager(m, &everyWeek{max: 6}, sim.Options{})
	got := sim.RunWith(m, &everyWeek{max: 6}, sim.Options{})
	checkInvariants(t, got)
	if d := attribution(got, want); d != 0 {
		t.Errorf("%d held-back figures differ; with one line short, none should", d)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sleeping through a freeze:\n got %+v\nwant %+v", got.Projects, want.Projects)
	}
	if on := onlineWeeks(got); !reflect.DeepEqual(on, []int{11, 13, 15, 22, 22, 22}) {
		t.Errorf("online weeks %v, want [11 13 15 22 22 22]", on)
	}
	// The fourth project waited in weeks 3–5 only: frozen from week 6.
	if w := got.Projects[3].Stages[0].WaitWeeks; w != 3 {
		t.Errorf("fourth project waited %d weeks, want 3", w)
	}
}

// A project that sleeps while the line it lacks changes its root cause is
// logged as waiting on the cause of its last week: accelerators cut to
// 1,000 a week in weeks 0–4 (their own line binds), then limited by
// packaging to 10,000 a week; one project needs 100,000 and starts in
// week 14, having waited on packaging last.
func TestSleepingKeepsTheLastCause(t *testing.T) {
	m := withPackaging(t)
	m.Shocks = []sim.Shock{{Line: m.LineIndex("accelerators"), FromWeek: 0, ToWeek: 5, Factor: 0.001}}
	want := sim.RunEager(m, &everyWeek{max: 1}, sim.Options{})
	got := sim.RunWith(m, &everyWeek{max: 1}, sim.Options{})
	checkInvariants(t, got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sleeping:\n got %+v\nwant %+v", got.Projects, want.Projects)
	}
	st := got.Projects[0].Stages[0]
	if st.StartWeek != 14 || st.WaitWeeks != 14 || st.WaitedOn != "packaging" {
		t.Errorf("stage started week %d after %d weeks waiting on %q, want week 14, 14 weeks, packaging", st.StartWeek, st.WaitWeeks, st.WaitedOn)
	}
	if b := got.Weeks[2].Bottleneck; b != m.LineIndex("accelerators") {
		t.Errorf("week 2 bottleneck %v, want accelerators", b)
	}
}

// Projects waiting for money sleep too, and wake when the factory could
// pay: TestCapitalSlowsRamp's factory (no cash or debt, $100M of equity a
// year, $100M a project) starts one project a year whether the others are
// looked at weekly or sleep until the year's equity arrives.
func TestSleepingForMoney(t *testing.T) {
	got := sleepsLikeWeeklyLooks(t, "money", withFinance(t, equityBound), func() sim.Policy { return &everyWeek{} })
	if on := onlineWeeks(got); !reflect.DeepEqual(on, []int{10, 62, 114}) {
		t.Errorf("online weeks %v, want [10 62 114]", on)
	}
}

// sleepsLikeWeeklyLooks runs m under the policy pol makes with projects
// sleeping and with every waiting project looked at weekly, checks that
// some project slept and that the two runs agree in everything, held-back
// figures included (the cases have one shortage at a time), and returns
// the sleeping run.
func sleepsLikeWeeklyLooks(t *testing.T, what string, m *sim.Model, pol func() sim.Policy) *sim.Result {
	t.Helper()
	want := sim.RunEager(m, pol(), sim.Options{})
	var rn sim.Runner
	got := rn.Run(m, pol(), sim.Options{})
	checkInvariants(t, got)
	if sim.Sleeps(&rn) == 0 {
		t.Fatal("no project slept: the test does not test sleeping")
	}
	if d := attribution(got, want); d != 0 {
		t.Errorf("%d held-back figures differ; with %s the one shortage, none should", d, what)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sleeping for %s:\n got %+v\nwant %+v", what, got.Projects, want.Projects)
	}
	return got
}

// A project asleep for want of money still draws debt the week headroom
// opens, as a weekly try would (a try raises what it can even when that
// is not enough): $50M of cash and a $30M loan repaid over 13 weeks
// cannot pay a $100M build, but each week's repayment is drawn again.
func TestSleepingForMoneyDrawsDebt(t *testing.T) {
	m := withFinance(t, `
finance:
  cash: $50M
  capex:
    build: {stage: build, cost: $1M/MW}
  debt: {limit: $30M, rate: 0%/year, tenor: 13 weeks}
`)
	want := sim.RunEager(m, &everyWeek{max: 1}, sim.Options{})
	var rn sim.Runner
	got := rn.Run(m, &everyWeek{max: 1}, sim.Options{})
	checkInvariants(t, got)
	if sim.Sleeps(&rn) == 0 {
		t.Fatal("no project slept: the test does not test sleeping")
	}
	attribution(got, want)
	if !reflect.DeepEqual(got, want) {
		for w := range got.Weeks {
			if got.Weeks[w] != want.Weeks[w] {
				t.Fatalf("week %d: sleeping %+v\nweekly %+v", w, got.Weeks[w], want.Weeks[w])
			}
		}
		t.Fatal("results differ")
	}
	if on := onlineWeeks(got); len(on) != 0 {
		t.Errorf("online weeks %v: $80M cannot pay for $100M", on)
	}
	// Repaid and never drawn again, the loan would be gone by week 14;
	// drawn again each week, it stays near its limit (less the week's
	// instalments, repaid after projects advance).
	for _, w := range got.Weeks[14:] {
		if w.DebtUSD < 20e6 || w.DebtUSD > 30e6+1 {
			t.Fatalf("week %d: debt %.2f, want $20–30M: drawn again as repaid", w.Week, w.DebtUSD)
		}
	}
}

// A line that serves a few of the many campuses waiting on it each week
// wakes about those few, not every campus its stock could serve alone. In
// ten years of the steady factory (2,014 campuses started, queueing on
// cooling) sleepers woken whenever the stock held one campus's need slept
// again 25,833 times; looked at in turn, only while the stock lasts, they
// sleep 3,548 times (4,540 with the sleeps of campuses short of a crew).
func TestSleepersWakeOnlyWhileStockLasts(t *testing.T) {
	var rn sim.Runner
	r := rn.Run(steady(t, nil), sim.NewController(), sim.Options{})
	sleeps, started := sim.Sleeps(&rn), len(r.Projects)
	t.Logf("%d projects, %d sleeps", started, sleeps)
	if sleeps > 3*started {
		t.Errorf("%d sleeps for %d projects: sleepers are woken to fail", sleeps, started)
	}
}

// Projects short of a crew sleep too, and are looked at in their turn only
// once the crew, with every free robot that may stand in, could cover
// them: TestCrewsAreHeld's factory (100 builders, a 10-week build holding
// all of them, a project started every week) brings one project online
// every ten weeks whether the waiting ones are looked at weekly or sleep
// until a build ends.
func TestSleepingForACrew(t *testing.T) {
	got := sleepsLikeWeeklyLooks(t, "a crew", withCrew(t), func() sim.Policy { return &everyWeek{} })
	if on := onlineWeeks(got); !reflect.DeepEqual(on, []int{10, 20, 30}) {
		t.Errorf("online weeks %v, want [10 20 30]", on)
	}
	// The fourth project, started in week 3, waits until the third's
	// build ends in week 30: 27 weeks, most of them asleep.
	if w := got.Projects[3].Stages[0].WaitWeeks; w != 27 {
		t.Errorf("fourth project waited %d weeks, want 27", w)
	}
}
