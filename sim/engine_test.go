package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// tiny is a scenario small enough to follow by hand: one 100 MW project
// type with a single 10-week stage that needs 100 MW of grid power, a PUE
// of 1, and ample accelerators. Tests replace the %GRID% line's fields.
const tiny = `
name: tiny
start_date: 2026-01-05
horizon: 40 weeks
target: {rate: 100 MW/week, initial_rate: 100 MW/week, by: 2026-06-01}
project:
  size: 100 MW
  pue: "1.0"
  stages:
    build: {duration: 10 weeks, secures_power: true}
policy: {expand: false}
generations:
  g1: {available: 2025-01-01, power_per_accelerator: 1 kW, compute_per_accelerator: 1 PFLOP/s, accelerators_per_rack: 10 accelerators}
resources:
  accelerators: {kind: accelerator, unit: accelerator, capacity: 1000000 accelerators/week, share: 100%, lead_time: 0 weeks}
  grid: {kind: power, unit: MW, capacity: 50 MW/week, share: 100%, lead_time: %LEAD%}
`

func compile(t *testing.T, src string) *sim.Model {
	t.Helper()
	sc, err := scenario.Parse("test.yaml", []byte(src), nil)
	if err != nil {
		t.Fatalf("scenario: %v", err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return m
}

// everyWeek starts one project a week, all its power from the first
// source, until week max (if set); never starts none.
type everyWeek struct {
	max   int
	never bool
}

func (p *everyWeek) Decide(s *sim.State) {
	if p.never || p.max > 0 && s.Week() >= p.max {
		return
	}
	power := make([]float64, len(s.Model().PowerLines))
	power[0] = s.Model().SizeMW * s.Model().PUE
	s.StartProject(power)
}

func onlineWeeks(r *sim.Result) []int {
	var out []int
	for _, p := range r.Projects {
		if p.OnlineWeek >= 0 {
			out = append(out, p.OnlineWeek)
		}
	}
	return out
}

func checkInvariants(t *testing.T, r *sim.Result) {
	t.Helper()
	for _, v := range r.Invariants {
		t.Errorf("invariant: %s", v)
	}
}

// One supply line at a constant 50 MW/week feeding 100 MW projects started
// weekly: project k (1-based) gets its power in week 2k-1 and comes online
// ten weeks later, so capacity grows by 100 MW every other week.
func TestConstantCapacityRamp(t *testing.T) {
	m := compile(t, strings.Replace(tiny, "%LEAD%", "0 weeks", 1))
	r := sim.Run(m, &everyWeek{})
	checkInvariants(t, r)
	got := onlineWeeks(r)
	for k := 1; k <= len(got); k++ {
		if want := 2*k + 9; got[k-1] != want {
			t.Fatalf("project %d online in week %d, want %d (all: %v)", k, got[k-1], want, got)
		}
	}
	if len(got) != 15 { // weeks 11, 13, ..., 39
		t.Errorf("%d projects online, want 15", len(got))
	}
	// The grid holds back every project still waiting for power:
	// ceil((w+1)/2) projects of 100 MW in week w.
	grid := m.LineIndex("grid")
	for w := 0; w < m.Weeks; w++ {
		want := 100 * float64((w+2)/2)
		if got := r.HeldBackMW(w, grid); got != want {
			t.Fatalf("week %d: grid held back %v MW, want %v", w, got, want)
		}
		if r.Weeks[w].Bottleneck != grid {
			t.Fatalf("week %d: bottleneck %d, want grid", w, r.Weeks[w].Bottleneck)
		}
	}
}

// A lead time of five weeks delays every project by exactly five weeks.
func TestLeadTimeShiftsRamp(t *testing.T) {
	base := onlineWeeks(sim.Run(compile(t, strings.Replace(tiny, "%LEAD%", "0 weeks", 1)), &everyWeek{}))
	r := sim.Run(compile(t, strings.Replace(tiny, "%LEAD%", "5 weeks", 1)), &everyWeek{})
	checkInvariants(t, r)
	shifted := onlineWeeks(r)
	if len(shifted) == 0 {
		t.Fatal("nothing came online")
	}
	for k := range shifted {
		if shifted[k] != base[k]+5 {
			t.Fatalf("project %d online in week %d, want %d", k+1, shifted[k], base[k]+5)
		}
	}
}

// Wright's law: cost falls by the learning rate with each doubling of
// cumulative output. With 1000 units a week and 1000 before the start, the
// industry has made 2000 by the end of week 0 and 4000 by the end of week 2.
func TestLearningCurve(t *testing.T) {
	src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1) + `
  racks: {kind: material, unit: rack, capacity: 1000 racks/week, share: 100%, lead_time: 0 weeks, unit_cost: $1000, learning_rate: 20%, cumulative_output: 1000 racks}
`
	m := compile(t, src)
	r := sim.Run(m, &everyWeek{max: 1})
	racks := m.LineIndex("racks")
	for _, c := range []struct {
		week int
		want float64
	}{{0, 800}, {2, 640}, {6, 512}} {
		if got := r.Lines[racks].UnitCost[c.week]; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("week %d: unit cost %v, want %v", c.week, got, c.want)
		}
	}
}

// Stages form a graph: site, then power and building side by side, then
// fit-out. With ample supply a project takes site + max(power, building) +
// fit-out weeks, and the shorter branch (power) runs as late as it can.
func TestStageGraph(t *testing.T) {
	src := strings.Replace(tiny, `    build: {duration: 10 weeks, secures_power: true}`, `    site: {duration: 5 weeks}
    power: {after: [site], duration: 3 weeks, secures_power: true}
    building: {after: [site], duration: 10 weeks}
    fit_out: {after: [power, building], duration: 2 weeks, needs: {accelerators: 1 accelerators/accelerator}}`, 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1)
	r := sim.Run(compile(t, strings.Replace(src, "%LEAD%", "0 weeks", 1)), &everyWeek{max: 1})
	checkInvariants(t, r)
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 17 {
		t.Fatalf("online weeks %v, want [17]", got)
	}
	p := r.Projects[0]
	want := map[string][2]int{"site": {0, 5}, "power": {12, 15}, "building": {5, 15}, "fit_out": {15, 17}}
	for _, st := range p.Stages {
		if w := want[st.Stage]; st.StartWeek != w[0] || st.EndWeek != w[1] {
			t.Errorf("%s ran %d–%d, want %d–%d", st.Stage, st.StartWeek, st.EndWeek, w[0], w[1])
		}
	}
}

// withCrew is tiny with ample power and a crew of 100 builders, the build
// stage holding one per MW: a 100 MW project holds them all.
func withCrew(t *testing.T) *sim.Model {
	t.Helper()
	src := strings.Replace(tiny, "    build: {duration: 10 weeks, secures_power: true}", "    build: {duration: 10 weeks, secures_power: true, crews: {builders: 1 workers/MW}}", 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1) + `
  builders: {kind: crew, unit: worker, capacity: 100 workers, share: 100%}
`
	return compile(t, strings.Replace(src, "%LEAD%", "0 weeks", 1))
}

// A crew of 100 workers, each project's stage holding 100: projects go
// through one at a time, one every ten weeks.
func TestCrewsAreHeld(t *testing.T) {
	m := withCrew(t)
	r := sim.Run(m, &everyWeek{})
	checkInvariants(t, r)
	got := onlineWeeks(r)
	for k, w := range got {
		if w != 10*(k+1) {
			t.Fatalf("online weeks %v, want 10, 20, 30", got)
		}
	}
	if len(got) != 3 {
		t.Fatalf("online weeks %v, want 10, 20, 30", got)
	}
	if b := r.Weeks[5].Bottleneck; b != m.LineIndex("builders") {
		t.Errorf("week 5 bottleneck %d, want builders", b)
	}
}

// Robots stand in for half the crew and cut the stage by automatable ×
// automation share: 10 weeks × (1 − 50% × 50%) = 7.5, rounded up to 8.
func TestRobotsShortenStages(t *testing.T) {
	src := strings.Replace(tiny, "    build: {duration: 10 weeks, secures_power: true}", "    build: {duration: 10 weeks, automatable: 50%, secures_power: true, crews: {builders: 1 workers/MW}}", 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1) + `
  builders: {kind: crew, unit: worker, capacity: 100 workers, share: 100%}
  robots: {kind: robot, unit: robot, capacity: 0 robots/week, share: 100%, lead_time: 1 week, initial: 100 robots, substitutes: [builders], workers_per_robot: "1", max_automation: 50%}
`
	m := compile(t, strings.Replace(src, "%LEAD%", "0 weeks", 1))
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 8 {
		t.Fatalf("online weeks %v, want [8]", got)
	}
	if held := r.Lines[m.LineIndex("builders")].Delivered[0]; held != 50 {
		t.Errorf("workers held in week 0: %v, want 50", held)
	}
}

// withPackaging is tiny with a one-week build that needs an accelerator
// per accelerator of the project, ample power, and packaging upstream of
// accelerators: 0.1 wafers each, 1,000 wafers a week.
func withPackaging(t *testing.T) *sim.Model {
	t.Helper()
	src := strings.Replace(tiny, "    build: {duration: 10 weeks, secures_power: true}", "    build: {duration: 1 week, secures_power: true, needs: {accelerators: 1 accelerators/accelerator}}", 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1)
	src = strings.Replace(src, "lead_time: 0 weeks}\n  grid", "lead_time: 0 weeks, inputs: {packaging: 0.1 wafers/accelerator}}\n  grid", 1) + `
  packaging: {kind: upstream, unit: wafer, capacity: 1000 wafers/week, share: 100%}
`
	return compile(t, strings.Replace(src, "%LEAD%", "0 weeks", 1))
}

// Packaging upstream of accelerators limits their output, and the shortage
// is attributed to packaging, not to the accelerator line.
func TestUpstreamAttribution(t *testing.T) {
	m := withPackaging(t)
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	// 100 MW at 1 kW each is 100,000 accelerators; packaging allows 10,000 a week.
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 10 {
		t.Fatalf("online weeks %v, want [10]", got)
	}
	if b := r.Weeks[3].Bottleneck; b != m.LineIndex("packaging") {
		t.Errorf("week 3 bottleneck %v, want packaging", b)
	}
}

// The reference scenario balances: no conservation law broken, MW started
// = online + pipeline every week, and what came online adds up.
func TestReferenceConserves(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	r := sim.Run(m, sim.NewController())
	checkInvariants(t, r)
	sum := m.FleetMW() // online at the start
	for _, w := range r.Weeks {
		sum += w.AddedMW
		if math.Abs(w.StartedMW-(w.OnlineMW+w.PipelineMW)) > 1e-6 {
			t.Fatalf("week %d: started %v != online %v + pipeline %v", w.Week, w.StartedMW, w.OnlineMW, w.PipelineMW)
		}
		if math.Abs(sum-w.OnlineMW) > 1e-6 {
			t.Fatalf("week %d: sum of added %v != online %v", w.Week, sum, w.OnlineMW)
		}
	}
	if r.Weeks[len(r.Weeks)-1].OnlineMW <= 0 {
		t.Fatal("the reference brought nothing online")
	}
	// The ramp is limited by different constraints over time.
	seen := map[int]bool{}
	for _, w := range r.Weeks {
		if w.Bottleneck >= 0 {
			seen[w.Bottleneck] = true
		}
	}
	if len(seen) < 3 {
		t.Errorf("only %d different bottlenecks over the run, want a changing story", len(seen))
	}
}

func BenchmarkRunReference(b *testing.B) {
	sc, err := scenario.Reference()
	if err != nil {
		b.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sim.Run(m, sim.NewController())
	}
}

// A shock halving the grid's supply for ten weeks, and a freeze on the
// build stage, delay projects by amounts that can be counted by hand.
func TestShockAndFreeze(t *testing.T) {
	src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1)
	m := compile(t, src)
	m.Shocks = []sim.Shock{{Line: m.LineIndex("grid"), FromWeek: 0, ToWeek: 4, Factor: 0.5}}
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	// 25 MW/week for four weeks gives 100 MW by the end of week 3: start in
	// week 3, online in week 13 (instead of 11).
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 13 {
		t.Fatalf("with shock: online weeks %v, want [13]", got)
	}
	m = compile(t, src)
	m.Freezes = []sim.Freeze{{Stage: m.StageIndex("build"), FromWeek: 0, ToWeek: 6}}
	r = sim.Run(m, &everyWeek{max: 1})
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 16 {
		t.Fatalf("with freeze: online weeks %v, want [16]", got)
	}
}

// The controller aims above the target by policy.margin plus one project
// a quarter: with 100 MW/week wanted, 100 MW projects and ample supply it
// starts 100 × (1 + margin) + 100/13 MW a week, in whole projects: over 40
// weeks 43 projects at a 0% margin (4,307.7 MW wanted) and 47 at 10%
// (4,707.7 MW).
func TestControllerMargin(t *testing.T) {
	for _, c := range []struct {
		margin  string
		started float64
	}{{"0%", 4300}, {"10%", 4700}} {
		src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1)
		src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 100000 MW/week", 1)
		src = strings.Replace(src, "policy: {expand: false}", "policy: {expand: false, margin: "+c.margin+"}", 1)
		r := sim.Run(compile(t, src), sim.NewController())
		checkInvariants(t, r)
		if got := r.Weeks[len(r.Weeks)-1].StartedMW; got != c.started {
			t.Errorf("margin %s: %v MW started, want %v", c.margin, got, c.started)
		}
	}
}
