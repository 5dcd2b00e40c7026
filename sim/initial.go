package sim

import (
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/units"
)

// Fleet is IT capacity already online at the start.
type Fleet struct {
	Name string
	Gen  int
	MW   float64
	// SinceWeek is when it entered service (negative: before the start).
	SinceWeek int
	// Power is the index into Model.PowerLines of the source it runs on.
	Power int
}

// StartStatus is where a stage of a project under way stood at the start.
type StartStatus uint8

// Start statuses; see scenario.StageStatuses.
const (
	StagePending StartStatus = iota
	StageDone
	StageRunning
	StageDelivered // not started, with what it consumes on site
	StageOrdered   // not started, with what it consumes on order, due when the work needs it
)

// InitialStage is one stage of a project under way.
type InitialStage struct {
	Status    StartStatus
	SinceWeek int // when a done or running stage started
	// PlannedWeek is the earliest a stage not started may start, or 0.
	PlannedWeek int
}

// InitialProject is a campus under way at the start.
type InitialProject struct {
	Name      string
	StartWeek int // negative: before the start
	MW        float64
	Gen       int // -1: the newest available at its planned fit-out
	// PowerShare is the share of its grid power from each power line
	// (indexed like Model.PowerLines).
	PowerShare []float64
	Stages     []InitialStage // one per Model.Stages
}

// InitialOrder is an order placed before the start.
type InitialOrder struct {
	Line    int
	Qty     float64
	DueWeek int
}

func compileInitial(s *scenario.Scenario, m *Model) {
	in := &s.Initial
	genIndex := func(name string) int {
		for i, g := range m.Generations {
			if g.Name == name {
				return i
			}
		}
		return -1
	}
	powerIndex := func(name string) int {
		for j, l := range m.PowerLines {
			if m.Lines[l].Name == name {
				return j
			}
		}
		return 0
	}
	for _, f := range in.Online {
		fl := Fleet{Name: f.Name, Gen: max(0, genIndex(f.Generation)), MW: f.Capacity.V, Power: powerIndex(f.Power)}
		if f.Since.Set {
			fl.SinceWeek = min(0, m.WeekOf(f.Since.Time))
		}
		m.InitialOnline = append(m.InitialOnline, fl)
	}
	for _, pr := range in.Projects {
		ip := InitialProject{
			Name:       pr.Name,
			StartWeek:  min(0, m.WeekOf(pr.Started.Time)),
			MW:         pr.Size.V,
			Gen:        genIndex(pr.Generation),
			PowerShare: make([]float64, len(m.PowerLines)),
			Stages:     make([]InitialStage, len(m.Stages)),
		}
		if len(pr.Power) == 0 {
			ip.PowerShare[0] = 1
		}
		for _, pw := range pr.Power {
			ip.PowerShare[powerIndex(pw.Name)] += pw.Amount.V
		}
		for _, st := range pr.Stages {
			i := m.StageIndex(st.Name)
			if i < 0 {
				continue
			}
			is := InitialStage{SinceWeek: ip.StartWeek}
			switch st.Status {
			case scenario.StageDone:
				is.Status = StageDone
			case scenario.StageRunning:
				is.Status = StageRunning
			case scenario.StageDelivered:
				is.Status = StageDelivered
			case scenario.StageOrdered:
				is.Status = StageOrdered
			}
			if st.Since.Set {
				is.SinceWeek = min(0, m.WeekOf(st.Since.Time))
			}
			if st.Planned.Set {
				is.PlannedWeek = max(0, m.WeekOf(st.Planned.Time))
			}
			ip.Stages[i] = is
		}
		m.UnderWay = append(m.UnderWay, ip)
	}
	for _, o := range in.Orders {
		l := m.LineIndex(o.Name)
		due := m.Lines[l].LeadWeeks
		if o.Due.Set {
			due = max(0, m.WeekOf(o.Due.Time))
		}
		m.OnOrder = append(m.OnOrder, InitialOrder{Line: l, Qty: o.Quantity.V, DueWeek: due})
	}
	if fm := m.Finance; fm != nil {
		fm.InitialDebt = in.Debt.V
		if in.Revenue.Set {
			fm.FleetRevenuePerWeek = in.Revenue.V / units.WeeksPerYear
		}
	}
}

// FleetMW is the IT capacity online at the start.
func (m *Model) FleetMW() float64 {
	mw := 0.0
	for _, f := range m.InitialOnline {
		mw += f.MW
	}
	return mw
}

// seedInitial puts the starting state in place before week 0: the fleet
// online, projects under way with their stages, orders on the lines, debt
// outstanding.
func (s *State) seedInitial() {
	m := s.m
	for _, f := range m.InitialOnline {
		g := &m.Generations[f.Gen]
		p := s.newProject(f.MW, f.SinceWeek)
		p.name, p.initial = f.Name, true
		p.gen = f.Gen
		p.accels = f.MW * g.AcceleratorsPerMW()
		p.racks = p.accels / g.PerRack
		p.power[f.Power] = f.MW * m.PUE
		for i := range p.stages {
			ss := &p.stages[i]
			p.setStatus(i, done)
			ss.begin, ss.end, ss.ready = int32(f.SinceWeek), int32(f.SinceWeek), int32(f.SinceWeek)
		}
		p.ndone = int32(len(m.Stages))
		p.online = 0 // online at the start; SinceWeek dates its replacement
		p.waiting = false
		s.projects = append(s.projects, p)
		idx := int32(len(s.projects) - 1)
		s.startedMW += p.mw
		s.onlineMW += p.mw
		s.onlineFLOPS += p.accels * g.FLOPSPerAccelerator
		s.genMW[p.gen] += p.mw
		s.onlineMoney(p, idx, f.SinceWeek)
	}
	for k := range m.UnderWay {
		s.startUnderWay(&m.UnderWay[k])
	}
	for _, o := range m.OnOrder {
		s.orderedBefore(o.Line, o.DueWeek, o.Qty)
	}
	if fm := m.Finance; fm != nil {
		s.draw(debt, fm.InitialDebt)
		week := s.fleetRevenueTerm(1)
		if week == 0 {
			week = m.FleetMW() * s.revenuePerMW(1)
		}
		s.money.annualRevenue = week * units.WeeksPerYear
	}
}

// startUnderWay adds a project that was under way at the start: stages
// done or running as declared, the rest planned from now.
func (s *State) startUnderWay(ip *InitialProject) {
	m := s.m
	p := s.newProject(ip.MW, ip.StartWeek)
	p.name, p.initial = ip.Name, true
	for j, sh := range ip.PowerShare {
		p.power[j] = sh * ip.MW * m.PUE
	}
	pre := make([]StartStatus, len(m.Stages))
	for i, is := range ip.Stages {
		ss := &p.stages[i]
		pre[i] = is.Status
		switch is.Status {
		case StageDone:
			p.setStatus(i, done)
			ss.begin, ss.ready = int32(is.SinceWeek), int32(is.SinceWeek)
			ss.end = int32(min(0, is.SinceWeek+m.Stages[i].Weeks))
			p.ndone++
		case StageRunning:
			p.setStatus(i, running)
			ss.begin, ss.ready = int32(is.SinceWeek), int32(is.SinceWeek)
			ss.end = int32(max(0, is.SinceWeek+m.Stages[i].Weeks))
			ss.next = uint16(len(m.Stages[i].Deferred)) // what it consumes is on site
		}
	}
	_, est := s.planProject(p, ip)
	// Crews of running stages are on site.
	for i, st := range m.Stages {
		ss := &p.stages[i]
		if ss.status != running {
			continue
		}
		for _, n := range st.Crews {
			q := p.amount(&n, m.PUE)
			p.holds[m.holdOff[i]+int(ss.nHeld)] = holding{line: n.Line, qty: q}
			ss.nHeld++
			s.lines[n.Line].held += q
		}
	}
	// What delivered stages consume is in stock (paid before the start).
	for i, st := range m.Stages {
		if pre[i] != StageDelivered {
			continue
		}
		for _, n := range st.Needs {
			s.stockUp(n.Line, p.amount(&n, m.PUE))
		}
		if st.SecuresPower {
			for j, l := range m.PowerLines {
				s.stockUp(l, p.power[j])
			}
		}
	}
	for j, mw := range p.power {
		s.powerAlloc[j] += mw
	}
	s.projects = append(s.projects, p)
	s.waiting = append(s.waiting, int32(len(s.projects)-1))
	s.startedMW += p.mw
	if m.Finance != nil {
		s.money.committed += s.itemsCost(p, est) // remainingCapex's figure, summed as the orders were scheduled
	}
}

// orderedBefore books an order placed before the start for qty units of
// line l, due in week due: it is delivered then, as the line's capacity
// allows, whatever the line's lead time.
func (s *State) orderedBefore(l, due int, qty float64) {
	if qty <= 0 {
		return
	}
	ls := &s.lines[l]
	ls.push(order{ready: max(0, due), qty: qty})
	ls.backlog += qty
	ls.ordered += qty
}

// stockUp puts qty units of line l in stock as delivered before the start.
func (s *State) stockUp(l int, qty float64) {
	ls := &s.lines[l]
	ls.ordered += qty
	ls.delivered += qty
	ls.stock += qty
}

// fleetRevenueTerm is the week's revenue of the fleet online at the start
// when it earns a declared run-rate (at the price factor given), else 0:
// it then earns per MW like the rest.
func (s *State) fleetRevenueTerm(priceFactor float64) float64 {
	return s.m.Finance.FleetRevenuePerWeek * priceFactor
}

// revenuePerMW is what a fully ramped MW earns in a week.
func (s *State) revenuePerMW(priceFactor float64) float64 {
	return s.m.Finance.RevenuePerMW(priceFactor)
}
