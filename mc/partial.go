package mc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// PartialFormat names the encoding of a Partial; a Partial in another
// format is refused.
const PartialFormat = "gwf-mc-partial/1"

// Partial is what a range of a study's runs found, before it is summarised:
// the counts and sketches Run gathers. Partials of a study's ranges, made
// anywhere and in any order, combine (Combine) into exactly the Result Run
// gives for the whole study. Its JSON encoding depends only on the runs.
type Partial struct {
	// First and Runs are the range asked for: runs First to First+Runs−1.
	First, Runs int
	t           *tally
}

// Completed is how many of the range's runs finished: fewer than Runs
// when they were stopped.
func (p *Partial) Completed() int {
	if p.t == nil {
		return 0
	}
	return p.t.completed
}

// RunPartial makes the runs cfg.First to cfg.First+cfg.Runs−1 of a study
// of sc, as Run would, and returns what they found for Combine. When ctx
// is cancelled it returns what the finished runs show with ctx's error.
func RunPartial(ctx context.Context, sc *scenario.Scenario, cfg Config) (*Partial, error) {
	_, t, err := runTally(ctx, sc, cfg)
	if t == nil {
		return nil, err
	}
	return &Partial{First: cfg.First, Runs: cfg.Runs, t: t}, err
}

// Combine merges partials of a study of sc into the Result Run gives for
// cfg's runs (cfg.First to cfg.First+cfg.Runs−1). A range given more than
// once counts once; ranges must otherwise not overlap and must lie within
// cfg's. Runs missing from parts (a range never run, or stopped early)
// count as not completed, as when Run is stopped.
func Combine(sc *scenario.Scenario, cfg Config, parts []*Partial) (*Result, error) {
	if cfg.Runs < 1 || cfg.Runs > MaxRuns {
		return nil, fmt.Errorf("runs: %d is out of range (want 1 to %d)", cfg.Runs, MaxRuns)
	}
	base, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	f := newFrame(base)
	ps := slices.Clone(parts)
	slices.SortStableFunc(ps, func(a, b *Partial) int {
		if a.First != b.First {
			return a.First - b.First
		}
		return a.Runs - b.Runs
	})
	total := f.newTally()
	end := cfg.First // end of the last range merged
	var last *Partial
	for _, p := range ps {
		if p == nil || p.t == nil {
			return nil, errors.New("combine: an empty partial")
		}
		if last != nil && p.First == last.First && p.Runs == last.Runs {
			continue // a duplicate: delivered twice
		}
		if p.First < end || p.Runs < 1 || p.First+p.Runs > cfg.First+cfg.Runs {
			return nil, fmt.Errorf("combine: runs %d to %d overlap another range or lie outside runs %d to %d",
				p.First, p.First+p.Runs-1, cfg.First, cfg.First+cfg.Runs-1)
		}
		if err := p.t.fits(f); err != nil {
			return nil, fmt.Errorf("combine: runs %d to %d: %w", p.First, p.First+p.Runs-1, err)
		}
		total.merge(p.t)
		end, last = p.First+p.Runs, p
	}
	return f.result(sc, cfg, total), nil
}

// fits reports whether t's shape is that of f's study, as a decoded
// partial's may not be.
func (t *tally) fits(f *frame) error {
	weeks, lines := f.m.Weeks, len(f.m.Lines)+1
	ok := len(t.milestones) == miOnline+len(summary.OnlineMilestonesGW) && len(t.binding) == len(f.years) &&
		len(t.neverShort) == lines && len(t.online) == weeks && len(t.added) == weeks
	for _, m := range t.milestones {
		ok = ok && len(m) == weeks+1
	}
	for _, b := range t.binding {
		ok = ok && len(b) == lines
	}
	if !ok {
		return errors.New("the partial is of another scenario")
	}
	t.f = f
	return nil
}

// partialJSON is a Partial on the wire.
type partialJSON struct {
	Format     string    `json:"format"`
	First      int       `json:"first"`
	Runs       int       `json:"runs"`
	Completed  int       `json:"completed"`
	Milestones [][]int64 `json:"milestones"`
	ByTarget   []int     `json:"by_target"`
	Binding    [][]int64 `json:"binding"`
	Never      int       `json:"never"`
	Examples   []int     `json:"examples,omitempty"`
	NeverShort []int64   `json:"never_short"`
	Online     []Sketch  `json:"online"`
	Added      []Sketch  `json:"added"`
	Capex      Sketch    `json:"capex"`
	PeakFund   Sketch    `json:"peak_fund"`
	Checks     []int     `json:"checks,omitempty"`
}

// MarshalJSON writes the partial's counts and sketches (through the
// sketches' codec); the bytes depend only on the runs, not on how many
// workers made them or in what order.
func (p *Partial) MarshalJSON() ([]byte, error) {
	if p.t == nil {
		return nil, errors.New("partial: empty")
	}
	t := p.t
	return json.Marshal(&partialJSON{
		Format: PartialFormat, First: p.First, Runs: p.Runs, Completed: t.completed,
		Milestones: t.milestones, ByTarget: t.byTarget[:], Binding: t.binding, Never: t.never,
		Examples: t.examples, NeverShort: t.neverShort, Online: t.online, Added: t.added,
		Capex: t.capex, PeakFund: t.peakFund, Checks: t.checks,
	})
}

// UnmarshalJSON reads what MarshalJSON wrote. Whether the partial fits a
// study is checked by Combine.
func (p *Partial) UnmarshalJSON(data []byte) error {
	var j partialJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("partial: %w", err)
	}
	if j.Format != PartialFormat {
		return fmt.Errorf("partial: format %q, want %q", j.Format, PartialFormat)
	}
	if len(j.ByTarget) != nRate || j.Completed < 0 || j.Completed > j.Runs || j.Never < 0 || j.Never > j.Completed {
		return errors.New("partial: inconsistent counts")
	}
	t := &tally{
		completed: j.Completed, milestones: j.Milestones, binding: j.Binding, never: j.Never,
		examples: j.Examples, neverShort: j.NeverShort, online: j.Online, added: j.Added,
		capex: j.Capex, peakFund: j.PeakFund, checks: j.Checks,
	}
	copy(t.byTarget[:], j.ByTarget)
	*p = Partial{First: j.First, Runs: j.Runs, t: t}
	return nil
}
