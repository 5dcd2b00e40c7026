package sweep

import (
	"encoding/json"
	"fmt"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// Milestones a tally counts: the target rate sustained, then each of
// summary.OnlineMilestonesGW online.
const nMilestones = 4

// Tally is what a chunk's runs found, as counts and an order-free sketch:
// tallies of the same runs are equal however the runs were shared out,
// and tallies of disjoint runs add up exactly.
type Tally struct {
	Chunk
	// Completed is the runs tallied (Count once the chunk is done).
	Completed int
	// ByTarget counts the runs sustaining the target rate by the target date.
	ByTarget int64
	// Milestones[k][w] counts the runs reaching milestone k in week w; the
	// last entry counts those that never do.
	Milestones [nMilestones][]int64
	// Binding[l+1] counts the weeks (over all runs) line l bound; Binding[0]
	// the weeks nothing did.
	Binding []int64
	// Capex is the distribution of each run's capex over the horizon (USD).
	Capex mc.Sketch
}

func newTally(c Chunk, m *sim.Model) *Tally {
	t := &Tally{Chunk: c, Binding: make([]int64, len(m.Lines)+1)}
	for k := range t.Milestones {
		t.Milestones[k] = make([]int64, m.Weeks+1)
	}
	return t
}

func (t *Tally) add(r *sim.Result) {
	weeks := len(t.Milestones[0]) - 1
	t.Completed++
	capex := 0.0
	for _, wk := range r.Weeks {
		t.Binding[wk.Bottleneck+1]++
		capex += wk.CapexUSD
	}
	t.Capex.Add(capex)
	rm := summary.RunRateMilestones(r)
	t.Milestones[0][mc.MilestoneIndex(rm.Sustained, weeks)]++
	if rm.Sustained >= 0 && rm.Sustained <= r.Model.TargetWeek {
		t.ByTarget++
	}
	for k, gw := range summary.OnlineMilestonesGW {
		t.Milestones[1+k][mc.MilestoneIndex(summary.OnlineWeek(r, gw), weeks)]++
	}
}

// merge adds o's runs to t (same cell; any chunks).
func (t *Tally) merge(o *Tally) error {
	if len(o.Binding) != len(t.Binding) || len(o.Milestones[0]) != len(t.Milestones[0]) {
		return fmt.Errorf("%v: tally shaped for another scenario (%d lines, %d weeks; want %d, %d)",
			o.Chunk, len(o.Binding)-1, len(o.Milestones[0])-1, len(t.Binding)-1, len(t.Milestones[0])-1)
	}
	t.Completed += o.Completed
	t.ByTarget += o.ByTarget
	for k := range t.Milestones {
		for w, c := range o.Milestones[k] {
			t.Milestones[k][w] += c
		}
	}
	for l, c := range o.Binding {
		t.Binding[l] += c
	}
	t.Capex.Merge(&o.Capex)
	return nil
}

// tallyJSON is a Tally on the wire; milestone histograms are sparse
// [week, count] pairs (week = weeks counts the runs that never get there).
type tallyJSON struct {
	Chunk
	Completed  int                     `json:"completed"`
	Weeks      int                     `json:"weeks"`
	ByTarget   int64                   `json:"by_target"`
	Milestones [nMilestones][][2]int64 `json:"milestones"`
	Binding    []int64                 `json:"binding"`
	Capex      *mc.Sketch              `json:"capex"`
}

// MarshalJSON writes the tally; equal tallies give equal bytes.
func (t *Tally) MarshalJSON() ([]byte, error) {
	j := tallyJSON{Chunk: t.Chunk, Completed: t.Completed, Weeks: len(t.Milestones[0]) - 1, ByTarget: t.ByTarget, Binding: t.Binding, Capex: &t.Capex}
	for k, h := range t.Milestones {
		j.Milestones[k] = [][2]int64{}
		for w, c := range h {
			if c != 0 {
				j.Milestones[k] = append(j.Milestones[k], [2]int64{int64(w), c})
			}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (t *Tally) UnmarshalJSON(data []byte) error {
	var j tallyJSON
	j.Capex = &t.Capex
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.Weeks < 1 || j.Weeks > 1<<16 {
		return fmt.Errorf("tally of %v: %d weeks", j.Chunk, j.Weeks)
	}
	t.Chunk, t.Completed, t.ByTarget, t.Binding = j.Chunk, j.Completed, j.ByTarget, j.Binding
	for k, pairs := range j.Milestones {
		t.Milestones[k] = make([]int64, j.Weeks+1)
		for _, p := range pairs {
			if p[0] < 0 || p[0] > int64(j.Weeks) || p[1] < 0 {
				return fmt.Errorf("tally of %v: bad histogram entry %v", j.Chunk, p)
			}
			t.Milestones[k][p[0]] += p[1]
		}
	}
	return nil
}

// PartialFormat names the format of partial results.
const PartialFormat = "gwf-sweep-partial/1"

// Partial is a set of chunk tallies of one study: what a shard or a worker
// hands back for merging.
type Partial struct {
	Format  string   `json:"format"`
	Study   string   `json:"study"` // Study.ID
	Tallies []*Tally `json:"tallies"`
}
