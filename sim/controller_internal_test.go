package sim

import (
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// The controller takes a project's power from the source expected to
// deliver soonest: lead time plus the queue ahead over the weekly supply.
func TestPowerMixSoonestFirst(t *testing.T) {
	src := `
name: two-sources
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
  slow: {kind: power, unit: MW, capacity: 1000 MW/week, share: 100%, lead_time: 10 weeks}
  fast: {kind: power, unit: MW, capacity: 100 MW/week, share: 100%, lead_time: 2 weeks, max_mix: 60%}
`
	sc, err := scenario.Parse("two.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	s := newState(m)
	c := NewController()
	c.init(s)
	slow, fast := m.LineIndex("slow"), m.LineIndex("fast")
	mix := func() (float64, float64) {
		got := c.powerMix(s)
		return got[0], got[1]
	}
	// Fast waits 2 weeks, slow 10: fast takes its largest share (60 MW),
	// slow the rest.
	if gs, gf := mix(); gs != 40 || gf != 60 {
		t.Fatalf("empty queues: slow %v MW, fast %v MW; want 40 and 60", gs, gf)
	}
	// 900 MW queued at fast: 2 + 900/100 = 11 weeks, now slower than slow.
	s.Order(fast, 900)
	if gs, gf := mix(); gs != 100 || gf != 0 {
		t.Fatalf("fast queued 9 weeks: slow %v MW, fast %v MW; want 100 and 0", gs, gf)
	}
	// And 2,000 MW queued at slow (12 weeks) sends it back to fast.
	s.Order(slow, 2000)
	if gs, gf := mix(); gs != 40 || gf != 60 {
		t.Fatalf("both queued: slow %v MW, fast %v MW; want 40 and 60", gs, gf)
	}
}
