package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/summary"
)

// Row is one cell's results.
type Row struct {
	Cell int `json:"cell"`
	// Inputs holds the cell's value of each axis, in axis order.
	Inputs []string `json:"inputs"`
	// Runs is the runs merged: the study's runs per cell unless stopped.
	Runs int `json:"runs"`
	// TargetRate labels the rate milestone ("1 GW/week").
	TargetRate string `json:"target_rate"`
	// Rate holds P10, P50 and P90 of the date the target rate is reached
	// and sustained; OnlineGW those of the 1, 10 and 100 GW online dates.
	// "" means that share of runs never gets there.
	Rate     [3]string    `json:"rate_p10_p50_p90"`
	OnlineGW [3][3]string `json:"online_gw_p10_p50_p90"`
	// TargetDate is the scenario's target date; OddsByTarget the share of
	// runs sustaining the target rate by it.
	TargetDate   string  `json:"target_date"`
	OddsByTarget float64 `json:"odds_by_target"`
	// Binding is the supply line that binds in most weeks over all runs,
	// BindingShare that share of the weeks ("" and 0 when nothing binds).
	Binding      string  `json:"binding"`
	BindingShare float64 `json:"binding_share"`
	// Capex holds P10, P50 and P90 of the runs' capex over the horizon (USD).
	Capex [3]float64 `json:"capex_usd_p10_p50_p90"`
}

// Table is a study's results, one row per cell.
type Table struct {
	Study string   `json:"study"`
	ID    string   `json:"id"`
	Base  string   `json:"base"`
	Seed  int64    `json:"seed"`
	Runs  int      `json:"runs_per_cell"`
	Axes  []string `json:"axes"`
	// Complete reports whether every chunk of every cell was merged.
	Complete bool  `json:"complete"`
	Rows     []Row `json:"cells"`
}

// Merge combines tallies of the study (from any shards, in any order, with
// duplicates) into its table. A chunk tallied twice counts once; a tally
// that is not one of the study's chunks is an error.
func (s *Study) Merge(tallies []*Tally) (*Table, error) {
	want := map[Chunk]bool{}
	for _, c := range s.Chunks() {
		want[c] = true
	}
	seen := map[Chunk]bool{}
	cells := make([]*Tally, len(s.Cells))
	for _, t := range tallies {
		if !want[t.Chunk] {
			return nil, fmt.Errorf("%v is not a chunk of study %s (%d runs per cell in chunks of %d)", t.Chunk, s.Name, s.Runs, s.ChunkRuns)
		}
		if t.Completed != t.Count {
			return nil, fmt.Errorf("%v: only %d of %d runs tallied", t.Chunk, t.Completed, t.Count)
		}
		if seen[t.Chunk] {
			continue
		}
		seen[t.Chunk] = true
		f, err := s.frame(t.Cell)
		if err != nil {
			return nil, err
		}
		if cells[t.Cell] == nil {
			cells[t.Cell] = newTally(Chunk{Cell: t.Cell}, f.m)
		}
		if err := cells[t.Cell].merge(t); err != nil {
			return nil, err
		}
	}
	tb := &Table{Study: s.Name, ID: s.ID(), Base: s.Base, Seed: s.Seed, Runs: s.Runs, Complete: len(seen) == len(want)}
	for _, a := range s.Axes {
		tb.Axes = append(tb.Axes, a.Path)
	}
	for i, c := range s.Cells {
		row := Row{Cell: i, Inputs: c.Values}
		f, err := s.frame(i)
		if err != nil {
			return nil, err
		}
		m := f.m
		row.TargetRate = summary.RateLabel(summary.TargetRateMW(m))
		row.TargetDate = f.sc.Target.By.Time.Format(time.DateOnly)
		t := cells[i]
		if t == nil || t.Completed == 0 {
			tb.Rows = append(tb.Rows, row)
			continue
		}
		row.Runs = t.Completed
		date := func(w int) string {
			if w < 0 {
				return ""
			}
			return m.Date(w).Format(time.DateOnly)
		}
		for k := range nMilestones {
			q := quantileWeeks(t.Milestones[k])
			for j := range q {
				if k == 0 {
					row.Rate[j] = date(q[j])
				} else {
					row.OnlineGW[k-1][j] = date(q[j])
				}
			}
		}
		row.OddsByTarget = float64(t.ByTarget) / float64(t.Completed)
		best, all := 0, int64(0)
		for l, c := range t.Binding {
			all += c
			if l > 0 && c > t.Binding[best] {
				best = l
			}
		}
		if best > 0 && all > 0 {
			row.Binding = m.Lines[best-1].Name
			row.BindingShare = float64(t.Binding[best]) / float64(all)
		}
		for j, p := range []float64{0.1, 0.5, 0.9} {
			row.Capex[j] = math.Round(t.Capex.Quantile(p))
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb, nil
}

// quantileWeeks reads nearest-rank P10, P50 and P90 weeks off a histogram
// whose last bin counts runs that never got there (-1).
func quantileWeeks(hist []int64) [3]int {
	n := int64(0)
	for _, c := range hist {
		n += c
	}
	var out [3]int
	for j, p := range []float64{0.1, 0.5, 0.9} {
		out[j] = -1
		k := max(1, int64(math.Ceil(p*float64(n)-1e-9)))
		for w, c := range hist {
			if k -= c; k <= 0 {
				if w < len(hist)-1 {
					out[j] = w
				}
				break
			}
		}
	}
	return out
}

// WriteJSON writes the table as one indented JSON object.
func (tb *Table) WriteJSON(w io.Writer) error {
	return jsonout.Write(w, tb)
}

// CSVHeader is the table's CSV header after the axis paths.
var CSVHeader = []string{"runs", "target_rate",
	"rate_p10", "rate_p50", "rate_p90",
	"gw1_p10", "gw1_p50", "gw1_p90", "gw10_p10", "gw10_p50", "gw10_p90", "gw100_p10", "gw100_p50", "gw100_p90",
	"target_date", "odds_by_target", "binding", "binding_share",
	"capex_p10_usd", "capex_p50_usd", "capex_p90_usd"}

// WriteCSV writes the table as CSV: cell, the axes, then CSVHeader.
func (tb *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := append(append([]string{"cell"}, tb.Axes...), CSVHeader...)
	if err := cw.Write(head); err != nil {
		return err
	}
	num := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	for _, r := range tb.Rows {
		rec := append([]string{strconv.Itoa(r.Cell)}, r.Inputs...)
		rec = append(rec, strconv.Itoa(r.Runs), r.TargetRate)
		rec = append(rec, r.Rate[:]...)
		for _, g := range r.OnlineGW {
			rec = append(rec, g[:]...)
		}
		rec = append(rec, r.TargetDate, num(r.OddsByTarget, 4), r.Binding, num(r.BindingShare, 4),
			num(r.Capex[0], 0), num(r.Capex[1], 0), num(r.Capex[2], 0))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
