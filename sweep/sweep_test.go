package sweep_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sweep"
)

const small = `name: small
base: reference
runs: 12
chunk_runs: 5
seed: 7
axes:
  - path: target.rate
    values: [0.5 GW/week, 1 GW/week]
  - path: resources.cowos_packaging.growth
    range: {from: 30%/year, to: 50%/year, step: 20%/year}
`

func parse(t *testing.T, src string) *sweep.Study {
	t.Helper()
	s, err := sweep.Parse("study.yaml", []byte(src), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func noFiles(p string) ([]byte, error) { return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist) }

// runTable runs chunks of s in this process and merges their tallies.
func runTable(t *testing.T, s *sweep.Study, chunks []sweep.Chunk) *sweep.Table {
	t.Helper()
	all, err := s.Run(context.Background(), chunks, sweep.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := s.Merge(all)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func outputs(t *testing.T, s *sweep.Study, tallies []*sweep.Tally) string {
	t.Helper()
	tb, err := s.Merge(tallies)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tb.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if err := tb.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// roundTrip sends tallies through their wire form, as shards and workers do.
func roundTrip(t *testing.T, ts []*sweep.Tally) []*sweep.Tally {
	t.Helper()
	b, err := json.Marshal(sweep.Partial{Format: sweep.PartialFormat, Tallies: ts})
	if err != nil {
		t.Fatal(err)
	}
	var p sweep.Partial
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(p)
	if !bytes.Equal(b, again) {
		t.Fatalf("a partial changed on a round trip:\n%s\n%s", b, again)
	}
	return p.Tallies
}

func TestStudyCells(t *testing.T) {
	s := parse(t, small)
	if len(s.Cells) != 4 {
		t.Fatalf("got %d cells, want 2×2", len(s.Cells))
	}
	want := [][]string{{"0.5 GW/week", "30%/year"}, {"0.5 GW/week", "50%/year"}, {"1 GW/week", "30%/year"}, {"1 GW/week", "50%/year"}}
	for i, c := range s.Cells {
		if strings.Join(c.Values, "|") != strings.Join(want[i], "|") {
			t.Errorf("cell %d = %v, want %v", i, c.Values, want[i])
		}
	}
	if got := len(s.Chunks()); got != 4*3 {
		t.Errorf("got %d chunks, want 12 (3 per cell)", got)
	}
}

// Any split of a study into shards, each tallied separately (and some
// twice), merges into the bytes of the study run in one go.
func TestShardsMergeExactly(t *testing.T) {
	s := parse(t, small)
	all, err := s.Run(context.Background(), s.Chunks(), sweep.Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := outputs(t, s, all)
	if !strings.Contains(want, "odds_by_target") {
		t.Fatalf("no table:\n%s", want)
	}
	for _, n := range []int{1, 2, 5, 12} {
		var got []*sweep.Tally
		for i := n - 1; i >= 0; i-- {
			sh, err := s.Shard(i, n)
			if err != nil {
				t.Fatal(err)
			}
			// A fresh study per shard, as on another machine.
			ts, err := parse(t, small).Run(context.Background(), sh, sweep.Options{Workers: 1 + i%2})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, roundTrip(t, ts)...)
			if i == 0 {
				got = append(got, roundTrip(t, ts)...) // a duplicate
			}
		}
		if out := outputs(t, s, got); out != want {
			t.Errorf("%d shards merged differ from one process:\n%s\nwant\n%s", n, out, want)
		}
	}
	if out := outputs(t, s, all[:3]); out == want || !strings.Contains(out, `"complete": false`) {
		t.Error("a table missing chunks looks complete")
	}
}

// The cells differ: lower target rate is reached sooner.
func TestCellsDiffer(t *testing.T) {
	s := parse(t, small)
	tb := runTable(t, s, s.Chunks())
	lo, hi := tb.Rows[0], tb.Rows[2]
	if lo.Runs != 12 || lo.OddsByTarget < hi.OddsByTarget || lo.Rate[1] == "" || (hi.Rate[1] != "" && lo.Rate[1] > hi.Rate[1]) {
		t.Errorf("0.5 GW/week cell %+v should do at least as well as the 1 GW/week cell %+v", lo, hi)
	}
	var h bytes.Buffer
	if err := tb.WriteHTML(&h, s, 1, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), `id="heatmap"`) || !strings.Contains(h.String(), "30%/year") {
		t.Errorf("report lacks the heatmap:\n%s", h.String())
	}
}

func TestLatinHypercube(t *testing.T) {
	src := `base: reference
runs: 2
latin_hypercube: 5
axes:
  - path: project.size
    sample: {from: 100 MW, to: 600 MW}
  - path: target.rate
    values: [1 GW/week, 2 GW/week]
`
	s := parse(t, src)
	if len(s.Cells) != 10 {
		t.Fatalf("got %d cells, want 2×5", len(s.Cells))
	}
	// One draw in each fifth of the range.
	seen := map[int]bool{}
	for _, v := range s.Axes[0].Values {
		var mw float64
		fmt.Sscanf(v, "%g MW", &mw)
		seen[int((mw-100)/100)] = true
	}
	if len(seen) != 5 {
		t.Errorf("draws %v do not cover the five strata", s.Axes[0].Values)
	}
	if again := parse(t, src); strings.Join(again.Axes[0].Values, ",") != strings.Join(s.Axes[0].Values, ",") {
		t.Error("the Latin hypercube is not reproducible")
	}
}

func TestStudyErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"wrong unit", "axes:\n  - path: target.rate\n    values: [1 GW/week, 3 weeks]\n", "study.yaml:3:25: target.rate"},
		{"range unit", "axes:\n  - path: project.size\n    range: {from: 100 MW, to: 2 weeks, step: 50 MW}\n", "study.yaml:3:31: axes[0].range.to"},
		{"unknown field", "axis: []\n", "study.yaml:1:1: axis: unknown field"},
		{"no such path", "axes:\n  - path: target.speed\n    values: [1]\n", "study.yaml:3:14: target.speed"},
		{"bad runs", "runs: lots\naxes:\n  - path: target.rate\n    values: [1 GW/week]\n", "study.yaml:1:7: runs"},
		{"sample needs points", "axes:\n  - path: project.size\n    sample: {from: 100 MW, to: 200 MW}\n", "study.yaml:2:11: latin_hypercube"},
		{"base missing", "base: nowhere.yaml\naxes:\n  - path: target.rate\n    values: [1 GW/week]\n", "study.yaml:1:7: base"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sweep.Parse("study.yaml", []byte(tc.src), noFiles)
			if err == nil || !scenario.IsInvalid(err) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v, want an error starting %q", err, tc.want)
			}
		})
	}
}

func TestParseShard(t *testing.T) {
	env := func(k string) string { return map[string]string{"SLURM_ARRAY_TASK_ID": "4"}[k] }
	for _, tc := range []struct {
		spec string
		i, n int
		bad  bool
	}{{"2/5", 2, 5, false}, {"/8", 4, 8, false}, {"5/5", 0, 0, true}, {"x", 0, 0, true}, {"/3", 0, 0, true}} {
		i, n, err := sweep.ParseShard(tc.spec, env)
		if (err != nil) != tc.bad || i != tc.i || n != tc.n {
			t.Errorf("ParseShard(%q) = %d, %d, %v", tc.spec, i, n, err)
		}
	}
}

func TestParquet(t *testing.T) {
	s := parse(t, small)
	tb := runTable(t, s, s.Chunks()[:3])
	var b bytes.Buffer
	if err := tb.WriteParquet(&b); err != nil {
		t.Fatal(err)
	}
	if b.Len() < 100 || !bytes.HasPrefix(b.Bytes(), []byte("PAR1")) || !bytes.Contains(b.Bytes(), []byte("odds_by_target")) {
		t.Errorf("not a Parquet file with the table's columns (%d bytes)", b.Len())
	}
}

// The example studies in examples/ (the README's grid and a small one)
// parse, and every cell compiles to a valid scenario.
func TestExampleStudies(t *testing.T) {
	for file, cells := range map[string]int{"grid-4x4.yaml": 16, "study.yaml": 4} {
		src, err := os.ReadFile("../examples/" + file)
		if err != nil {
			t.Fatal(err)
		}
		s, err := sweep.Parse("examples/"+file, src, noFiles)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(s.Cells); n != cells {
			t.Fatalf("%s: %d cells, want %d", file, n, cells)
		}
		for c := range s.Cells {
			if _, err := s.Scenario(c); err != nil {
				t.Errorf("%s cell %d: %v", file, c, err)
			}
		}
	}
}

// BenchmarkChunk runs one chunk of the small study of 1 and of 50 runs:
// the time per run of the 1-run chunk less that of the 50-run chunk is
// what a chunk costs beyond its runs (framing the cell, the tally).
func BenchmarkChunk(b *testing.B) {
	s, err := sweep.Parse("study.yaml", []byte(small), noFiles)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 12} {
		b.Run(fmt.Sprintf("runs=%d", n), func(b *testing.B) {
			chunk := []sweep.Chunk{{Cell: 0, First: 0, Count: n}}
			for b.Loop() {
				if _, err := s.Run(context.Background(), chunk, sweep.Options{Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1e6, "ms/run")
		})
	}
}

// BenchmarkWorkers runs the small study (4 cells × 12 runs) with 1 and 2
// workers: throughput against the cores.
func BenchmarkWorkers(b *testing.B) {
	s, err := sweep.Parse("study.yaml", []byte(small), noFiles)
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Run(context.Background(), s.Chunks(), sweep.Options{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(s.Cells)*s.Runs)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
