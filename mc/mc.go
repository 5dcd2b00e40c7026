package mc

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// MaxRuns bounds a study's size.
const MaxRuns = 10_000_000

// maxExamples is how many runs that never sustain the target rate are named.
const maxExamples = 10

// Config says how many runs to make, from which seed, on how many workers.
type Config struct {
	Runs int
	Seed int64
	// First is the index of the first run: the runs are numbered First to
	// First+Runs−1, each drawing from its own stream, so a study's runs
	// may be split into ranges run anywhere (RunPartial) and combined
	// (Combine). Zero, the default, runs the whole study.
	First int
	// Workers is how many runs go at once; zero or less means one per CPU.
	// It changes how fast a study goes, never what it finds.
	Workers int
	// Progress, if set, is called after each run with the number of runs
	// finished so far. It is called from several goroutines at once and
	// must be quick.
	Progress func(done int)
	// Policy, if set, makes each run's policy (one per run; a policy may
	// keep state); nil means the built-in sim.NewController.
	Policy func() sim.Policy
	// Checks, if set, asks each run a fixed number of yes-or-no questions
	// (the same number every run); Result.Checks counts the runs saying
	// yes to each. It is called from several goroutines at once.
	Checks func(r *sim.Result) []bool
}

// Result is what a study found. Every number depends only on the
// scenario, the seed and the runs completed.
type Result struct {
	Scenario   string
	Seed       int64
	Runs       int // runs asked for
	Completed  int // runs finished: fewer than Runs when the study was stopped
	Start      time.Time
	Weeks      int
	TargetWeek int // the scenario's target date (target.by), as a week
	Inputs     int // uncertain values drawn in each run
	Events     int // events that may happen in each run
	Lines      []string
	// Checks counts, per Config.Checks question, the runs answering yes.
	Checks []int

	// RateMW is the scenario's target rate, MW brought online per week
	// (summary.TargetRateMW; its median when the rate is drawn): the rate
	// the rate milestones test. Each run tests its own target rate.
	RateMW float64
	// GWPerWeek is the week the target rate is first reached and
	// sustained, FirstQuarter the first week of the first calendar quarter
	// reaching it and FourQuarters that of the first of four quarters in a
	// row reaching it, as summary.RateMilestonesOf judges them; OnlineGW
	// the weeks 1, 10 and 100 GW are online (summary.OnlineMilestonesGW).
	GWPerWeek    Milestone
	FirstQuarter Milestone
	FourQuarters Milestone
	OnlineGW     []Milestone
	// ByTarget counts the runs sustaining the target rate by TargetWeek;
	// FirstQuarterByTarget and FourQuartersByTarget those whose
	// FirstQuarter and FourQuarters week is at or before TargetWeek.
	ByTarget             int
	FirstQuarterByTarget int
	FourQuartersByTarget int
	// Years lists, for each calendar year of the horizon, the lines that
	// bound most often: their share of the year's weeks over all runs.
	Years []Year
	// Never describes the runs that never sustain the target rate.
	Never Never
	// Online and Added are weekly bands of IT capacity online and brought
	// online in the week (MW), over the runs.
	Online, Added []Band
	// BandsExact reports whether the bands are exact; if not, each is
	// within RelativeError of the exact quantile.
	BandsExact bool
	// CapexUSD is the band of a run's total capex over the horizon, and
	// PeakFundUSD of its peak funding need (summary.CapexAndPeakNeed; 0
	// without finance).
	CapexUSD, PeakFundUSD Band
}

// Milestone is the distribution over runs of the week something happens.
type Milestone struct {
	Label   string // "1 GW/week", "First quarter at 1 GW/week", "1 GW online", ...
	Reached int    // runs in which it happens within the horizon
	// P10, P50 and P90 are nearest-rank quantiles of the week over the
	// runs; -1 means that share of runs does not reach it at all.
	P10, P50, P90 int
	// Counts[w] is the number of runs reaching it in week w; the last
	// entry counts the runs that never do (for histograms).
	Counts []int64 `json:"-"`
}

// Year is one calendar year's most frequent binding constraints.
type Year struct {
	Year    int
	Binding []LineShare // most frequent first, at most three
}

// LineShare is a supply line and a share (of weeks, or of runs).
type LineShare struct {
	Line  string
	Share float64
}

// Never describes the runs that never sustain the target rate.
type Never struct {
	Runs     int
	Examples []int       // the lowest-numbered such runs, at most ten
	Short    []LineShare // what bound in those runs' last year, most first
}

// Band is the P10, P50 and P90 of a weekly quantity over the runs.
type Band struct {
	P10, P50, P90 float64
}

// Run makes cfg.Runs simulations of sc under the built-in controller (or
// cfg.Policy), runs cfg.First onwards, run
// i drawing from its own random stream (see Draw), and summarises them.
// Memory does not grow with the number of runs.
//
// When ctx is cancelled, Run stops starting runs, waits for those under
// way, and returns what the finished ones show together with ctx's error.
func Run(ctx context.Context, sc *scenario.Scenario, cfg Config) (*Result, error) {
	frame, total, err := runTally(ctx, sc, cfg)
	if frame == nil {
		return nil, err
	}
	return frame.result(sc, cfg, total), err
}

// runTally makes cfg's runs and returns their merged tally. It returns a
// nil frame only when it could not start; otherwise the error is the
// cause that stopped the runs early, if any.
func runTally(ctx context.Context, sc *scenario.Scenario, cfg Config) (*frame, *tally, error) {
	if cfg.Runs < 1 || cfg.Runs > MaxRuns {
		return nil, nil, fmt.Errorf("runs: %d is out of range (want 1 to %d)", cfg.Runs, MaxRuns)
	}
	if cfg.First < 0 || cfg.First > MaxRuns-cfg.Runs {
		return nil, nil, fmt.Errorf("first run: %d is out of range (want 0 to %d)", cfg.First, MaxRuns-cfg.Runs)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, cfg.Runs)
	base, err := sim.Compile(sc)
	if err != nil {
		return nil, nil, err
	}
	frame := newFrame(base)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next, done atomic.Int64
	tallies := make([]*tally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := frame.newTally()
			tallies[w] = t
			// One of each per worker, reused run after run.
			d := newDrawer(sc)
			var runner sim.Runner
			ctl := sim.NewController()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= cfg.Runs {
					return
				}
				i += cfg.First
				m, err := d.model(cfg.Seed, i)
				if err != nil {
					cancel(err)
					return
				}
				var pol sim.Policy
				if cfg.Policy != nil {
					pol = cfg.Policy()
				} else {
					ctl.Reset()
					pol = ctl
				}
				r := runner.Run(m, pol, sim.Options{WeeksOnly: true})
				if len(r.Invariants) > 0 {
					cancel(fmt.Errorf("run %d broke a conservation law (a bug in gwf): %s", i, r.Invariants[0]))
					return
				}
				t.add(i, r)
				if cfg.Checks != nil {
					for k, yes := range cfg.Checks(r) {
						for len(t.checks) <= k {
							t.checks = append(t.checks, 0)
						}
						if yes {
							t.checks[k]++
						}
					}
				}
				if n := done.Add(1); cfg.Progress != nil {
					cfg.Progress(int(n))
				}
			}
		}()
	}
	wg.Wait()
	total := tallies[0]
	for _, t := range tallies[1:] {
		total.merge(t)
	}
	if cause := context.Cause(ctx); cause != nil && total.completed < cfg.Runs {
		return frame, total, cause // stopped, or a run failed
	}
	return frame, total, nil
}

// frame is what every run of a study shares: its weeks and lines.
type frame struct {
	m      *sim.Model
	yearOf []int // week → index of its calendar year
	years  []int
}

func newFrame(m *sim.Model) *frame {
	f := &frame{m: m, yearOf: make([]int, m.Weeks)}
	for w := range m.Weeks {
		y := m.Date(w).Year()
		if len(f.years) == 0 || f.years[len(f.years)-1] != y {
			f.years = append(f.years, y)
		}
		f.yearOf[w] = len(f.years) - 1
	}
	return f
}

// Indices of the milestones in a tally: the three rate milestones, then
// the online milestones from miOnline.
const (
	miSustained = iota
	miFirstQuarter
	miFourQuarters
	nRate
	miOnline = nRate
)

// tally accumulates runs as counts and sketches only, so that merging
// tallies in any order gives the same totals.
type tally struct {
	f          *frame
	completed  int
	milestones [][]int64  // [milestone][week]; index Weeks counts "never"; see the mi* indices
	byTarget   [nRate]int // runs reaching each rate milestone by the target week
	binding    [][]int64  // [year][line+1]; 0 counts weeks with no bottleneck
	never      int
	examples   []int
	neverShort []int64 // [line+1]
	online     []Sketch
	added      []Sketch
	capex      Sketch // a run's total capex
	peakFund   Sketch // a run's peak funding need
	checks     []int  // Config.Checks: runs saying yes to each
}

func (f *frame) newTally() *tally {
	t := &tally{
		f:          f,
		milestones: make([][]int64, miOnline+len(summary.OnlineMilestonesGW)),
		binding:    make([][]int64, len(f.years)),
		neverShort: make([]int64, len(f.m.Lines)+1),
		online:     make([]Sketch, f.m.Weeks),
		added:      make([]Sketch, f.m.Weeks),
	}
	for i := range t.milestones {
		t.milestones[i] = make([]int64, f.m.Weeks+1)
	}
	for i := range t.binding {
		t.binding[i] = make([]int64, len(f.m.Lines)+1)
	}
	return t
}

// add records run i's result.
func (t *tally) add(i int, r *sim.Result) {
	weeks := t.f.m.Weeks
	t.completed++
	for w, wk := range r.Weeks {
		t.online[w].Add(wk.OnlineMW)
		t.added[w].Add(wk.AddedMW)
		t.binding[t.f.yearOf[w]][wk.Bottleneck+1]++
	}
	capex, peak := summary.CapexAndPeakNeed(r)
	t.capex.Add(capex)
	t.peakFund.Add(peak)
	rm := summary.RunRateMilestones(r)
	for k, at := range [nRate]int{miSustained: rm.Sustained, miFirstQuarter: rm.FirstQuarter, miFourQuarters: rm.FourQuarters} {
		t.milestones[k][MilestoneIndex(at, weeks)]++
		if at >= 0 && at <= r.Model.TargetWeek {
			t.byTarget[k]++
		}
	}
	gw := rm.Sustained
	for k, target := range summary.OnlineMilestonesGW {
		t.milestones[miOnline+k][MilestoneIndex(summary.OnlineWeek(r, target), weeks)]++
	}
	if gw < 0 {
		t.never++
		t.examples = lowest(append(t.examples, i))
		for _, wk := range r.Weeks[max(0, len(r.Weeks)-52):] {
			t.neverShort[wk.Bottleneck+1]++
		}
	}
}

// MilestoneIndex is where a run reaching a milestone in week w (-1:
// never) is counted in a histogram over a horizon of weeks (Milestone.Counts):
// its week, or the last entry for a run that never reaches it.
func MilestoneIndex(w, weeks int) int {
	if w < 0 || w >= weeks {
		return weeks
	}
	return w
}

// lowest sorts runs and keeps the first maxExamples.
func lowest(runs []int) []int {
	slices.Sort(runs)
	return runs[:min(len(runs), maxExamples)]
}

func (t *tally) merge(o *tally) {
	t.completed += o.completed
	for k := range t.byTarget {
		t.byTarget[k] += o.byTarget[k]
	}
	t.never += o.never
	for k, c := range o.checks {
		for len(t.checks) <= k {
			t.checks = append(t.checks, 0)
		}
		t.checks[k] += c
	}
	t.examples = lowest(append(t.examples, o.examples...))
	for i := range t.milestones {
		addCounts(t.milestones[i], o.milestones[i])
	}
	for i := range t.binding {
		addCounts(t.binding[i], o.binding[i])
	}
	addCounts(t.neverShort, o.neverShort)
	t.capex.Merge(&o.capex)
	t.peakFund.Merge(&o.peakFund)
	for w := range t.online {
		t.online[w].Merge(&o.online[w])
		t.added[w].Merge(&o.added[w])
	}
}

func addCounts(dst, src []int64) {
	for i, c := range src {
		dst[i] += c
	}
}

func (f *frame) result(sc *scenario.Scenario, cfg Config, t *tally) *Result {
	m := f.m
	res := &Result{
		Scenario:   m.Name,
		Seed:       cfg.Seed,
		Runs:       cfg.Runs,
		Completed:  t.completed,
		Start:      m.Start,
		Weeks:      m.Weeks,
		TargetWeek: m.TargetWeek,
		Checks:     t.checks,
		Inputs:     len(sc.UncertainValues()),
		Events:     len(sc.Events),
		RateMW:     summary.TargetRateMW(m),
		BandsExact: true,
	}
	res.ByTarget = t.byTarget[miSustained]
	res.FirstQuarterByTarget = t.byTarget[miFirstQuarter]
	res.FourQuartersByTarget = t.byTarget[miFourQuarters]
	for _, l := range m.Lines {
		res.Lines = append(res.Lines, l.Name)
	}
	rate := summary.RateLabel(res.RateMW)
	res.GWPerWeek = milestone(rate, t.milestones[miSustained])
	res.FirstQuarter = milestone("First quarter at "+rate, t.milestones[miFirstQuarter])
	res.FourQuarters = milestone("Four quarters in a row at "+rate, t.milestones[miFourQuarters])
	for k, gw := range summary.OnlineMilestonesGW {
		res.OnlineGW = append(res.OnlineGW, milestone(fmt.Sprintf("%d GW online", gw), t.milestones[miOnline+k]))
	}
	for i, y := range f.years {
		res.Years = append(res.Years, Year{Year: y, Binding: f.shares(t.binding[i], 3)})
	}
	res.Never = Never{Runs: t.never, Examples: slices.Clone(t.examples), Short: f.shares(t.neverShort, 3)}
	if t.completed > 0 {
		res.Online = make([]Band, m.Weeks)
		res.Added = make([]Band, m.Weeks)
		for w := range m.Weeks {
			res.Online[w] = band(&t.online[w])
			res.Added[w] = band(&t.added[w])
			res.BandsExact = res.BandsExact && t.online[w].Exact() && t.added[w].Exact()
		}
		res.CapexUSD, res.PeakFundUSD = band(&t.capex), band(&t.peakFund)
	}
	return res
}

func band(s *Sketch) Band {
	return Band{P10: s.Quantile(0.1), P50: s.Quantile(0.5), P90: s.Quantile(0.9)}
}

// milestone reads quantiles off a histogram of weeks whose last bin counts
// runs that never got there.
func milestone(label string, hist []int64) Milestone {
	n := int64(0)
	for _, c := range hist {
		n += c
	}
	ms := Milestone{Label: label, Reached: int(n - hist[len(hist)-1]), P10: -1, P50: -1, P90: -1, Counts: slices.Clone(hist)}
	if n == 0 {
		return ms
	}
	q := func(p float64) int {
		k := max(1, int64(math.Ceil(p*float64(n)-1e-9)))
		for w, c := range hist {
			if k -= c; k <= 0 {
				if w == len(hist)-1 {
					return -1
				}
				return w
			}
		}
		return -1
	}
	ms.P10, ms.P50, ms.P90 = q(0.1), q(0.5), q(0.9)
	return ms
}

// shares turns counts per line (index 0: none) into the top lines' shares
// of all counts, most first, ties in scenario order; "none" is left out.
func (f *frame) shares(counts []int64, top int) []LineShare {
	total := int64(0)
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return nil
	}
	idx := make([]int, 0, len(counts)-1)
	for i := 1; i < len(counts); i++ {
		if counts[i] > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return counts[idx[a]] > counts[idx[b]] })
	var out []LineShare
	for _, i := range idx[:min(top, len(idx))] {
		out = append(out, LineShare{Line: f.m.Lines[i-1].Name, Share: float64(counts[i]) / float64(total)})
	}
	return out
}
