package sim_test

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// BenchmarkHorizon runs the reference over horizons from 5 to 40 years and
// reports the time per simulated week and per project under way per week.
// The reference's weeks are not alike (starts ramp for five years, the
// pipeline peaks in the second decade, money binds later), so its time per
// week follows its work; BenchmarkHorizonSteady holds the work flat.
func BenchmarkHorizon(b *testing.B) {
	benchHorizons(b, func() (*scenario.Scenario, error) { return scenario.Reference() })
}

// BenchmarkHorizonSteady runs a factory whose work per week is flat after
// its first two years (testdata/steady.yaml: flat capacities, a constant
// target, campuses waiting on the tightest line every week) over horizons
// from 5 to 40 years: the engine's time per week should be flat too, with
// no cost that grows with the weeks gone by or the campuses finished.
func BenchmarkHorizonSteady(b *testing.B) {
	benchHorizons(b, func() (*scenario.Scenario, error) {
		return scenario.Load("testdata/steady.yaml", os.ReadFile)
	})
}

// BenchmarkHorizonInStride runs the steady factory from the state its own
// run reaches after ten years (steadyInStride): campuses at every stage
// from the first week, so its work per week is flat over every horizon,
// the first two years included.
func BenchmarkHorizonInStride(b *testing.B) {
	benchHorizons(b, func() (*scenario.Scenario, error) { return steadyInStride(520) })
}

func benchHorizons(b *testing.B, load func() (*scenario.Scenario, error)) {
	for _, weeks := range []int{260, 520, 1040, 2080} {
		b.Run(fmt.Sprintf("weeks=%d", weeks), func(b *testing.B) {
			sc, err := load()
			if err != nil {
				b.Fatal(err)
			}
			sc.Horizon.V = float64(weeks)
			m, err := sim.Compile(sc)
			if err != nil {
				b.Fatal(err)
			}
			var rn sim.Runner
			var r *sim.Result
			for b.Loop() {
				r = rn.Run(m, sim.NewController(), sim.Options{})
			}
			// Projects under way, summed over the weeks (from the MW in the
			// pipeline, in campuses of the scenario's size).
			active := 0.0
			for _, w := range r.Weeks {
				active += w.PipelineMW / m.SizeMW
			}
			perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perRun/float64(weeks), "ns/week")
			b.ReportMetric(perRun/active, "ns/project-week")
		})
	}
}

// BenchmarkRunnerReference is one reference run as a Monte Carlo worker
// makes it: weeks only, on a Runner and controller reused run after run.
func BenchmarkRunnerReference(b *testing.B) {
	sc, err := scenario.Reference()
	if err != nil {
		b.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		b.Fatal(err)
	}
	var rn sim.Runner
	c := sim.NewController()
	for b.Loop() {
		c.Reset()
		rn.Run(m, c, sim.Options{WeeksOnly: true})
	}
}

// steadyInStride is testdata/steady.yaml starting from where its own run
// from an empty world stands after warm weeks: the campuses then under way
// (each stage done, running since the week it began, or ordered, due when
// the work needs it), the capacity online by the week it came online, the
// robot fleet and its orders, and the cash in hand, written as the
// scenario's starting state. What the starting state cannot say (stock on
// site for stages not begun, orders beyond the campuses' own) is left out,
// so its first weeks differ a little from the run's week warm onwards.
func steadyInStride(warm int) (*scenario.Scenario, error) {
	src, err := os.ReadFile("testdata/steady.yaml")
	if err != nil {
		return nil, err
	}
	sc, err := scenario.Parse("testdata/steady.yaml", src, os.ReadFile)
	if err != nil {
		return nil, err
	}
	sc.Horizon.V = float64(warm)
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	r := sim.Run(m, sim.NewController())
	if len(r.Invariants) > 0 {
		return nil, fmt.Errorf("steady warm-up run: %v", r.Invariants)
	}
	day := func(w int) string { return m.Date(w - warm).Format("2006-01-02") }
	power := func(p sim.ProjectLog) (string, float64) {
		total, most, name := 0.0, -1.0, ""
		for j, mw := range p.PowerMW {
			total += mw
			if mw > most {
				most, name = mw, m.Lines[m.PowerLines[j]].Name
			}
		}
		return name, total
	}
	var y strings.Builder
	y.WriteString("initial:\n  online:\n")
	online := map[int]float64{}
	onlinePower := map[int]string{}
	for _, p := range r.Projects {
		if p.OnlineWeek >= 0 {
			online[p.OnlineWeek] += p.MW
			onlinePower[p.OnlineWeek], _ = power(p)
		}
	}
	for w := range warm {
		if mw := online[w]; mw > 0 {
			// Its accelerators were last replaced within a life of now.
			since := w
			for life := m.Finance.AccelLifeWeeks; life > 0 && warm-since >= life; {
				since += life
			}
			fmt.Fprintf(&y, "    online_%d: {generation: %s, capacity: %g MW, since: %s, power: %s}\n", w, m.Generations[0].Name, mw, day(since), onlinePower[w])
		}
	}
	y.WriteString("  projects:\n")
	for _, p := range r.Projects {
		if p.OnlineWeek >= 0 {
			continue
		}
		fmt.Fprintf(&y, "    campus_%d:\n      size: %g MW\n      started: %s\n", p.ID, p.MW, day(p.StartWeek))
		if _, total := power(p); total > 0 {
			y.WriteString("      power:\n")
			for j, mw := range p.PowerMW {
				fmt.Fprintf(&y, "        %s: %.9f%%\n", m.Lines[m.PowerLines[j]].Name, 100*mw/total)
			}
		}
		y.WriteString("      stages:\n")
		for _, st := range p.Stages {
			switch {
			case st.EndWeek >= 0:
				fmt.Fprintf(&y, "        %s: {status: done}\n", st.Stage)
			case st.StartWeek >= 0:
				fmt.Fprintf(&y, "        %s: {status: running, since: %s}\n", st.Stage, day(st.StartWeek))
			default:
				fmt.Fprintf(&y, "        %s: {status: ordered}\n", st.Stage)
			}
		}
	}
	last := len(r.Weeks) - 1
	var fleet, onOrder float64
	for i, l := range m.Lines {
		if l.Kind == sim.Robot {
			fleet, onOrder = r.Lines[i].Supply[last], r.Lines[i].Backlog[last]
			if onOrder > 0 {
				fmt.Fprintf(&y, "  orders:\n    %s: {quantity: %g %ss}\n", l.Name, onOrder, l.Unit)
			}
		}
	}
	text := string(src)
	for _, edit := range []struct{ from, to string }{
		{"initial: 200 robots", fmt.Sprintf("initial: %g robots", fleet)},
		{"cash: $500B", fmt.Sprintf("cash: $%.0f", r.Weeks[last].CashUSD)},
	} {
		if !strings.Contains(text, edit.from) {
			return nil, fmt.Errorf("testdata/steady.yaml: %q not found", edit.from)
		}
		text = strings.Replace(text, edit.from, edit.to, 1)
	}
	return scenario.Parse("testdata/steady.yaml (in stride)", []byte(text+y.String()), os.ReadFile)
}

// TestSteadyInStride checks the horizon benchmark's fixture: the steady
// factory started from its own state after ten years holds as much under
// way and online as that run did, brings online and spends about as much as
// its last year did, balances its books, and keeps its pipeline within 15%
// of its level for ten more years.
func TestSteadyInStride(t *testing.T) {
	const warm = 520
	sc, err := steadyInStride(warm)
	if err != nil {
		t.Fatal(err)
	}
	r := runWeeks(t, sc, warm)
	base, err := scenario.Load("testdata/steady.yaml", os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	warmup := runWeeks(t, base, warm).Weeks
	was, now := warmup[warm-1], r.Weeks[0]
	// Its first year brings online and spends about what the warm-up's
	// last did (its campuses not yet begun wait on nothing they had on
	// order, so it brings online a little more).
	sum := func(ws []sim.Week, f func(sim.Week) float64) float64 {
		total := 0.0
		for _, w := range ws {
			total += f(w)
		}
		return total
	}
	for _, c := range []struct {
		what  string
		f     func(sim.Week) float64
		weeks int
		by    float64
	}{
		{"MW brought online", func(w sim.Week) float64 { return w.AddedMW }, 52, 0.3},
		{"capex", func(w sim.Week) float64 { return w.CapexUSD }, 13, 0.25},
	} {
		got, want := sum(r.Weeks[:c.weeks], c.f), sum(warmup[warm-c.weeks:], c.f)
		if math.Abs(got-want) > c.by*want {
			t.Errorf("%s in the first %d weeks %.4g, more than %.0f%% from the warm-up's last %d weeks (%.4g)", c.what, c.weeks, got, 100*c.by, c.weeks, want)
		}
	}
	if math.Abs(now.PipelineMW-was.PipelineMW) > 0.01*was.PipelineMW || math.Abs(now.OnlineMW-now.AddedMW-was.OnlineMW) > 0.01*was.OnlineMW {
		t.Errorf("week 0 under way %.0f MW, online %.0f MW; the warm-up ended with %.0f and %.0f", now.PipelineMW, now.OnlineMW-now.AddedMW, was.PipelineMW, was.OnlineMW)
	}
	for _, w := range r.Weeks {
		if math.Abs(w.PipelineMW-was.PipelineMW) > 0.15*was.PipelineMW {
			t.Fatalf("week %d: %.0f MW under way, more than 15%% from the %.0f MW the factory started with", w.Week, w.PipelineMW, was.PipelineMW)
		}
	}
}

// runWeeks runs sc over its first weeks and checks its books.
func runWeeks(t *testing.T, sc *scenario.Scenario, weeks int) *sim.Result {
	t.Helper()
	sc.Horizon.V = float64(weeks)
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	r := sim.Run(m, sim.NewController())
	if len(r.Invariants) > 0 {
		t.Fatalf("%s: invariants: %v", sc.Name, r.Invariants)
	}
	return r
}
