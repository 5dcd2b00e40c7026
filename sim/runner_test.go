package sim_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// A Runner reused across runs of different models gives, run for run,
// what a fresh run gives: nothing of one run leaks into the next.
func TestRunnerReuse(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	// Forty years of the reference: projects asleep for stock and money.
	sc.Horizon.V = 2080
	long, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	small := compile(t, strings.Replace(tiny, "%LEAD%", "2 weeks", 1))
	shocked := compile(t, strings.Replace(tiny, "%LEAD%", "0 weeks", 1))
	shocked.Shocks = []sim.Shock{{Line: shocked.LineIndex("grid"), FromWeek: 0, ToWeek: 4, Factor: 0.5}}
	var rn sim.Runner
	ctl := sim.NewController()
	for k, c := range []struct {
		m *sim.Model
		o sim.Options
	}{
		{ref, sim.Options{}}, {small, sim.Options{}}, {ref, sim.Options{WeeksOnly: true}},
		{long, sim.Options{}}, {shocked, sim.Options{WeeksOnly: true}}, {ref, sim.Options{}},
		{long, sim.Options{WeeksOnly: true}}, {small, sim.Options{WeeksOnly: true}}, {ref, sim.Options{WeeksOnly: true}},
	} {
		want := new(sim.Runner).Run(c.m, sim.NewController(), c.o) // a fresh run's
		ctl.Reset()
		got := rn.Run(c.m, ctl, c.o)
		for _, f := range []struct {
			name      string
			got, want any
		}{
			{"Weeks", got.Weeks, want.Weeks},
			{"Projects", got.Projects, want.Projects},
			{"Lines", got.Lines, want.Lines},
			{"HeldBack", got.HeldBack, want.HeldBack},
			{"Missions", got.Missions, want.Missions},
			{"GenerationMW", got.GenerationMW, want.GenerationMW},
			{"CapexByBucket", got.CapexByBucket, want.CapexByBucket},
			{"Invariants", len(got.Invariants), len(want.Invariants)},
		} {
			if !reflect.DeepEqual(f.got, f.want) {
				t.Errorf("run %d (%s): %s differs from a fresh run's", k, c.m.Name, f.name)
			}
		}
	}
}
