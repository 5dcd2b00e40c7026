package sim_test

import (
	"fmt"
	"os"
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
