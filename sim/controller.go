package sim

import (
	"math"
)

// Controller is the built-in policy. It pursues the target ramp:
//
//   - Starts: each week it starts projects at the MW/week the target asks
//     for one pipeline lead time from now, where the pipeline lead time is
//     the critical path through the stages including order lead times; a
//     fraction of a project carries over to the next week.
//   - Power: each project draws its grid power from the sources expected to
//     deliver soonest (lead time plus the queue ahead), each up to its
//     largest share of a project.
//   - Expansions: every review period it forecasts, for each line it may
//     expand, the weekly demand the target implies one expansion lead time
//     ahead and the supply it will have then; it funds the gap, within the
//     line's yearly growth ceiling.
//   - Robots: it orders robots to cover the share of crew work they may take.
type Controller struct {
	carryMW  float64
	leadTime int
	// demand per MW/week of target, per line: units per week (materials),
	// workers held (crews), for the generation in use at each week.
	crewWeeksPerMW []float64
	// offset is, per line, how many weeks after a project's start the line
	// is first called on (its earliest planned need), or -1 if never.
	offset []int
	// scratch for powerMix: the split, each source's expected wait and the
	// sources in order of it
	mix, wait   []float64
	byWait      []int
	powerSupply []float64 // power sources' forecast supply in week powerWeek
	powerWeek   int
	// Industry growth factors, per line, over the horizons the controller
	// looks ahead: when the line is first called on (offset), its lead
	// time, and its expansion look-ahead. Fixed for a run.
	growOffset, growLead, growExpand []float64
	capexPerProject                  float64
	// perMW caches unitsPerMW by generation and line (NaN: not yet asked).
	perMW []float64
}

// NewController returns the built-in controller.
func NewController() *Controller { return &Controller{leadTime: -1, powerWeek: -1} }

// Reset makes c as NewController returns it, for a new run, keeping its
// memory: a study of many runs resets one controller per worker.
func (c *Controller) Reset() {
	*c = Controller{
		leadTime:       -1,
		crewWeeksPerMW: c.crewWeeksPerMW[:0],
		offset:         c.offset[:0],
		mix:            c.mix[:0],
		wait:           c.wait[:0],
		byWait:         c.byWait[:0],
		powerSupply:    c.powerSupply[:0],
		powerWeek:      -1,
		growOffset:     c.growOffset[:0],
		growLead:       c.growLead[:0],
		growExpand:     c.growExpand[:0],
		perMW:          c.perMW[:0],
	}
}

// Decide implements Policy.
func (c *Controller) Decide(s *State) {
	m := s.m
	if c.leadTime < 0 {
		c.init(s)
	}
	t := s.week
	want := m.TargetRate(t + c.leadTime)
	if want > 0 {
		want = want*(1+m.Margin) + m.SizeMW/QuarterWeeks
	}
	feasible, binding := c.feasibleRate(s)
	rate := want
	if feasible < want {
		rate = feasible
		s.HoldBack(binding, want-feasible)
	}
	c.carryMW += rate
	// Little's law: the pipeline a rate needs is the rate times the lead
	// time; more than that only queues for the same supply.
	wip := min(m.MaxPipeline, rate*float64(c.leadTime)*PipelineSlack)
	for c.carryMW >= m.SizeMW-eps {
		if s.PipelineMW()+m.SizeMW > max(wip, m.SizeMW)+eps {
			c.carryMW = min(c.carryMW, m.SizeMW)
			break
		}
		// Fully funded starts only: the project's capex must fit in what
		// the factory can raise beyond what it has already committed.
		if m.Finance != nil {
			if c.capexPerProject == 0 || t%m.ReviewWeeks == 0 {
				c.capexPerProject = s.ProjectCapex()
			}
			if s.Liquidity(c.leadTime) < c.capexPerProject {
				s.HoldBack(m.Capital, c.carryMW)
				c.carryMW = min(c.carryMW, m.SizeMW)
				break
			}
		}
		planned := s.StartProject(c.powerMix(s))
		// Learn the pipeline lead time from the plans of projects started.
		c.leadTime = (7*c.leadTime + (planned - t) + 4) / 8
		c.carryMW -= m.SizeMW
	}
	if t%m.ReviewWeeks == 0 {
		c.orderRobots(s)
		if m.Expand {
			c.expand(s)
		}
	}
}

func (c *Controller) init(s *State) {
	m := s.m
	// Critical path with each stage's longest lead time, power at its
	// quickest source.
	minPower := math.MaxInt
	for _, l := range m.PowerLines {
		minPower = min(minPower, m.Lines[l].LeadWeeks)
	}
	end, finish := m.StageEnds(minPower, nil, nil)
	c.leadTime = finish
	c.offset = resize(c.offset, len(m.Lines))
	for i := range c.offset {
		c.offset[i] = -1
	}
	note := func(l, w int) {
		if c.offset[l] < 0 || w < c.offset[l] {
			c.offset[l] = w
		}
	}
	for i, st := range m.Stages {
		begin := end[i] - st.Weeks
		for _, n := range st.Needs {
			at := begin + n.offsetWeeks(st.Weeks)
			note(n.Line, at)
			if n.Line == m.Accel {
				for _, in := range m.Lines[m.Accel].Inputs {
					note(in.Line, at)
				}
				for _, g := range m.Generations {
					for _, in := range g.Inputs {
						note(in.Line, at)
					}
				}
			}
		}
		for _, n := range st.Crews {
			note(n.Line, begin)
		}
	}
	c.growOffset = resize(c.growOffset, len(m.Lines))
	c.growLead = resize(c.growLead, len(m.Lines))
	c.growExpand = resize(c.growExpand, len(m.Lines))
	for i := range m.Lines {
		g := m.Lines[i].WeeklyGrowth
		c.growOffset[i] = math.Pow(g, float64(max(0, c.offset[i])))
		c.growLead[i] = math.Pow(g, float64(m.Lines[i].LeadWeeks))
		c.growExpand[i] = math.Pow(g, float64(m.Lines[i].ExpansionWeeks+m.Lookahead))
	}
	c.crewWeeksPerMW = resize(c.crewWeeksPerMW, len(m.Lines))
	for _, st := range m.Stages {
		for _, n := range st.Crews {
			c.crewWeeksPerMW[n.Line] += m.UnitsPerMW(n, m.GenerationAt(0)) * float64(st.Weeks)
		}
	}
}

// Overbook is how far above the forecast supply of its tightest line the
// controller starts projects, so that lines stay busy despite the lumpiness
// of whole projects.
const Overbook = 1.1

// DefaultMargin is how far above the target rate the controller aims when
// the scenario does not say (policy.margin): output varies with supply
// and lead times from week to week.
const DefaultMargin = 0.05

// QuarterWeeks is the window over which the target rate is judged (a
// quarter, as the milestones do). On top of the margin the controller
// aims one whole project a quarter above the target, so that a project
// slipping out of a quarter leaves it at the rate: the lumpiness of whole
// projects is covered whatever their size.
const QuarterWeeks = 13

// PipelineSlack is how far the pipeline may exceed what the start rate
// times the pipeline lead time needs before the controller stops starting.
const PipelineSlack = 1.25

// feasibleRate is the MW/week of projects the supply lines can be expected
// to serve, judged line by line at the week each will be called on, and
// the line that limits it.
func (c *Controller) feasibleRate(s *State) (float64, int) {
	m := s.m
	best, binding := math.Inf(1), -1
	consider := func(l int, mwpw float64) {
		if mwpw < best {
			best, binding = mwpw, l
		}
	}
	for i := range m.Lines {
		line := &m.Lines[i]
		ahead := c.offset[i]
		if ahead < 0 {
			continue
		}
		g := m.GenerationAt(s.week + ahead)
		supply := c.forecastSupply(s, i, ahead, c.growOffset[i])
		switch line.Kind {
		case Material, Accelerator:
			if need := c.unitsPerMW(m, i, g); need > 0 {
				consider(i, supply/need)
			}
		case Upstream:
			for _, in := range m.Generations[g].Inputs {
				if in.Line == i && in.PerUnit > 0 {
					consider(i, supply/(in.PerUnit*c.unitsPerMW(m, m.Accel, g)))
				}
			}
		case Crew:
			if c.crewWeeksPerMW[i] > 0 {
				consider(i, (supply+c.robotWorkers(s, i))/c.crewWeeksPerMW[i])
			}
		}
	}
	// Power: every source's forecast supply at its own lead time. Sources
	// substitute for one another, so a shortage of power is named after the
	// source with the longest queue: the one the factory most lacks.
	power, longest, queue := 0.0, m.PowerLines[0], -1.0
	for j, l := range m.PowerLines {
		f := c.powerForecast(s, j)
		power += f
		ls := &s.lines[l]
		if sup := m.Lines[l].Share*ls.base + ls.dedicated; sup > eps {
			if q := (ls.backlog + ls.scheduled) / sup; q > queue {
				longest, queue = l, q
			}
		}
	}
	consider(longest, power/m.PUE)
	return best * Overbook, binding
}

// forecastSupply is line l's supply to the factory ahead weeks from now:
// its share of the industry's capacity, grown by growth (the line's growth
// factor over those weeks), plus every expansion funded so far (for crews,
// the workforce).
func (c *Controller) forecastSupply(s *State, l, ahead int, growth float64) float64 {
	line := &s.m.Lines[l]
	if s.week+ahead < line.AvailableWeek {
		return 0
	}
	return line.Share*s.lines[l].base*growth + s.Dedicated(l)
}

// powerForecast is power source j's (Model.PowerLines) forecast supply
// at its lead time. It is worked out once a week: until the week's
// expansions are funded, after the starts, projects started change only
// the queues.
func (c *Controller) powerForecast(s *State, j int) float64 {
	m := s.m
	if c.powerWeek != s.week || len(c.powerSupply) != len(m.PowerLines) {
		c.powerSupply = resize(c.powerSupply, len(m.PowerLines))
		for k, l := range m.PowerLines {
			c.powerSupply[k] = c.forecastSupply(s, l, m.Lines[l].LeadWeeks, c.growLead[l])
		}
		c.powerWeek = s.week
	}
	return c.powerSupply[j]
}

// powerMix splits a project's grid power among the power sources expected
// to deliver it soonest. A source's expected wait is its lead time plus the
// queue ahead of it: what it has on order or scheduled, over the weekly
// supply forecast for when the order falls due. The soonest source takes as
// much as its max_mix allows, then the next; so fast sources (engines, say)
// are used until their queues make a slower one (turbines, the grid) as
// quick, as a builder in a hurry would. What no source may take goes to the
// first that has supply.
func (c *Controller) powerMix(s *State) []float64 {
	m := s.m
	need := m.SizeMW * m.PUE
	n := len(m.PowerLines)
	if len(c.mix) != n {
		c.mix, c.wait, c.byWait = make([]float64, n), make([]float64, n), make([]int, n)
	}
	mix, wait, order := c.mix, c.wait, c.byWait[:0]
	clear(mix)
	for j, l := range m.PowerLines {
		supply := c.powerForecast(s, j)
		if supply <= eps {
			continue
		}
		w := float64(m.Lines[l].LeadWeeks) + s.Backlog(l)/supply
		wait[j] = w
		// Soonest first, ties in the order the sources are listed.
		k := len(order)
		order = append(order, j)
		for k > 0 && w < wait[order[k-1]] { // w is finite: supply > 0, backlogs finite
			order[k] = order[k-1]
			k--
		}
		order[k] = j
	}
	if len(order) == 0 {
		mix[0] = need // nothing forecast anywhere: queue at the first source
		return mix
	}
	left := need
	for _, j := range order {
		take := min(left, need*m.Lines[m.PowerLines[j]].MaxMix)
		mix[j] += take
		left -= take
		if left <= eps {
			break
		}
	}
	if left > eps { // every source at its largest share: the soonest takes the rest
		mix[order[0]] += left
	}
	return mix
}

// expand funds capacity where the target's demand will outrun supply.
func (c *Controller) expand(s *State) {
	m := s.m
	t := s.week
	totalPower := 0.0
	for j := range m.PowerLines {
		totalPower += s.powerAlloc[j]
	}
	for i := range m.Lines {
		line := &m.Lines[i]
		if line.MaxGrowth <= 0 {
			continue
		}
		ahead := line.ExpansionWeeks + m.Lookahead
		tau := t + ahead
		g := m.GenerationAt(tau)
		rate := m.TargetRate(tau)
		var demand float64
		switch line.Kind {
		case Material, Accelerator:
			demand = rate * c.unitsPerMW(m, i, g)
		case Upstream:
			perAccel := 0.0
			for _, in := range m.Generations[g].Inputs {
				if in.Line == i {
					perAccel = in.PerUnit
				}
			}
			demand = rate * c.unitsPerMW(m, m.Accel, g) * perAccel
		case Power:
			share := line.MaxMix
			if totalPower > 0 {
				share = s.powerAlloc[indexOf(m.PowerLines, i)] / totalPower
			}
			demand = rate * m.PUE * share
		case Crew:
			demand = rate*c.crewWeeksPerMW[i] - c.robotWorkers(s, i)
		case Robot:
			demand = (c.robotsWanted(s, i, tau) - s.lines[i].pool - s.lines[i].backlog) / float64(max(1, line.ExpansionWeeks))
		}
		ls := &s.lines[i]
		supply := line.Share*s.lines[i].base*c.growExpand[i] + s.Dedicated(i)
		// Clear a standing backlog over the look-ahead as well.
		if line.Kind != Crew && line.Kind != Upstream {
			demand += max(0, ls.backlog-ls.supply*float64(line.LeadWeeks)) / float64(max(ahead, 26))
		}
		gap := demand - supply
		if gap <= eps {
			continue
		}
		ceiling := line.MaxGrowth * max(ls.supply, line.Share*ls.base) * float64(m.ReviewWeeks) / 52
		s.Expand(i, min(gap, ceiling))
	}
}

// unitsPerMW is what one MW of IT needs of line l, for generation g; the
// controller asks for the same few every week, so they are kept.
func (c *Controller) unitsPerMW(m *Model, l, g int) float64 {
	n := len(m.Lines)
	if len(c.perMW) != n*len(m.Generations) {
		c.perMW = resize(c.perMW, n*len(m.Generations))
		for k := range c.perMW {
			c.perMW[k] = math.NaN()
		}
	}
	k := g*n + l
	if v := c.perMW[k]; !math.IsNaN(v) {
		return v
	}
	v := c.computeUnitsPerMW(m, l, g)
	c.perMW[k] = v
	return v
}

func (c *Controller) computeUnitsPerMW(m *Model, l, g int) float64 {
	if l == m.Accel {
		return m.Generations[g].AcceleratorsPerMW()
	}
	sum := 0.0
	for _, st := range m.Stages {
		for _, n := range st.Needs {
			if n.Line == l {
				sum += m.UnitsPerMW(n, g)
			}
		}
	}
	return sum
}

// robotWorkers is the workers the robot fleet can stand in for on crew l.
func (c *Controller) robotWorkers(s *State, l int) float64 {
	w := 0.0
	for _, k := range s.m.standIns[l] {
		rl := s.m.robotLines[k]
		r := &s.m.Lines[rl]
		w += s.lines[rl].pool * r.WorkersPerRobot / float64(len(r.Substitutes))
	}
	return w
}

// robotsWanted is the fleet robot line rl should have at week tau to take
// its largest share of the crew work the target implies.
func (c *Controller) robotsWanted(s *State, rl, tau int) float64 {
	m := s.m
	r := &m.Lines[rl]
	if r.WorkersPerRobot <= 0 {
		return 0
	}
	workers := 0.0
	for _, cl := range r.Substitutes {
		workers += m.TargetRate(tau) * c.crewWeeksPerMW[cl]
	}
	return r.MaxAutomation * workers / r.WorkersPerRobot
}

// orderRobots keeps the robot fleet plus orders at what the target needs
// one robot lead time ahead.
func (c *Controller) orderRobots(s *State) {
	for _, rl := range s.m.robotLines {
		ls := &s.lines[rl]
		want := c.robotsWanted(s, rl, s.week+s.m.Lines[rl].LeadWeeks)
		s.Order(rl, want-ls.pool-ls.backlog)
	}
}

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
