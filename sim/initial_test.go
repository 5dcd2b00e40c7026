package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/sim"
)

// Accelerator prices learn within a generation and restart at the next
// generation's list price: 1,000 made before the start and 1,000 a week, a
// 20% learning rate. Generation g1 ($1,000) costs $800 after week 0 and
// $640 after week 2; g2 ($2,000) enters production in week 10 and learns
// from its own output: $1,600 after week 10, $1,280 after week 12.
func TestLearningRestartsPerGeneration(t *testing.T) {
	src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1)
	src = strings.Replace(src, "accelerators_per_rack: 10 accelerators}",
		"accelerators_per_rack: 10 accelerators, unit_cost: $1000}\n  g2: {available: 2026-03-16, power_per_accelerator: 1 kW, compute_per_accelerator: 2 PFLOP/s, accelerators_per_rack: 10 accelerators, unit_cost: $2000}", 1)
	src = strings.Replace(src, "capacity: 1000000 accelerators/week, share: 100%, lead_time: 0 weeks}",
		"capacity: 1000 accelerators/week, share: 100%, lead_time: 0 weeks, learning_rate: 20%, cumulative_output: 1000 accelerators}", 1)
	m := compile(t, src)
	r := sim.Run(m, &everyWeek{max: 1})
	acc := m.LineIndex("accelerators")
	for _, c := range []struct {
		week int
		want float64
	}{{0, 800}, {2, 640}, {9, 1000 * math.Pow(11, math.Log2(0.8))}, {10, 1600}, {12, 1280}} {
		if got := r.Lines[acc].UnitCost[c.week]; math.Abs(got-c.want) > 1e-6 {
			t.Errorf("week %d: accelerator price %v, want %v", c.week, got, c.want)
		}
	}
}

// The starting state: 300 MW online, a 100 MW campus whose 10-week build
// began four weeks before the start (online in week 6), and 100 MW of grid
// power on order, due in week 4, that a project started in week 0 uses
// before the grid's own 50 MW/week would have served it.
func TestStartingState(t *testing.T) {
	src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1) + `
initial:
  online:
    old_fleet: {generation: g1, capacity: 300 MW, since: 2025-06-02}
  projects:
    campus_a:
      size: 100 MW
      started: 2025-12-08
      stages: {build: {status: running, since: 2025-12-08}}
  orders:
    grid: {quantity: 100 MW, due: 2026-02-02}
`
	m := compile(t, src)
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	if got := r.Weeks[0].OnlineMW; got != 300 {
		t.Errorf("online in week 0: %v MW, want 300", got)
	}
	byName := map[string]sim.ProjectLog{}
	for _, p := range r.Projects {
		byName[p.Name] = p
	}
	if p := byName["campus_a"]; !p.Initial || p.OnlineWeek != 6 || p.StartWeek != -4 {
		t.Errorf("campus_a: initial %v, started week %d, online week %d; want initial, -4, 6", p.Initial, p.StartWeek, p.OnlineWeek)
	}
	if p := byName["old_fleet"]; !p.Initial || p.OnlineWeek != 0 {
		t.Errorf("old_fleet: initial %v, online week %d; want initial, 0", p.Initial, p.OnlineWeek)
	}
	// The new project's 100 MW: 50 from the grid in week 0, 50 in week 1,
	// and the order due in week 4 arrives after: it starts in week 1.
	newP := r.Projects[len(r.Projects)-1]
	if newP.Initial || newP.OnlineWeek != 11 {
		t.Errorf("new project: initial %v, online week %d, want new, 11", newP.Initial, newP.OnlineWeek)
	}
	if got, want := r.Weeks[len(r.Weeks)-1].OnlineMW, 500.0; got != want {
		t.Errorf("online at the end %v MW, want %v", got, want)
	}
}

// A stage whose inputs were ordered before the start gets them when the
// work needs them, not a lead time from the start: with a 10-week grid lead
// time and 50 MW/week, a 100 MW campus whose power was on order starts its
// build in week 1 (deliveries in weeks 0 and 1) and is online in week 11;
// with nothing on order its power is ordered at the start and arrives in
// weeks 10 and 11, so it is online in week 21. Power on site: online in
// week 10.
func TestStartingStateOrdered(t *testing.T) {
	campus := func(status string) string {
		return strings.Replace(tiny, "%LEAD%", "10 weeks", 1) + `
initial:
  projects:
    campus_a:
      size: 100 MW
      started: 2025-12-08
      stages: {build: {status: ` + status + `}}
`
	}
	for _, c := range []struct {
		status string
		online int
	}{{"ordered", 11}, {"delivered", 10}} {
		r := sim.Run(compile(t, campus(c.status)), &everyWeek{max: 0, never: true})
		checkInvariants(t, r)
		if got := onlineWeeks(r); len(got) != 1 || got[0] != c.online {
			t.Errorf("build %s: online weeks %v, want [%d]", c.status, got, c.online)
		}
	}
	src := strings.Replace(campus("ordered"), "      stages: {build: {status: ordered}}\n", "", 1)
	r := sim.Run(compile(t, src), &everyWeek{never: true})
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 21 {
		t.Errorf("build pending: online weeks %v, want [21]", got)
	}
}

// A phase planned to start later does not start before its planned week
// (2026-03-02, week 8): with its power on site it is online ten weeks
// later, in week 18; with nothing on order its power is ordered for week 8
// and arrives 50 MW in each of weeks 8 and 9, so it is online in week 19.
func TestStartingStatePlanned(t *testing.T) {
	for _, c := range []struct {
		status string
		online int
	}{{"delivered", 18}, {"pending", 19}} {
		src := strings.Replace(tiny, "%LEAD%", "0 weeks", 1) + `
initial:
  projects:
    phase_b:
      size: 100 MW
      started: 2025-12-08
      stages: {build: {status: ` + c.status + `, planned: 2026-03-02}}
`
		r := sim.Run(compile(t, src), &everyWeek{never: true})
		checkInvariants(t, r)
		if got := onlineWeeks(r); len(got) != 1 || got[0] != c.online {
			t.Errorf("build %s, planned week 8: online weeks %v, want [%d]", c.status, got, c.online)
		}
	}
}
