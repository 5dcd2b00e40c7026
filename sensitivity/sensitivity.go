// Package sensitivity finds which uncertain inputs move the date the
// target rate (1 GW/week in the reference) is sustained most: a
// one-at-a-time tornado. Each input written as a distribution is
// set to its P10 and then its P90 while every other input stays at its
// median, and the date of each run is compared. Events are left out, as
// in a single run.
//
// The package does no I/O; the gwf command prints its results.
package sensitivity

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// The quantiles each input is set to.
const (
	Low  = 0.1
	High = 0.9
)

// Outcome is what one run gave.
type Outcome struct {
	// Week is the week the target rate is first reached and sustained
	// (summary.RateMilestones.Sustained), or -1.
	Week int
	// OnlineMW is the IT capacity online at the end of the horizon.
	OnlineMW float64
}

// Input is one uncertain input's effect.
type Input struct {
	Path string // field path, e.g. "resources.grid.lead_time"
	Text string // the distribution as written
	// Unit is the input's unit (its value is the median); Low and High
	// are its P10 and P90 in the same unit.
	Unit      units.Quantity
	Low, High float64
	// AtLow and AtHigh are the runs with the input at its P10 and P90.
	AtLow, AtHigh Outcome
	// Swing is the weeks between the two dates, a run that never reaches
	// the target rate counting as reaching it at the end of the horizon.
	Swing int
}

// Result is a tornado: the base run (every input at its median) and each
// input's effect, largest swing first.
type Result struct {
	Scenario string
	Start    time.Time
	Weeks    int
	// RateMW is the scenario's target rate, MW brought online per week:
	// the rate whose sustained date is measured (summary.TargetRateMW).
	RateMW float64
	Base   Outcome
	Inputs []Input
}

// Run makes the base run and two runs per uncertain input of sc on
// workers goroutines (one per CPU when workers ≤ 0). progress, if set, is
// called after each run with the runs done and the total, from several
// goroutines at once. When ctx is cancelled Run stops and returns its
// error.
func Run(ctx context.Context, sc *scenario.Scenario, workers int, progress func(done, total int)) (*Result, error) {
	inputs := sc.UncertainValues()
	total := 1 + 2*len(inputs)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, total)
	out := make([]Outcome, total)
	errs := make([]error, total)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				j := int(next.Add(1) - 1)
				if j >= total {
					return
				}
				out[j], errs[j] = runOne(sc, j)
				if n := done.Add(1); progress != nil {
					progress(int(n), total)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	base, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	res := &Result{Scenario: sc.Name, Start: base.Start, Weeks: base.Weeks, RateMW: summary.TargetRateMW(base), Base: out[0]}
	for k, in := range inputs {
		d := in.Value.Dist
		row := Input{
			Path: in.Path, Text: in.Value.Text, Unit: in.Value.Q,
			Low: d.Quantile(Low), High: d.Quantile(High),
			AtLow: out[1+2*k], AtHigh: out[2+2*k],
		}
		row.Swing = abs(weekOr(row.AtHigh.Week, res.Weeks) - weekOr(row.AtLow.Week, res.Weeks))
		res.Inputs = append(res.Inputs, row)
	}
	sort.SliceStable(res.Inputs, func(a, b int) bool {
		ra, rb := &res.Inputs[a], &res.Inputs[b]
		if ra.Swing != rb.Swing {
			return ra.Swing > rb.Swing
		}
		return mwSwing(ra) > mwSwing(rb)
	})
	return res, nil
}

// runOne makes run j: 0 is the base, 2k+1 and 2k+2 input k at P10 and P90.
func runOne(sc *scenario.Scenario, j int) (Outcome, error) {
	c := sc.Clone()
	which := "the run with every input at its median"
	if j > 0 {
		in := c.UncertainValues()[(j-1)/2]
		q, at := Low, "P10"
		if j%2 == 0 {
			q, at = High, "P90"
		}
		in.Value.V = in.Value.Dist.Quantile(q)
		in.Value.Q.Value = in.Value.V
		which = fmt.Sprintf("the run with %s at its %s", in.Path, at)
	}
	m, err := sim.Compile(c)
	if err != nil {
		return Outcome{}, fmt.Errorf("%s: %w", which, err)
	}
	// The outcome is read off the weeks: nothing else need be recorded.
	r := sim.RunWith(m, sim.NewController(), sim.Options{WeeksOnly: true})
	if len(r.Invariants) > 0 {
		return Outcome{}, fmt.Errorf("%s broke a conservation law (a bug in gwf): %s", which, r.Invariants[0])
	}
	o := Outcome{Week: summary.RunRateMilestones(r).Sustained}
	if n := len(r.Weeks); n > 0 {
		o.OnlineMW = r.Weeks[n-1].OnlineMW
	}
	return o, nil
}

func weekOr(w, never int) int {
	if w < 0 {
		return never
	}
	return w
}

func mwSwing(in *Input) float64 {
	d := in.AtHigh.OnlineMW - in.AtLow.OnlineMW
	if d < 0 {
		return -d
	}
	return d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ByDate reports whether the tornado is measured by the date the target
// rate is sustained (some run reaches it) or, failing that, by the
// capacity online at the end of the horizon.
func (r *Result) ByDate() bool {
	if r.Base.Week >= 0 {
		return true
	}
	for _, in := range r.Inputs {
		if in.AtLow.Week >= 0 || in.AtHigh.Week >= 0 {
			return true
		}
	}
	return false
}
