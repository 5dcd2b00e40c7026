package sensitivity_test

import (
	"context"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sensitivity"
)

// tiny: 1 GW projects with one stage that secures their power; plentiful
// supply. With grid lead time L and stage duration D (whole weeks) the
// first project, started in week 0, is online in week L + D, and one
// follows every week: 1 GW/week from week L + D.
const tiny = `
name: tiny
start_date: 2026-01-05
horizon: 80 weeks
target: {rate: 1 GW/week, initial_rate: 1 GW/week, by: 2026-06-01}
project:
  size: 1000 MW
  pue: "1.0"
  stages:
    build: {duration: {dist: uniform, min: 8 weeks, max: 12 weeks}, secures_power: true}
policy: {expand: false}
generations:
  g1: {available: 2025-01-01, power_per_accelerator: 1 kW, compute_per_accelerator: 1 PFLOP/s, accelerators_per_rack: 10 accelerators}
resources:
  accelerators: {kind: accelerator, unit: accelerator, capacity: 100 M accelerators/week, share: 100%, lead_time: 0 weeks}
  grid: {kind: power, unit: MW, capacity: 100 GW/week, share: 100%, lead_time: {dist: uniform, min: 0 weeks, max: 20 weeks}}
  racks: {kind: material, unit: rack, capacity: 1 M racks/week, share: 100%, lead_time: {dist: normal, mean: 2 weeks, std: 0.1 weeks}}
`

// The grid lead time (P10 2, P90 18 weeks) swings the date by 16 weeks,
// the stage duration (P10 8.4 → 8, P90 11.6 → 12 weeks) by 4, and the
// racks, which no stage needs, not at all: the tornado lists them so.
func TestTornado(t *testing.T) {
	sc, err := scenario.Parse("tiny.yaml", []byte(tiny), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		res, err := sensitivity.Run(context.Background(), sc, workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Base.Week != 20 { // L = 10, D = 10
			t.Errorf("base: week %d, want 20", res.Base.Week)
		}
		want := []struct {
			path             string
			low, high, swing int
		}{
			{"resources.grid.lead_time", 2 + 10, 18 + 10, 16},
			{"project.stages.build.duration", 10 + 8, 10 + 12, 4},
			{"resources.racks.lead_time", 20, 20, 0},
		}
		if len(res.Inputs) != len(want) {
			t.Fatalf("%d inputs, want %d", len(res.Inputs), len(want))
		}
		for i, w := range want {
			in := res.Inputs[i]
			if in.Path != w.path || in.AtLow.Week != w.low || in.AtHigh.Week != w.high || in.Swing != w.swing {
				t.Errorf("row %d = %s: weeks %d → %d, swing %d; want %s: %d → %d, swing %d",
					i, in.Path, in.AtLow.Week, in.AtHigh.Week, in.Swing, w.path, w.low, w.high, w.swing)
			}
		}
		if in := res.Inputs[0]; in.Low != 2 || in.High != 18 {
			t.Errorf("grid lead time P10/P90 = %v/%v, want 2/18", in.Low, in.High)
		}
	}
}

func TestCancelled(t *testing.T) {
	sc, err := scenario.Parse("tiny.yaml", []byte(tiny), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sensitivity.Run(ctx, sc, 1, nil); err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
