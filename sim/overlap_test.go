package sim_test

import (
	"strings"
	"testing"

	"github.com/gwf-project/gwf/sim"
)

// overlap is tiny with a 10-week build that needs 1 switchgear lineup per
// MW, from a line making 50 lineups a week with no lead time. %AT% is the
// needed_at clause.
func overlap(at string) string {
	src := strings.Replace(tiny, "    build: {duration: 10 weeks, secures_power: true}",
		"    build: {duration: 10 weeks, secures_power: true, needs: {switchgear: 1 lineups/MW}"+at+"}", 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1)
	src = strings.Replace(src, "%LEAD%", "0 weeks", 1)
	return src + `
  switchgear: {kind: material, unit: lineup, capacity: 50 lineups/week, share: 100%, lead_time: 0 weeks}
`
}

// Two 100 MW projects, started in weeks 0 and 1, each needing 100 lineups
// halfway through a 10-week build; the line makes 50 a week.
//
// Overlapped: each stage starts at once and orders its lineups to arrive in
// its week 5. Project 1's order (placed week 5) arrives 50 in week 5 and 50
// in week 6: it is late one week, so the stage pauses a week and ends in
// week 11. Project 2's order (placed week 6) queues behind it and arrives
// in weeks 7 and 8: late two weeks (weeks 6 and 7), online in week 13.
// Switchgear holds back 100 MW in each of weeks 5, 6 and 7.
//
// Serial (needed on the first day): project 1 waits for both deliveries
// (weeks 0 and 1) and starts in week 1; project 2 gets its lineups in weeks
// 2 and 3 and starts in week 3.
func TestOverlapLateInput(t *testing.T) {
	m := compile(t, overlap(", needed_at: {switchgear: 50%}"))
	r := sim.Run(m, &everyWeek{max: 2})
	checkInvariants(t, r)
	if got := onlineWeeks(r); len(got) != 2 || got[0] != 11 || got[1] != 13 {
		t.Fatalf("overlapped: online weeks %v, want [11 13]", got)
	}
	for k, want := range []int{0, 1} {
		if st := r.Projects[k].Stages[0]; st.StartWeek != want || st.WaitWeeks != k+1 || st.WaitedOn != "switchgear" {
			t.Errorf("project %d: build started week %d, waited %d weeks on %q; want week %d, %d weeks on switchgear", k+1, st.StartWeek, st.WaitWeeks, st.WaitedOn, want, k+1)
		}
	}
	sg := m.LineIndex("switchgear")
	for w := range 12 {
		want := 0.0
		if w >= 5 && w <= 7 {
			want = 100
		}
		if got := r.HeldBackMW(w, sg); got != want {
			t.Errorf("week %d: switchgear held back %v MW, want %v", w, got, want)
		}
	}

	m = compile(t, overlap(""))
	r = sim.Run(m, &everyWeek{max: 2})
	checkInvariants(t, r)
	if got := onlineWeeks(r); len(got) != 2 || got[0] != 11 || got[1] != 13 {
		t.Fatalf("serial: online weeks %v, want [11 13]", got)
	}
	for k, want := range []int{1, 3} {
		if st := r.Projects[k].Stages[0]; st.StartWeek != want {
			t.Errorf("serial: project %d build started week %d, want %d", k+1, st.StartWeek, want)
		}
	}
}

// A need that arrives on time never pauses the stage: with ample switchgear
// the overlapped build takes exactly its ten weeks.
func TestOverlapOnTime(t *testing.T) {
	src := strings.Replace(overlap(", needed_at: {switchgear: 50%}"), "50 lineups/week", "1000 lineups/week", 1)
	m := compile(t, src)
	r := sim.Run(m, &everyWeek{max: 2})
	checkInvariants(t, r)
	if got := onlineWeeks(r); len(got) != 2 || got[0] != 10 || got[1] != 11 {
		t.Fatalf("online weeks %v, want [10 11]", got)
	}
	for w := range r.Weeks {
		if got := r.HeldBackMW(w, m.LineIndex("switchgear")); got != 0 {
			t.Fatalf("week %d: switchgear held back %v MW, want 0", w, got)
		}
	}
}

// overlapWithRobots is the overlap scenario with the lineups needed at
// (a share of the build), ample lineups, and 100 builders of whom robots
// stand in for half, cutting the 10-week build to 8 weeks.
func overlapWithRobots(t *testing.T, at string) *sim.Model {
	t.Helper()
	src := strings.Replace(overlap(", needed_at: {switchgear: "+at+"}"), "needs: {switchgear: 1 lineups/MW}",
		"automatable: 50%, crews: {builders: 1 workers/MW}, needs: {switchgear: 1 lineups/MW}", 1)
	src = strings.Replace(src, "50 lineups/week", "1000 lineups/week", 1) + `  builders: {kind: crew, unit: worker, capacity: 100 workers, share: 100%}
  robots: {kind: robot, unit: robot, capacity: 0 robots/week, share: 100%, lead_time: 1 week, initial: 100 robots, substitutes: [builders], workers_per_robot: "1", max_automation: 50%}
`
	return compile(t, src)
}

// Robots that shorten a stage do not make its later needs fall due before
// they were ordered for: with half the crew automated the 10-week build
// takes 8 weeks, the lineups needed halfway (week 5, where the plan put
// them) arrive then, and nothing waits.
func TestOverlapWithRobots(t *testing.T) {
	m := overlapWithRobots(t, "50%")
	r := sim.Run(m, &everyWeek{max: 1})
	checkInvariants(t, r)
	if got := onlineWeeks(r); len(got) != 1 || got[0] != 8 {
		t.Fatalf("online weeks %v, want [8]", got)
	}
	for w := range r.Weeks {
		if got := r.HeldBackMW(w, m.LineIndex("switchgear")); got != 0 {
			t.Fatalf("week %d: switchgear held back %v MW, want 0", w, got)
		}
	}
}

// Robots can shorten the work to end before a need comes due where the
// plan put it: lineups needed at 90% of the 10-week build come due in week
// 9, after the 8 weeks robots leave of it. The stage ends when it takes
// them, in week 9; it used to wait for a look that never came, and the
// project never came online.
func TestRobotsEndWorkBeforeALateNeed(t *testing.T) {
	m := overlapWithRobots(t, "90%")
	for _, eager := range []bool{false, true} {
		run := sim.RunWith
		if eager {
			run = sim.RunEager
		}
		r := run(m, &everyWeek{max: 1}, sim.Options{})
		checkInvariants(t, r)
		if got := onlineWeeks(r); len(got) != 1 || got[0] != 9 {
			t.Fatalf("looked at weekly %v: online weeks %v, want [9]", eager, got)
		}
	}
}

// A need limited to some power sources (for_power) asks nothing of a
// project powered by the others: with transformers (20-week lead time)
// needed only for grid power, a project on engines builds in its 10 weeks
// and one on the grid waits for its transformers.
func TestNeedForPower(t *testing.T) {
	src := strings.Replace(tiny, "    build: {duration: 10 weeks, secures_power: true}",
		"    build: {duration: 10 weeks, secures_power: true, needs: {transformers: 0.01 units/grid-MW}, for_power: {transformers: [grid]}}", 1)
	src = strings.Replace(src, "capacity: 50 MW/week", "capacity: 10000 MW/week", 1)
	src = strings.Replace(src, "%LEAD%", "0 weeks", 1) + `
  engines: {kind: power, unit: MW, capacity: 10000 MW/week, share: 100%, lead_time: 0 weeks}
  transformers: {kind: material, unit: unit, capacity: 100 units/week, share: 100%, lead_time: 20 weeks}
`
	m := compile(t, src)
	for k, want := range map[string]int{"grid": 30, "engines": 10} {
		r := sim.Run(m, &oneSource{line: m.LineIndex(k)})
		checkInvariants(t, r)
		if got := onlineWeeks(r); len(got) != 1 || got[0] != want {
			t.Errorf("powered by %s: online weeks %v, want [%d]", k, got, want)
		}
		if got := r.Lines[m.LineIndex("transformers")].Delivered; k == "engines" && sum(got) != 0 {
			t.Errorf("powered by engines: %v transformers delivered, want none", sum(got))
		}
	}
}

// oneSource starts one project in week 0 with all its power from line.
type oneSource struct{ line int }

func (p *oneSource) Decide(s *sim.State) {
	if s.Week() > 0 {
		return
	}
	m := s.Model()
	power := make([]float64, len(m.PowerLines))
	for j, l := range m.PowerLines {
		if l == p.line {
			power[j] = m.SizeMW * m.PUE
		}
	}
	s.StartProject(power)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
