package sim

import (
	"fmt"
	"math"
	"time"
)

// Result is everything a run produced.
type Result struct {
	Model    *Model
	Weeks    []Week
	Projects []ProjectLog
	// Lines holds one weekly series per supply line, in scenario order.
	Lines []LineSeries
	// HeldBack[w*len(Lines)+l] is the MW held back in week w by line l.
	HeldBack []float64
	// Invariants lists every conservation check that failed; empty when the
	// run balanced.
	Invariants []string

	cumCapex     float64
	cumDelivered []float64
}

// Week is one week of a run.
type Week struct {
	Week        int
	Date        time.Time
	OnlineMW    float64 // cumulative IT capacity online
	AddedMW     float64 // brought online this week
	StartedMW   float64 // cumulative IT capacity of projects started
	PipelineMW  float64 // started, not yet online
	OnlineFLOPS float64
	Bottleneck  int // line holding back the most MW, or -1
	CapexUSD    float64
	TargetMW    float64 // the target ramp's MW/week for this week
}

// LineSeries is a supply line's week-by-week story.
type LineSeries struct {
	Supply    []float64 // production available to the factory (workforce for crews, fleet for robots)
	Delivered []float64 // delivered this week (for crews and robots: held)
	Backlog   []float64 // ordered or scheduled, not yet delivered
	Stock     []float64 // delivered, not consumed
	UnitCost  []float64 // USD per unit
	Dedicated []float64 // capacity the factory paid for, online
}

// ProjectLog is the history of one project.
type ProjectLog struct {
	ID         int
	StartWeek  int
	OnlineWeek int // -1 if not online within the horizon
	MW         float64
	Generation string
	Stages     []StageLog
	// PowerMW is the grid power drawn from each power line (Model.PowerLines).
	PowerMW []float64
}

// StageLog is one stage of one project.
type StageLog struct {
	Stage     string
	ReadyWeek int // predecessors done; -1 if never
	StartWeek int // -1 if never started
	EndWeek   int // -1 if not finished
	WaitWeeks int
	WaitedOn  string // the line that held it back last, or ""
}

func newResult(m *Model) *Result {
	r := &Result{
		Model:    m,
		Weeks:    make([]Week, 0, m.Weeks),
		Lines:    make([]LineSeries, len(m.Lines)),
		HeldBack: make([]float64, 0, m.Weeks*len(m.Lines)),
	}
	for i := range r.Lines {
		ls := &r.Lines[i]
		ls.Supply = make([]float64, 0, m.Weeks)
		ls.Delivered = make([]float64, 0, m.Weeks)
		ls.Backlog = make([]float64, 0, m.Weeks)
		ls.Stock = make([]float64, 0, m.Weeks)
		ls.UnitCost = make([]float64, 0, m.Weeks)
		ls.Dedicated = make([]float64, 0, m.Weeks)
	}
	return r
}

func (r *Result) record(s *State) {
	m := s.m
	b, most := -1, 0.0
	for l, mw := range s.heldBack {
		if mw > most+eps { // ties go to the line listed first in the scenario
			b, most = l, mw
		}
	}
	capex := s.capexUSD
	if n := len(r.Weeks); n > 0 {
		capex -= r.cumCapex
	}
	r.cumCapex = s.capexUSD
	r.Weeks = append(r.Weeks, Week{
		Week:        s.week,
		Date:        m.Date(s.week),
		OnlineMW:    s.onlineMW,
		AddedMW:     s.addedMW,
		StartedMW:   s.startedMW,
		PipelineMW:  s.startedMW - s.onlineMW,
		OnlineFLOPS: s.onlineFLOPS,
		Bottleneck:  b,
		CapexUSD:    capex,
		TargetMW:    m.TargetRate(s.week),
	})
	r.HeldBack = append(r.HeldBack, s.heldBack...)
	for i := range m.Lines {
		ls := &s.lines[i]
		out := &r.Lines[i]
		prev := 0.0
		if n := len(out.Delivered); n > 0 {
			prev = r.cumDelivered[i]
		} else {
			r.cumDelivered = make([]float64, len(m.Lines))
		}
		supply, delivered := ls.supply, ls.delivered-prev
		switch m.Lines[i].Kind {
		case Crew:
			delivered = ls.held
		case Robot:
			delivered = ls.held
		case Upstream:
			delivered = ls.usedUpstream
		}
		r.cumDelivered[i] = ls.delivered
		out.Supply = append(out.Supply, supply)
		out.Delivered = append(out.Delivered, delivered)
		out.Backlog = append(out.Backlog, ls.backlog+ls.scheduled)
		out.Stock = append(out.Stock, ls.stock)
		out.UnitCost = append(out.UnitCost, ls.unitCost)
		out.Dedicated = append(out.Dedicated, ls.dedicated)
	}
	r.check(s)
}

// check verifies the run's conservation laws for the week just recorded.
func (r *Result) check(s *State) {
	if len(r.Invariants) > 20 {
		return
	}
	fail := func(format string, args ...any) {
		r.Invariants = append(r.Invariants, fmt.Sprintf("week %d: ", s.week)+fmt.Sprintf(format, args...))
	}
	// Recount the pipeline project by project once a quarter and at the end.
	if s.week%13 == 0 || s.week == s.m.Weeks-1 {
		pipeline := 0.0
		for _, p := range s.projects {
			if p.online < 0 {
				pipeline += p.mw
			}
		}
		if !near(s.startedMW, s.onlineMW+pipeline) {
			fail("MW started %.3f != online %.3f + pipeline %.3f", s.startedMW, s.onlineMW, pipeline)
		}
	}
	for i, l := range s.m.Lines {
		ls := &s.lines[i]
		if ls.stock < -1e-6 {
			fail("%s: stock negative (%.6f): consumed more than delivered", l.Name, ls.stock)
		}
		if !near(ls.delivered, ls.consumed+ls.stock) && l.Kind != Upstream && l.Kind != Robot {
			fail("%s: delivered %.3f != consumed %.3f + stock %.3f", l.Name, ls.delivered, ls.consumed, ls.stock)
		}
		if l.Kind != Upstream && l.Kind != Crew && !near(ls.ordered, ls.delivered+ls.backlog) {
			fail("%s: ordered %.3f != delivered %.3f + backlog %.3f", l.Name, ls.ordered, ls.delivered, ls.backlog)
		}
		if ls.held > ls.pool+1e-6 && (l.Kind == Robot) {
			fail("%s: %.3f held but only %.3f in the pool", l.Name, ls.held, ls.pool)
		}
		if l.Kind == Upstream && ls.usedUpstream > ls.supply+1e-6 {
			fail("%s: used %.3f beyond its supply %.3f", l.Name, ls.usedUpstream, ls.supply)
		}
	}
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func (r *Result) finish(s *State) {
	m := s.m
	ns := len(m.Stages)
	logs := make([]StageLog, len(s.projects)*ns)
	r.Projects = make([]ProjectLog, 0, len(s.projects))
	for k, p := range s.projects {
		pl := ProjectLog{
			ID:         p.id,
			StartWeek:  p.start,
			OnlineWeek: p.online,
			MW:         p.mw,
			Generation: m.Generations[p.gen].Name,
			PowerMW:    p.power,
			Stages:     logs[k*ns : (k+1)*ns : (k+1)*ns],
		}
		for i, st := range p.stages {
			sl := StageLog{Stage: m.Stages[i].Name, ReadyWeek: st.ready, StartWeek: -1, EndWeek: -1, WaitWeeks: st.waited}
			if st.status != pending {
				sl.StartWeek = st.begin
			}
			if st.status == done {
				sl.EndWeek = st.end
			}
			if st.waitedOn >= 0 {
				sl.WaitedOn = m.Lines[st.waitedOn].Name
			}
			pl.Stages[i] = sl
		}
		r.Projects = append(r.Projects, pl)
	}
	r.cumDelivered = nil
}

// HeldBackMW returns the MW line l held back in week w.
func (r *Result) HeldBackMW(w, l int) float64 { return r.HeldBack[w*len(r.Model.Lines)+l] }
