package sim_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/sim"
)

// prop is a two-stage scenario whose supply, lead times, crews and money
// the property test below draws: a site stage held by builders, then a
// build that secures grid or engine power, needs switchgear (on its first
// day or part-way through) and builders, robots standing in for some of
// them. Its wide form adds a fit-out that needs accelerators (made from
// wafers upstream) and draws how far robots shorten the stages and how
// late their needs come due.
const prop = `
name: prop
start_date: 2026-01-05
horizon: %WEEKS% weeks
target: {rate: %RATE% MW/week, initial_rate: %RATE% MW/week, by: 2026-06-01}
project:
  size: 100 MW
  pue: "1.0"
  stages:
    site: {duration: %SITE% weeks, crews: {builders: 0.5 workers/MW}}
    build: {duration: %BUILD% weeks, after: [site], secures_power: true, automatable: %AUTO%, crews: {builders: 1 workers/MW}, needs: {switchgear: 1 lineups/MW}%AT%}%FIT%
policy: {expand: %EXPAND%}
generations:
  g1: {available: 2025-01-01, power_per_accelerator: 1 kW, compute_per_accelerator: 1 PFLOP/s, accelerators_per_rack: 10 accelerators}
resources:
  accelerators: {kind: accelerator, unit: accelerator, capacity: %ACC% accelerators/week, share: 100%, lead_time: %AL% weeks%ACCIN%}
  grid: {kind: power, unit: MW, capacity: %GRID% MW/week, share: 100%, lead_time: %GL% weeks}
  engines: {kind: power, unit: MW, capacity: %ENG% MW/week, share: 100%, lead_time: %EL% weeks, max_mix: 50%}
  switchgear: {kind: material, unit: lineup, capacity: %SW% lineups/week, share: 100%, lead_time: %SL% weeks}
  builders: {kind: crew, unit: worker, capacity: %CREW% workers, share: 100%}
  robots: {kind: robot, unit: robot, capacity: 0 robots/week, share: 100%, lead_time: 1 week, initial: %ROBOTS% robots, substitutes: [builders], workers_per_robot: "1", max_automation: 50%}%WAFERS%
`

const propFinance = `
finance:
  cash: $%CASH%M
  capex:
    shell: {stage: build, cost: $%CAPEX%M/MW}
  equity: {per_year: $%EQUITY%M}
  debt: {limit: $%DEBT%M, rate: 5%/year, tenor: %TENOR% weeks}
`

// Over drawn scenarios — supply short or ample, inputs on the first day
// or part-way, crews and robots, money tight or loose, shocks and
// freezes, projects started weekly, with their power split anyhow, or by
// the controller — projects that sleep through their waits change no
// outcome of weekly looks.
func TestSleepingChangesNoOutcomeDrawn(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	cases := 60
	if testing.Short() {
		cases = 15
	}
	slept := 0
	var rn sim.Runner // one for every case: nothing of a run may leak into the next
	for c := range cases {
		slept += sleepsExactly(t, fmt.Sprintf("case %d", c), r, &rn, false)
		slept += sleepsExactly(t, fmt.Sprintf("wide case %d", c), r, &rn, true)
	}
	t.Logf("%d sleeps over %d cases", slept, cases)
	if slept == 0 {
		t.Fatal("no project slept in any case: the test does not test sleeping")
	}
}

// FuzzSleepingChangesNoOutcome searches the drawn scenarios of
// TestSleepingChangesNoOutcomeDrawn, one per seed, for one where sleeping
// changes an outcome of weekly looks:
//
//	go test ./sim -run '^$' -fuzz FuzzSleepingChangesNoOutcome -fuzztime 5m
func FuzzSleepingChangesNoOutcome(f *testing.F) { fuzzSleeping(f, false) }

// FuzzSleepingChangesNoOutcomeWide is FuzzSleepingChangesNoOutcome over
// the wide scenarios (a fit-out needing accelerators; automation and needs
// part-way drawn):
//
//	go test ./sim -run '^$' -fuzz FuzzSleepingChangesNoOutcomeWide -fuzztime 5m
func FuzzSleepingChangesNoOutcomeWide(f *testing.F) { fuzzSleeping(f, true) }

// fuzzSleeping fuzzes sleepsExactly over seeds, one drawn scenario (wide
// or not) each, on one Runner.
func fuzzSleeping(f *testing.F, wide bool) {
	for seed := range uint64(8) {
		f.Add(seed)
	}
	var rn sim.Runner
	f.Fuzz(func(t *testing.T, seed uint64) {
		sleepsExactly(t, fmt.Sprintf("seed %d (wide %v)", seed, wide), rand.New(rand.NewPCG(seed, 3)), &rn, wide)
	})
}

// sleepsExactly draws a scenario (wide or not), shocks, freezes and a
// policy from r, runs it with every waiting project looked at weekly and
// on rn with projects sleeping, fails t unless the two agree in everything
// but the held-back attribution, and returns the sleeps. The wide
// scenario's own draws come after all the others, so a seed draws the
// same of everything else either way.
func sleepsExactly(t *testing.T, name string, r *rand.Rand, rn *sim.Runner, wide bool) int {
	t.Helper()
	weeks := 40 + r.IntN(120)
	src := prop
	for _, kv := range [][2]string{
		{"%WEEKS%", fmt.Sprint(weeks)},
		{"%RATE%", fmt.Sprint(50 + 50*r.IntN(6))},
		{"%SITE%", fmt.Sprint(1 + r.IntN(8))},
		{"%BUILD%", fmt.Sprint(2 + r.IntN(12))},
		{"%AT%", []string{"", ", needed_at: {switchgear: 50%}", ", needed_at: {switchgear: 90%}"}[r.IntN(3)]},
		{"%EXPAND%", fmt.Sprint(r.IntN(2) == 0)},
		{"%GRID%", fmt.Sprint(20 + r.IntN(300))},
		{"%GL%", fmt.Sprint(r.IntN(10))},
		{"%ENG%", fmt.Sprint(r.IntN(100))},
		{"%EL%", fmt.Sprint(r.IntN(6))},
		{"%SW%", fmt.Sprint(10 + r.IntN(300))},
		{"%SL%", fmt.Sprint(r.IntN(10))},
		{"%CREW%", fmt.Sprint(100 + r.IntN(2000))},
		{"%ROBOTS%", fmt.Sprint(r.IntN(3) * 100)},
	} {
		src = strings.ReplaceAll(src, kv[0], kv[1])
	}
	if r.IntN(3) > 0 {
		fin := propFinance
		for _, kv := range [][2]string{
			{"%CASH%", fmt.Sprint(r.IntN(300))},
			{"%CAPEX%", fmt.Sprint(1 + r.IntN(3))},
			{"%EQUITY%", fmt.Sprint(r.IntN(2000))},
			{"%DEBT%", fmt.Sprint(r.IntN(500))},
			{"%TENOR%", fmt.Sprint(4 + r.IntN(100))},
		} {
			fin = strings.ReplaceAll(fin, kv[0], kv[1])
		}
		src += fin
	}
	type shock struct {
		line     string
		from, to int
		factor   float64
	}
	var shocks []shock
	for range r.IntN(3) {
		from := r.IntN(weeks)
		shocks = append(shocks, shock{line: []string{"grid", "switchgear"}[r.IntN(2)], from: from, to: from + 1 + r.IntN(30), factor: r.Float64() / 2})
	}
	var freezes []sim.Freeze
	if r.IntN(2) == 0 {
		from := r.IntN(weeks)
		freezes = append(freezes, sim.Freeze{Stage: r.IntN(2), FromWeek: from, ToWeek: from + 1 + r.IntN(20)})
	}
	pol := func() sim.Policy { return sim.NewController() }
	switch n, seed := 1+r.IntN(weeks), r.Uint64(); r.IntN(3) {
	case 0:
		pol = func() sim.Policy { return &everyWeek{max: n} }
	case 1:
		// Power split anyhow between the sources: campuses that need
		// different amounts of each, so sleepers on a power line wait
		// in many buckets.
		pol = func() sim.Policy { return &splitWeek{max: n, r: rand.New(rand.NewPCG(seed, 1))} }
	}
	wideKnobs := [][2]string{{"%AUTO%", "50%"}, {"%FIT%", ""}, {"%ACC%", "1000000"}, {"%AL%", "0"}, {"%ACCIN%", ""}, {"%WAFERS%", ""}}
	if wide {
		at := ""
		if r.IntN(2) == 0 {
			at = fmt.Sprintf(", needed_at: {accelerators: %d%%}", 10*r.IntN(11))
		}
		wideKnobs = [][2]string{
			{"%AUTO%", fmt.Sprintf("%d%%", []int{0, 50, 95}[r.IntN(3)])},
			{"%FIT%", fmt.Sprintf("\n    fit: {duration: %d weeks, after: [build], automatable: %d%%, crews: {builders: 0.3 workers/MW}, needs: {accelerators: 1 accelerators/accelerator}%s}", 1+r.IntN(6), 10*r.IntN(10), at)},
			{"%ACC%", fmt.Sprint([]int{1000000, 20000 + r.IntN(200000)}[r.IntN(2)])},
			{"%AL%", fmt.Sprint(r.IntN(8))},
			{"%ACCIN%", ", inputs: {wafers: 0.1 wafers/accelerator}"},
			{"%WAFERS%", fmt.Sprintf("\n  wafers: {kind: upstream, unit: wafer, capacity: %d wafers/week, share: 100%%}", []int{1000000, 2000 + r.IntN(20000)}[r.IntN(2)])},
		}
		if r.IntN(2) == 0 {
			wideKnobs[0][1] = fmt.Sprintf("%d%%", 10*r.IntN(10)) // needs part-way at any point
			src = strings.Replace(src, "needed_at: {switchgear: 90%}", fmt.Sprintf("needed_at: {switchgear: %d%%}", 10+10*r.IntN(10)), 1)
		}
		if r.IntN(2) == 0 {
			src += propInitial(r)
		}
	}
	for _, kv := range wideKnobs {
		src = strings.ReplaceAll(src, kv[0], kv[1])
	}
	m := compile(t, src)
	for _, sh := range shocks {
		m.Shocks = append(m.Shocks, sim.Shock{Line: m.LineIndex(sh.line), FromWeek: sh.from, ToWeek: sh.to, Factor: sh.factor})
	}
	m.Freezes = freezes
	want := sim.RunEager(m, pol(), sim.Options{})
	got := rn.Run(m, pol(), sim.Options{})
	checkInvariants(t, got)
	attribution(got, want)
	if diff := firstDifference(got, want); diff != "" {
		t.Fatalf("%s: %s\nscenario:\n%s\nshocks %+v freezes %+v", name, diff, src, m.Shocks, m.Freezes)
	}
	return sim.Sleeps(rn)
}

// splitWeek starts one project a week until week max, its power split
// between the first two sources in tenths drawn from r.
type splitWeek struct {
	max int
	r   *rand.Rand
}

func (p *splitWeek) Decide(s *sim.State) {
	if s.Week() >= p.max {
		return
	}
	m := s.Model()
	need := m.SizeMW * m.PUE
	f := float64(1+p.r.IntN(9)) / 10
	power := make([]float64, len(m.PowerLines))
	power[0], power[1] = need*f, need*(1-f)
	s.StartProject(power)
}

// propInitial draws a starting state for the wide prop scenario: one to
// four campuses of different sizes started before the start date, each
// with its first stages done, the next perhaps running, and the rest
// pending (perhaps planned), delivered or ordered.
func propInitial(r *rand.Rand) string {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	before := func(weeks int) string { return start.AddDate(0, 0, -7*weeks).Format("2006-01-02") }
	var b strings.Builder
	b.WriteString("initial:\n  projects:\n")
	for k := range 1 + r.IntN(4) {
		grid := []int{100, 70, 50}[r.IntN(3)]
		fmt.Fprintf(&b, "    c%d:\n      size: %d MW\n      started: %s\n      power: {grid: %d%%, engines: %d%%}\n      stages:\n",
			k, 50+10*r.IntN(26), before(3+r.IntN(58)), grid, 100-grid) // started before any stage ran
		done := r.IntN(3) // not all three: a finished campus is a fleet online
		for i, stage := range []string{"site", "build", "fit"} {
			var status string
			switch {
			case i < done:
				status = "{status: done}"
			case i == done && r.IntN(2) == 0:
				status = fmt.Sprintf("{status: running, since: %s}", before(r.IntN(3)))
			default:
				switch r.IntN(4) {
				case 0:
					status = "{status: delivered}"
				case 1:
					status = "{status: ordered}"
				case 2:
					status = fmt.Sprintf("{status: pending, planned: %s}", start.AddDate(0, 0, 7*r.IntN(20)).Format("2006-01-02"))
				default:
					continue // pending: planned and ordered like a new campus
				}
			}
			fmt.Fprintf(&b, "        %s: %s\n", stage, status)
		}
	}
	return b.String()
}
