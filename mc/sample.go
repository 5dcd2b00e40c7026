package mc

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// Streams of random numbers a run draws from, one per purpose, so that
// adding an event never changes the values drawn, nor the reverse.
const (
	streamValues uint64 = iota
	streamEvents
)

// stream is run's random stream for purpose under seed: ChaCha8 keyed by
// (seed, run, purpose). Each run's draws depend on nothing else, so results
// never depend on how many workers share the runs or in what order.
func stream(seed int64, run int, purpose uint64) *rand.Rand {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[0:], uint64(seed))
	binary.LittleEndian.PutUint64(key[8:], uint64(run))
	binary.LittleEndian.PutUint64(key[16:], purpose)
	copy(key[24:], "gwf-mc/1")
	return rand.New(rand.NewChaCha8(key))
}

// Draw returns run's copy of sc with every uncertain value drawn (one
// uniform number each, in declaration order, through the value's
// quantile function) and the occurrences of its events, in declaration
// order. sc is not changed.
func Draw(sc *scenario.Scenario, seed int64, run int) (*scenario.Scenario, []scenario.Occurrence) {
	return newDrawer(sc).draw(seed, run)
}

// drawer draws runs of one scenario into a copy it keeps: a study clones
// the scenario and finds its uncertain values once per worker, then each
// run writes its draws over the last run's. Every uncertain value is drawn
// afresh each time, so a run's copy is the one Draw would make.
type drawer struct {
	c       *scenario.Scenario
	entries []scenario.Entry
	occ     []scenario.Occurrence
}

func newDrawer(sc *scenario.Scenario) *drawer {
	c := sc.Clone()
	return &drawer{c: c, entries: c.UncertainValues()}
}

// draw draws run into the drawer's copy and returns it with the run's
// event occurrences; both are overwritten by the next call.
func (d *drawer) draw(seed int64, run int) (*scenario.Scenario, []scenario.Occurrence) {
	c := d.c
	r := stream(seed, run, streamValues)
	for _, e := range d.entries {
		v := e.Value
		v.V = v.Dist.Quantile(r.Float64())
		v.Q.Value = v.V
	}
	occ := d.occ[:0]
	if len(c.Events) > 0 {
		r = stream(seed, run, streamEvents)
		for i := range c.Events {
			occ = append(occ, c.Events[i].Occurrences(c.StartDate.Time, c.HorizonWeeks(), r.Float64)...)
		}
	}
	d.occ = occ
	if len(occ) == 0 {
		occ = nil
	}
	return c, occ
}

// Model compiles run of a Monte Carlo study of sc under seed: the drawn
// scenario (see Draw) with its events' occurrences as supply shocks and
// stage freezes.
func Model(sc *scenario.Scenario, seed int64, run int) (*sim.Model, error) {
	return newDrawer(sc).model(seed, run)
}

// model compiles run as Model does, from the drawer's copy.
func (d *drawer) model(seed int64, run int) (*sim.Model, error) {
	c, occ := d.draw(seed, run)
	m, err := sim.Compile(c)
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", run, err)
	}
	if err := Apply(m, occ); err != nil {
		return nil, fmt.Errorf("run %d: %w", run, err)
	}
	return m, nil
}

// Apply adds events' occurrences to m as shocks and freezes.
func Apply(m *sim.Model, occ []scenario.Occurrence) error {
	for _, o := range occ {
		if o.Shock != "" {
			l := m.LineIndex(o.Shock)
			if l < 0 {
				return fmt.Errorf("event %s: no supply line %q", o.Event, o.Shock)
			}
			m.Shocks = append(m.Shocks, sim.Shock{Line: l, FromWeek: o.FromWeek, ToWeek: o.ToWeek, Factor: o.Factor})
			continue
		}
		st := m.StageIndex(o.Freeze)
		if st < 0 {
			return fmt.Errorf("event %s: no stage %q", o.Event, o.Freeze)
		}
		m.Freezes = append(m.Freezes, sim.Freeze{Stage: st, FromWeek: o.FromWeek, ToWeek: o.ToWeek})
	}
	return nil
}
