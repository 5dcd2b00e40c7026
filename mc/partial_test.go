package mc_test

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
)

// split runs the study cfg in n ranges (the last one absorbing the
// remainder), each encoded and decoded as it would cross the network.
func split(t *testing.T, sc *scenario.Scenario, cfg mc.Config, n int) []*mc.Partial {
	t.Helper()
	var parts []*mc.Partial
	size := cfg.Runs / n
	for k := range n {
		c := cfg
		c.First, c.Runs = cfg.First+k*size, size
		if k == n-1 {
			c.Runs = cfg.Runs - k*size
		}
		p, err := mc.RunPartial(context.Background(), sc, c)
		if err != nil {
			t.Fatalf("RunPartial %d: %v", k, err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q mc.Partial
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		if b2, _ := json.Marshal(&q); string(b2) != string(b) {
			t.Fatalf("part %d: encoding is not stable across a round trip", k)
		}
		parts = append(parts, &q)
	}
	return parts
}

func TestCombineEqualsRun(t *testing.T) {
	ref, err := scenario.Load("testdata/reference-uncertain.yaml", os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	tiny := tinyScenario(t, uncertainLead, `events:
  stop: {probability: 50%/year, duration: {dist: uniform, min: 1 week, max: 8 weeks}, freeze: build}`)
	for _, tt := range []struct {
		name string
		sc   *scenario.Scenario
		cfg  mc.Config
	}{
		{"reference", ref, mc.Config{Runs: 42, Seed: 5, Workers: 3}},
		{"sketched", tiny, mc.Config{Runs: mc.ExactLimit + 200, Seed: 7, Workers: 4}},
		{"offset", tiny, mc.Config{First: 1000, Runs: 70, Seed: 7, Workers: 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := run(t, tt.sc, tt.cfg)
			for _, n := range []int{1, 3, 7} {
				parts := split(t, tt.sc, tt.cfg, n)
				// A range delivered twice counts once; order does not matter.
				parts = append(parts, parts[0])
				parts[0], parts[len(parts)-2] = parts[len(parts)-2], parts[0]
				got, err := mc.Combine(tt.sc, tt.cfg, parts)
				if err != nil {
					t.Fatalf("%d parts: %v", n, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%d parts: combined result differs from mc.Run's:\n got %s\nwant %s", n, marshal(t, got), marshal(t, want))
				}
			}
		})
	}
}

func TestCombineMissingAndOverlapping(t *testing.T) {
	sc := tinyScenario(t, uncertainLead, "")
	cfg := mc.Config{Runs: 30, Seed: 3}
	parts := split(t, sc, cfg, 3)
	got, err := mc.Combine(sc, cfg, parts[:2])
	if err != nil {
		t.Fatal(err)
	}
	if got.Completed != 20 || got.Runs != 30 {
		t.Errorf("two of three parts: completed %d of %d, want 20 of 30", got.Completed, got.Runs)
	}
	whole := split(t, sc, cfg, 1)
	if _, err := mc.Combine(sc, cfg, append(parts, whole...)); err == nil {
		t.Error("overlapping ranges combined without an error")
	}
	other := split(t, sc, mc.Config{First: 30, Runs: 10, Seed: 3}, 1)
	if _, err := mc.Combine(sc, cfg, other); err == nil {
		t.Error("a range outside the study combined without an error")
	}
	ref, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mc.Combine(ref, cfg, parts); err == nil {
		t.Error("partials of another scenario combined without an error")
	}
}
