package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// MaxLeadTimeSolves bounds the re-solves ValueLeadTimes makes.
const MaxLeadTimeSolves = 12

// LeadTimeValue is what one period less of a line's lead time (for a
// power source, its queue) saves: the fall in the LP's objective when the
// model is re-solved with that line's lead time shorter by a period. Lead
// times enter the LP as fixed offsets, so this is a finite difference,
// not a dual.
type LeadTimeValue struct {
	Line      string `json:"line" yaml:"line"`
	Queue     bool   `json:"queue,omitempty" yaml:"queue,omitempty"` // a power source: its interconnection queue
	LeadWeeks int    `json:"lead_weeks" yaml:"lead_weeks"`
	// ShorterWeeks is how much shorter the re-solved lead time was: one
	// period, rounded to whole weeks.
	ShorterWeeks int `json:"shorter_by_weeks" yaml:"shorter_by_weeks"`
	// SavesUSD is the objective's fall for ShorterWeeks less;
	// SavesUSDPerWeek is that divided by ShorterWeeks.
	SavesUSD        float64 `json:"saves_usd" yaml:"saves_usd"`
	SavesUSDPerWeek float64 `json:"saves_usd_per_week" yaml:"saves_usd_per_week"`
	// ShortfallMW is SavesUSD / penalty, as for shadow prices.
	ShortfallMW float64 `json:"shortfall_mw_avoided" yaml:"shortfall_mw_avoided"`
	// Stopped is set when the re-solve (a MIP) hit its time limit; GapUSD
	// is then its objective less its best bound, by which SavesUSD may be
	// off.
	Stopped bool    `json:"stopped_on_time_limit,omitempty" yaml:"stopped_on_time_limit,omitempty"`
	GapUSD  float64 `json:"mip_gap_usd,omitempty" yaml:"mip_gap_usd,omitempty"`
	// Error is set when the re-solve failed or timed out: the line is not
	// valued (its savings are 0) and the main plan stands.
	Error string `json:"error,omitempty" yaml:"error,omitempty"`
	Text  string `json:"text" yaml:"text"`
}

// leadStep is one period in whole weeks (at least 1).
func leadStep(period string) int {
	pw, ok := PeriodWeeks(period)
	if !ok {
		return 1
	}
	return max(1, int(math.Round(pw)))
}

// LeadTimeCandidates are the lines whose lead time is worth a re-solve
// with periods of this length: lead time at least one period, and either
// a power source or the longest lead time among some stage's inputs (the
// one that sets when the stage can start). The most constraining come
// first (the longest start-to-online offset, then the longest lead time),
// at most MaxLeadTimeSolves.
func LeadTimeCandidates(m *sim.Model, period string) []int {
	step := leadStep(period)
	off := map[int]int{} // line → weeks from order to online
	_, before := stageTiming(m)
	for s, st := range m.Stages {
		lead := -1
		for _, n := range st.Needs {
			if k := m.Lines[n.Line].Kind; k == sim.Capital || k == sim.Robot {
				continue
			}
			lead = max(lead, m.Lines[n.Line].LeadWeeks)
		}
		for _, n := range st.Needs {
			ln := &m.Lines[n.Line]
			if ln.Kind == sim.Capital || ln.Kind == sim.Robot || ln.LeadWeeks != lead || ln.LeadWeeks < step {
				continue
			}
			off[n.Line] = max(off[n.Line], before[s]+ln.LeadWeeks)
		}
		if st.SecuresPower {
			for _, l := range m.PowerLines {
				if m.Lines[l].LeadWeeks >= step {
					off[l] = max(off[l], before[s]+m.Lines[l].LeadWeeks)
				}
			}
		}
	}
	var ls []int
	for l := range off {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b int) int {
		if off[a] != off[b] {
			return off[b] - off[a]
		}
		if m.Lines[a].LeadWeeks != m.Lines[b].LeadWeeks {
			return m.Lines[b].LeadWeeks - m.Lines[a].LeadWeeks
		}
		return a - b
	})
	if len(ls) > MaxLeadTimeSolves {
		ls = ls[:MaxLeadTimeSolves]
	}
	return ls
}

// stageTiming is the start-to-online weeks and each stage's start before
// online, as Build schedules them (as late as possible).
func stageTiming(m *sim.Model) (int, []int) {
	ns := len(m.Stages)
	early := make([]int, ns)
	for s, st := range m.Stages {
		for _, a := range st.After {
			early[s] = max(early[s], early[a]+m.Stages[a].Weeks)
		}
	}
	critical := 0
	for s, st := range m.Stages {
		critical = max(critical, early[s]+st.Weeks)
	}
	late := make([]int, ns)
	for s := range late {
		late[s] = critical
	}
	for s := ns - 1; s >= 0; s-- {
		for _, a := range m.Stages[s].After {
			late[a] = min(late[a], late[s]-m.Stages[s].Weeks)
		}
	}
	before := make([]int, ns)
	for s, st := range m.Stages {
		before[s] = critical - (late[s] - st.Weeks)
	}
	return critical, before
}

// ValueLeadTimes re-solves the model once per LeadTimeCandidates line,
// with that line's lead time one period shorter (clamped at 0) on a copy
// of m, and records the objective's fall against base (the main plan's
// objective; for a MIP, its LP relaxation's, the re-solves being of the
// relaxation too). The values are sorted by saving per week, largest first;
// the duration is the time the re-solves took; they run as many at once
// as there are CPUs, each starting from base's optimal basis when the
// solver takes one (lp.WarmStart): a re-solve differs from the main model
// in the offsets of one line, so its optimum is a few pivots from base's.
// Each re-solve is bounded by the solver's own time limit; one that fails
// or times out is reported in its value (Error, and the text says so)
// and the others go on: only an error building the model, or ctx ending,
// is returned as an error, with the values so far.
//
// ValueLeadTimes is StartLeadTimes followed by Value; call those instead
// to build the re-solves' models while the main plan solves.
func ValueLeadTimes(ctx context.Context, m *sim.Model, opt Options, s lp.Solver, base *Plan) ([]LeadTimeValue, time.Duration, error) {
	return StartLeadTimes(ctx, m, opt, s).Value(ctx, base)
}

// LeadTimeResolves are the re-solves ValueLeadTimes makes, their models
// built ahead by StartLeadTimes.
type LeadTimeResolves struct {
	m     *sim.Model
	s     lp.Solver
	step  int
	mip   bool // the main plan is a MIP: values against its relaxation
	cands []int
	built []builtResolve
	// opt is the options as the re-solves take them (an LP, the
	// committed pipeline simulated once for all), set up once, by the
	// first build; err is simulating the pipeline's.
	setup sync.Once
	opt   Options
	err   error
}

// builtResolve is one re-solve's model, built once by whichever asks
// first: the background builder or the re-solve itself.
type builtResolve struct {
	once sync.Once
	// lp is the re-solve's model and penaltyUSD its shortfall penalty:
	// all of its Problem the re-solve needs, the rest left to the
	// garbage collector while the main plan solves.
	lp         *lp.Model
	penaltyUSD float64
	shorter    int
	err        error
	// prepared is the solver with lp prepared (lp.Preparer), or nil.
	prepared lp.Solver
}

// StartLeadTimes starts building the models of ValueLeadTimes's
// re-solves of m planned with opt, one at a time in the background, and
// preparing them for s when it can (lp.Preparer: cbc writes a warm
// start's model file), and returns at once. Call it before Solve: the main
// solve runs in a solver process, leaving the CPU it does not use to
// build the re-solves, which Value then solves as soon as the main plan
// is there. Building stops when ctx ends; Value builds what is not built
// yet.
func StartLeadTimes(ctx context.Context, m *sim.Model, opt Options, s lp.Solver) *LeadTimeResolves {
	if opt.Period == "" {
		opt.Period = Month
	}
	r := &LeadTimeResolves{m: m, s: s, step: leadStep(opt.Period), mip: opt.Integer || opt.Blocky(), cands: LeadTimeCandidates(m, opt.Period), opt: opt}
	r.built = make([]builtResolve, len(r.cands))
	go func() {
		for i := range r.built {
			if ctx.Err() != nil {
				return
			}
			r.build(i)
		}
	}()
	return r
}

// setUp sets the options up for the re-solves, once.
func (r *LeadTimeResolves) setUp() error {
	r.setup.Do(func() {
		// A MIP's lead times are valued on its LP relaxation: a
		// re-solve each within the time limit, against the
		// relaxation's objective.
		r.opt.Integer, r.opt.ExpansionBlocks, r.opt.Lumpy = false, nil, false
		if r.opt.Committed == nil && HasStartingState(r.m) {
			// The pipeline's orders are placed: a shorter lead time is
			// for the new orders only, so every re-solve takes the same
			// pipeline.
			c, err := CommittedPipeline(r.m)
			if err != nil {
				r.err = fmt.Errorf("plan: starting state: %w", err)
				return
			}
			r.opt.Committed = c
		}
	})
	return r.err
}

// build builds re-solve i's model, once.
func (r *LeadTimeResolves) build(i int) *builtResolve {
	b := &r.built[i]
	b.once.Do(func() {
		if err := r.setUp(); err != nil {
			b.err = err
			return
		}
		l := r.cands[i]
		mm := *r.m
		mm.Lines = slices.Clone(r.m.Lines)
		lead := mm.Lines[l].LeadWeeks
		mm.Lines[l].LeadWeeks = max(0, lead-r.step)
		b.shorter = lead - mm.Lines[l].LeadWeeks
		pr, err := Build(&mm, r.opt)
		if err != nil {
			b.err = fmt.Errorf("lead time of %s one %s shorter: %w", r.m.Lines[l].Name, r.opt.Period, err)
			return
		}
		b.lp, b.penaltyUSD = pr.LP, pr.Opt.ShortfallPenalty
		if p, ok := r.s.(lp.Preparer); ok {
			// One that fails to prepare (a malformed model) fails its
			// solve the same way, and says so there.
			b.prepared, _ = p.Prepare(b.lp)
		}
	})
	return b
}

// Value solves the re-solves and values them against base, the main plan
// solved with the solver StartLeadTimes was given (see ValueLeadTimes).
func (r *LeadTimeResolves) Value(ctx context.Context, base *Plan) ([]LeadTimeValue, time.Duration, error) {
	t0 := time.Now()
	if err := r.setUp(); err != nil {
		return nil, 0, err
	}
	baseUSD := base.ObjectiveUSD
	if r.mip && base.RelaxationUSD != 0 {
		baseUSD = base.RelaxationUSD
	}
	plain := base.plainSolver != nil // a solve needed presolve off: the re-solves start so
	vals := make([]LeadTimeValue, len(r.cands))
	errs := make([]error, len(r.cands))
	// The re-solves are independent: run as many at once as there are
	// CPUs, each a solver process of its own.
	sem := make(chan struct{}, max(1, runtime.NumCPU()))
	var wg sync.WaitGroup
	for i := range r.cands {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b := r.build(i)
			if b.err != nil {
				errs[i] = b.err
				return
			}
			s := r.s
			switch {
			case plain:
				s = base.plainSolver
			case b.prepared != nil:
				s = b.prepared
			}
			vals[i], errs[i] = r.value(ctx, resolver(s, base, b.lp), plain, i, b, baseUSD)
			b.lp, b.prepared = nil, nil // done with them: let their memory go
		}()
	}
	wg.Wait()
	out := []LeadTimeValue{}
	for i := range r.cands {
		if errs[i] != nil {
			return out, time.Since(t0), errs[i]
		}
		out = append(out, vals[i])
	}
	slices.SortStableFunc(out, func(a, b LeadTimeValue) int {
		switch {
		case a.SavesUSDPerWeek > b.SavesUSDPerWeek:
			return -1
		case a.SavesUSDPerWeek < b.SavesUSDPerWeek:
			return 1
		}
		return 0
	})
	return out, time.Since(t0), nil
}

// resolver is s as a re-solve of m takes it: reporting the objective
// only when s can (lp.ObjectiveOnly: a re-solve's value is its
// objective), and starting from base's optimal basis carried to m when s
// takes a start (lp.WarmStart) and base has a basis.
func resolver(s lp.Solver, base *Plan, m *lp.Model) lp.Solver {
	if oo, ok := s.(lp.ObjectiveOnly); ok {
		s = oo.ObjectiveOnly()
	}
	ws, ok := s.(lp.WarmStart)
	if !ok || base.basis == nil {
		return s
	}
	b := base.basis.Carry(base.basisOf, m)
	if b == nil {
		return s
	}
	return ws.WithStart(b)
}

// value solves re-solve i (built in b) with s and values it against
// baseUSD (see ValueLeadTimes). A failed re-solve is in the value; the
// error is for ctx ending.
func (r *LeadTimeResolves) value(ctx context.Context, s lp.Solver, plain bool, i int, b *builtResolve, baseUSD float64) (LeadTimeValue, error) {
	m, l, name, shorter := r.m, r.cands[i], r.opt.Period, b.shorter
	lead := m.Lines[l].LeadWeeks
	what := "lead time"
	if m.Lines[l].Kind == sim.Power {
		what = "queue"
	}
	sol, _, err := solveLP(ctx, s, b.lp, !plain)
	if ctx.Err() != nil {
		return LeadTimeValue{}, fmt.Errorf("lead time of %s one %s shorter: %w", m.Lines[l].Name, name, ctx.Err())
	}
	if err == nil && sol.Status != lp.Optimal && sol.Status != lp.Stopped {
		err = fmt.Errorf("%s", sol.Status)
	}
	if err != nil {
		v := LeadTimeValue{
			Line: m.Lines[l].Name, Queue: m.Lines[l].Kind == sim.Power, LeadWeeks: lead, ShorterWeeks: shorter,
			Error: firstLine(err.Error()),
		}
		state := "failed"
		if errors.Is(err, lp.ErrTimedOut) {
			state = "timed out"
		}
		v.Text = fmt.Sprintf("one %s less of %s %s: not valued, the re-solve %s (%s)", name, v.Line, what, state, v.Error)
		return v, nil
	}
	saves := baseUSD - sol.Objective
	if math.Abs(saves) <= 1e-9*math.Max(1, math.Abs(baseUSD)) {
		saves = 0
	}
	v := LeadTimeValue{
		Line: m.Lines[l].Name, Queue: m.Lines[l].Kind == sim.Power, LeadWeeks: lead, ShorterWeeks: shorter,
		SavesUSD: saves, SavesUSDPerWeek: saves / float64(shorter), ShortfallMW: saves / b.penaltyUSD,
		Stopped: sol.Status == lp.Stopped,
	}
	if v.Stopped && sol.Gap > 0 {
		v.GapUSD = math.Max(0, sol.Objective-sol.Bound)
	}
	v.Text = fmt.Sprintf("one %s less of %s %s saves %s", name, v.Line, what, units.FormatUSD(v.SavesUSDPerWeek))
	var notes []string
	if shorter > 1 {
		v.Text += " per week"
		notes = append(notes, fmt.Sprintf("%s for %d weeks less", units.FormatUSD(saves), shorter))
	}
	if v.ShortfallMW >= 0.01 {
		notes = append(notes, fmt.Sprintf("≈ %s of shortfall", units.FormatMW(v.ShortfallMW)))
	}
	if v.GapUSD > 0 {
		notes = append(notes, fmt.Sprintf("re-solve stopped at its time limit, %s from its bound", units.FormatUSD(v.GapUSD)))
	}
	if len(notes) > 0 {
		v.Text += " (" + strings.Join(notes, "; ") + ")"
	}
	return v, nil
}

// firstLine is s up to its first newline (a solver's error carries its
// log after it).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
