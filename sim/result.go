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
	// Missions holds each mission's weekly demand and allocation (FLOP/s).
	Missions []MissionSeries
	// GenerationMW[w*len(Generations)+g] is the MW online in week w running
	// generation g.
	GenerationMW []float64
	// CapexByBucket is capex over the run per Model.CapexBuckets entry.
	CapexByBucket []float64
	// Invariants lists every conservation check that failed; empty when the
	// run balanced.
	Invariants []string

	light                          bool
	cumCapex                       float64
	cumDelivered                   []float64
	capexAccelHist, capexOtherHist []float64
	accelWindow, otherWindow       float64
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

	// Money, when the scenario has finance (all USD, this week unless noted).
	OpexUSD         float64
	RevenueUSD      float64
	InterestUSD     float64
	PrincipalUSD    float64
	DrawnUSD        float64 // new debt drawn for cash
	FinancedUSD     float64 // capex paid by vendor financing and leases
	EquityUSD       float64 // equity raised
	DepreciationUSD float64
	CashUSD         float64 // at the end of the week
	DebtUSD         float64 // outstanding at the end of the week
	CapitalBound    bool    // money held something back this week
	// OverdrawnUSD is how far cash is below zero at the end of the week:
	// running costs and debt service nothing could fund. While it lasts, all
	// capex waits.
	OverdrawnUSD float64
}

// MissionSeries is one mission's week-by-week demand and allocation.
type MissionSeries struct {
	Demand []float64 // FLOP/s
	Served []float64 // FLOP/s
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
	ID int
	// Name is the campus's name when the starting state declares it.
	Name string
	// Initial marks a project online or under way at the start. Its
	// StartWeek may be negative (before the start); its stages' and its
	// OnlineWeek's weeks before the start are shown as week 0.
	Initial    bool
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

// reset makes r an empty Result of m recording what o asks for. A study's
// weeks-only results reuse the memory of the one before.
func (r *Result) reset(m *Model, o Options) {
	old := *r
	*r = Result{
		Model:          m,
		Weeks:          old.Weeks[:0],
		Invariants:     old.Invariants[:0],
		light:          o.WeeksOnly,
		capexAccelHist: old.capexAccelHist[:0],
		capexOtherHist: old.capexOtherHist[:0],
		CapexByBucket:  old.CapexByBucket[:0],
	}
	if cap(r.Weeks) < m.Weeks {
		r.Weeks = make([]Week, 0, m.Weeks)
	}
	if cap(r.capexAccelHist) < m.Weeks {
		hist := make([]float64, 2*m.Weeks)
		r.capexAccelHist, r.capexOtherHist = column(&hist, m.Weeks), column(&hist, m.Weeks)
	}
	if r.light {
		return
	}
	// Every weekly series is a column carved from one array, filled as the
	// weeks pass.
	nl, nm, ng := len(m.Lines), len(m.Missions), len(m.Generations)
	cols := make([]float64, m.Weeks*(6*nl+2*nm+nl+ng))
	r.Lines = make([]LineSeries, nl)
	r.Missions = make([]MissionSeries, nm)
	for i := range r.Lines {
		ls := &r.Lines[i]
		ls.Supply = column(&cols, m.Weeks)
		ls.Delivered = column(&cols, m.Weeks)
		ls.Backlog = column(&cols, m.Weeks)
		ls.Stock = column(&cols, m.Weeks)
		ls.UnitCost = column(&cols, m.Weeks)
		ls.Dedicated = column(&cols, m.Weeks)
	}
	for k := range r.Missions {
		r.Missions[k].Demand = column(&cols, m.Weeks)
		r.Missions[k].Served = column(&cols, m.Weeks)
	}
	r.HeldBack = column(&cols, m.Weeks*nl)
	r.GenerationMW = column(&cols, m.Weeks*ng)
}

// column carves an empty slice with room for n values off the front of
// *cols.
func column(cols *[]float64, n int) []float64 {
	c := (*cols)[:0:n]
	*cols = (*cols)[n:]
	return c
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
	mo := &s.money
	r.capexAccelHist = append(r.capexAccelHist, mo.capexAccel)
	r.capexOtherHist = append(r.capexOtherHist, mo.capex-mo.capexAccel)
	dep := 0.0
	if fm := m.Finance; fm != nil {
		r.accelWindow = slide(r.accelWindow, r.capexAccelHist, fm.AccelLifeWeeks)
		r.otherWindow = slide(r.otherWindow, r.capexOtherHist, fm.FacilityLifeWeeks)
		dep = r.accelWindow/float64(max(1, fm.AccelLifeWeeks)) + r.otherWindow/float64(max(1, fm.FacilityLifeWeeks))
	}
	capitalBound := mo.capitalBound || (m.Capital >= 0 && s.heldBack[m.Capital] > 0)
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

		OpexUSD:         mo.opex,
		RevenueUSD:      mo.revenue,
		InterestUSD:     mo.interest,
		PrincipalUSD:    mo.principal,
		DrawnUSD:        mo.drawn,
		FinancedUSD:     mo.financed,
		EquityUSD:       mo.equity,
		DepreciationUSD: dep,
		CashUSD:         mo.cash.usd(),
		DebtUSD:         s.Debt(),
		CapitalBound:    capitalBound,
		OverdrawnUSD:    max(0, -mo.cash.usd()),
	})
	if r.light {
		// Studies of many runs check the books once a quarter and at the
		// end: the laws are about running totals, so a break persists.
		if s.week%13 == 0 || s.week == m.Weeks-1 {
			r.check(s, true)
		}
		return
	}
	for k := range m.Missions {
		r.Missions[k].Demand = append(r.Missions[k].Demand, s.demand[k])
		r.Missions[k].Served = append(r.Missions[k].Served, s.served[k])
	}
	r.GenerationMW = append(r.GenerationMW, s.genMW...)
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
		case Crew, Robot:
			delivered = ls.held
		case Upstream:
			delivered = ls.usedUpstream
		}
		r.cumDelivered[i] = ls.delivered
		out.Supply = append(out.Supply, supply)
		out.Delivered = append(out.Delivered, delivered)
		out.Backlog = append(out.Backlog, ls.backlog+ls.scheduled)
		out.Stock = append(out.Stock, ls.stock)
		out.UnitCost = append(out.UnitCost, s.price(i))
		out.Dedicated = append(out.Dedicated, ls.dedicated)
	}
	r.check(s, s.week%13 == 0 || s.week == m.Weeks-1)
}

// check verifies the run's conservation laws for the week just recorded:
// those a week could break and the next mend every time, and the running
// totals (the books, the pipeline, each line's flows) when totals is set —
// a break of those persists, so a quarterly look finds it.
func (r *Result) check(s *State, totals bool) {
	if len(r.Invariants) > 20 {
		return
	}
	fail := func(format string, args ...any) {
		r.Invariants = append(r.Invariants, fmt.Sprintf("week %d: ", s.week)+fmt.Sprintf(format, args...))
	}
	if totals {
		// Faults the engine met on the way (a delivery it could not pay, a
		// project whose next look was lost).
		for _, f := range s.faults {
			fail("%s", f)
		}
		s.faults = s.faults[:0]
		r.checkMoney(s, fail)
		// Recount the pipeline project by project at the end alone: the
		// pass over every project costs as much as a week's simulation, and
		// the MW started, online and under way are running totals, so a
		// break persists to the end.
		if s.week == s.m.Weeks-1 {
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
	}
	for i := range s.m.Lines {
		l, ls := &s.m.Lines[i], &s.lines[i]
		if ls.stock < -1e-6 {
			fail("%s: stock negative (%.6f): consumed more than delivered", l.Name, ls.stock)
		}
		if totals && !near(ls.delivered, ls.consumed+ls.stock) && l.Kind != Upstream && l.Kind != Robot {
			fail("%s: delivered %.3f != consumed %.3f + stock %.3f", l.Name, ls.delivered, ls.consumed, ls.stock)
		}
		if totals && l.Kind != Upstream && l.Kind != Crew && !near(ls.ordered, ls.delivered+ls.backlog) {
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

// checkMoney verifies that cash balances to the cent and never goes negative.
func (r *Result) checkMoney(s *State, fail func(string, ...any)) {
	fm := s.m.Finance
	if fm == nil {
		return
	}
	mo := &s.money
	// Kept in cents, the books balance exactly.
	if want := toCents(fm.Cash) + mo.inflow - mo.outflow; mo.cash != want {
		fail("cash %.2f != starting cash + inflows - outflows %.2f", mo.cash.usd(), want.usd())
	}
	// Negative cash is an outcome, not a fault: running costs and debt
	// service that neither cash, debt nor equity could cover (reported as
	// Week.OverdrawnUSD), during which all capex waits.
}

// slide moves a running sum of the last life entries of hist forward by
// the entry just appended: straight-line depreciation this week is each
// week's spend over the last life weeks, divided by life.
func slide(sum float64, hist []float64, life int) float64 {
	n := len(hist)
	sum += hist[n-1]
	if life > 0 && n > life {
		sum -= hist[n-1-life]
	}
	return sum
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*max(1, max(math.Abs(a), math.Abs(b)))
}

func (r *Result) finish(s *State) {
	m := s.m
	// Copied, so the Result shares nothing with the state, which the next
	// run reuses.
	if r.CapexByBucket == nil || cap(r.CapexByBucket) < len(s.capexBy) {
		r.CapexByBucket = make([]float64, len(s.capexBy))
	}
	r.CapexByBucket = r.CapexByBucket[:len(s.capexBy)]
	copy(r.CapexByBucket, s.capexBy)
	if r.light {
		return
	}
	ns, np := len(m.Stages), len(m.PowerLines)
	logs := make([]StageLog, len(s.projects)*ns)
	power := make([]float64, len(s.projects)*np)
	r.Projects = make([]ProjectLog, 0, len(s.projects))
	for k, p := range s.projects {
		pl := ProjectLog{
			ID:         p.id,
			Name:       p.name,
			Initial:    p.initial,
			StartWeek:  p.start,
			OnlineWeek: int(p.online),
			MW:         p.mw,
			Generation: m.Generations[p.gen].Name,
			PowerMW:    power[k*np : (k+1)*np : (k+1)*np],
			Stages:     logs[k*ns : (k+1)*ns : (k+1)*ns],
		}
		for i, st := range p.stages {
			sl := StageLog{Stage: m.Stages[i].Name, ReadyWeek: int(st.ready), StartWeek: -1, EndWeek: -1, WaitWeeks: int(st.waited)}
			if st.status != pending {
				sl.StartWeek = max(0, int(st.begin))
				sl.ReadyWeek = max(0, int(st.ready))
			}
			if st.status == done {
				sl.EndWeek = max(0, int(st.end))
			}
			if st.waitedOn >= 0 {
				sl.WaitedOn = m.Lines[st.waitedOn].Name
			}
			pl.Stages[i] = sl
		}
		copy(pl.PowerMW, p.power)
		r.Projects = append(r.Projects, pl)
	}
	r.cumDelivered = nil
}

// HeldBackMW returns the MW line l held back in week w.
func (r *Result) HeldBackMW(w, l int) float64 { return r.HeldBack[w*len(r.Model.Lines)+l] }
