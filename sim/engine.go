package sim

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/gwf-project/gwf/allocate"
	"github.com/gwf-project/gwf/scenario"
)

// Policy is the factory's weekly decision rule. Decide is called once a
// week, after capacity grows and before supply lines deliver and projects
// advance, so an order placed now with lead time L arrives in L weeks; it
// acts through the State's methods: StartProject, Order, Expand and
// HoldBack.
type Policy interface {
	Decide(s *State)
}

// State is the engine's state as a policy sees it, for the current week.
type State struct {
	m        *Model
	week     int
	lines    []lineState
	projects []*project
	// waiting holds the projects to look at every week (a stage ready but
	// short of inputs, or just started); due week w's set those whose next
	// stage ends or is planned to start in week w. Both hold indices into
	// projects.
	waiting []int32
	due     calendar
	work    []int32 // scratch: this week's projects, oldest first
	dueNow  []int32 // scratch: this week's due set
	// heldScratch is scratch for the crews and robots a stage would hold.
	heldScratch []holding
	// Orders to place in future weeks: a linked list per week, threaded
	// through one pool, so scheduling allocates nothing per order.
	schedHead, schedTail []int32 // per week: first and last pool index, or -1
	schedPool            []scheduled

	startedMW, onlineMW, onlineFLOPS float64
	addedMW                          float64
	capexUSD                         float64
	heldBack                         []float64 // this week, per line
	slab                             slab
	money                            money
	genMW                            []float64 // MW online per generation
	capexBy                          []float64 // capex so far per Model.CapexBuckets entry
	demand, served                   []float64 // per mission, this week
	growth                           []float64 // per mission, demand growth since its start
	claims                           []allocate.Claim
	faults                           []string  // accounting failures, reported as broken invariants
	powerAlloc                       []float64 // MW of power allocated per power line, cumulative
	allocScratch                     []int     // scratch for allocate.Split
	probe                            project   // scratch for ProjectCapex
	shape                            shape     // the model's stage graph, for planning
	sleeping                         sleeping  // projects waiting on stock, crews or money, not looked at weekly
	eager                            bool      // look at every waiting project weekly (Options.eager)
}

// Model returns the compiled scenario being run.
func (s *State) Model() *Model { return s.m }

// Week returns the current week (0-based).
func (s *State) Week() int { return s.week }

// StartedMW is the IT capacity of every project started so far.
func (s *State) StartedMW() float64 { return s.startedMW }

// OnlineMW is the IT capacity online.
func (s *State) OnlineMW() float64 { return s.onlineMW }

// PipelineMW is the IT capacity started but not yet online.
func (s *State) PipelineMW() float64 { return s.startedMW - s.onlineMW }

// Supply is line l's weekly production available to the factory this week
// (for a crew, the workforce; for robots, the robot line's output).
func (s *State) Supply(l int) float64 { return s.lines[l].supply }

// Pool is a crew's workforce or the robot fleet.
func (s *State) Pool(l int) float64 { return s.lines[l].pool }

// Backlog is what has been ordered from line l and not yet delivered, plus
// what projects have scheduled to order later.
func (s *State) Backlog(l int) float64 { return s.lines[l].backlog + s.lines[l].scheduled }

// Stock is what line l has delivered and no stage has consumed yet.
func (s *State) Stock(l int) float64 { return s.lines[l].stock }

// Dedicated is the capacity of line l the factory has paid for, online or
// still being built.
func (s *State) Dedicated(l int) float64 {
	ls := &s.lines[l]
	if !ls.dedKnown {
		d := ls.dedicated
		for _, e := range ls.expQueue[ls.expHead:] {
			d += e.qty
		}
		ls.dedTotal, ls.dedKnown = d, true
	}
	return ls.dedTotal
}

// PowerAllocated is the grid MW projects have taken from power line l so far.
func (s *State) PowerAllocated(powerIndex int) float64 { return s.powerAlloc[powerIndex] }

// HoldBack records that mw of capacity was held back this week by a
// shortage of line l that the policy foresaw (for example projects not
// started because l could not serve them).
func (s *State) HoldBack(l int, mw float64) {
	if l >= 0 && mw > 0 {
		s.heldBack[l] += mw
	}
}

// Order places an order for qty units of line l now; it is delivered after
// the line's lead time, as capacity allows, first in first out.
//
// With finance, the deposit is paid now; an order whose deposit cannot be
// funded is not placed and Order reports false.
func (s *State) Order(l int, qty float64) bool {
	if qty <= 0 {
		return true
	}
	ls := &s.lines[l]
	if fm := s.m.Finance; fm != nil && fm.Deposit > 0 {
		if !s.payCapex(qty*s.price(l)*fm.Deposit, s.financing(l), l == s.m.Accel, s.m.Lines[l].Kind != Robot, l) {
			s.HoldBack(s.m.Capital, 0)
			return false
		}
	}
	ls.push(order{ready: s.week + s.m.Lines[l].LeadWeeks, qty: qty})
	ls.backlog += qty
	ls.ordered += qty
	return true
}

// financing is the facility that covers part of line l's payments: the
// vendor for accelerators, none otherwise.
func (s *State) financing(l int) int { return s.m.Financing(l) }

// Expand funds qty units per week of dedicated capacity on line l, in
// whole expansion steps when the line has them (Line.ExpansionSteps); it
// comes online after the line's expansion lead time.
// It reports false, funding nothing, when the cost cannot be paid.
func (s *State) Expand(l int, qty float64) bool {
	qty = s.m.Lines[l].ExpansionSteps(qty)
	if qty <= 0 {
		return true
	}
	ls := &s.lines[l]
	cost := qty * s.m.Lines[l].ExpansionCostUSD
	if !s.payCapex(cost, -1, false, false, s.m.expansionBucket()) {
		return false
	}
	ls.expQueue = append(ls.expQueue, expansion{week: s.week + s.m.Lines[l].ExpansionWeeks, qty: qty})
	ls.dedKnown = false
	return true
}

// StartProject starts a project this week, drawing its grid power from the
// power lines in the MW given (one entry per Model.PowerLines, summing to
// the project's size × PUE). Its orders are scheduled just in time: each
// need is ordered its lead time before the work is planned to reach it.
//
// It returns the week the project is planned to come online if every input
// arrives after its lead time and nothing waits.
func (s *State) StartProject(powerMW []float64) int {
	m := s.m
	p := s.newProject(m.SizeMW, s.week)
	copy(p.power, powerMW)
	for i, mw := range powerMW {
		s.powerAlloc[i] += mw
	}
	finish, est := s.planProject(p, nil)
	s.projects = append(s.projects, p)
	s.waiting = append(s.waiting, int32(len(s.projects)-1))
	s.startedMW += p.mw
	if m.Finance != nil {
		// What the project will cost, summed as its orders were scheduled:
		// remainingCapex's figure.
		s.money.committed += s.itemsCost(p, est)
	}
	return finish
}

// newProject makes a project of mw started in week start, every stage
// pending.
func (s *State) newProject(mw float64, start int) *project {
	m := s.m
	p := s.slab.project()
	*p = project{
		id:      len(s.projects) + 1,
		start:   start,
		online:  -1,
		mw:      mw,
		power:   s.slab.floats(len(m.PowerLines)),
		stages:  s.slab.stages(len(m.Stages)),
		waiting: true,
	}
	p.holds = s.slab.h.take(m.holdOff[len(m.Stages)])
	for i := range p.stages {
		ss := &p.stages[i]
		ss.ready = -1
		ss.waitedOn = -1
	}
	return p
}

// planProject plans p's pending stages from this week: each as soon as its
// predecessors end and its inputs could arrive, then as late as the
// critical path allows, so crews and sites are not tied up waiting for
// long-lead equipment ordered today. It picks the hardware generation
// (gen, or the newest available at the planned fit-out when gen < 0) and
// schedules the orders of every pending stage, each its lead time before
// the work needs it. ip is nil for a new project; for one under way at the
// start it names the generation, which stages have what they consume on
// site (nothing to order) or on order (due when the work needs it, whatever
// the lead time), and any planned start. It returns the planned finish
// and, with finance, what the pending stages' inputs cost at today's
// prices (remainingCapex without the capex items).
func (s *State) planProject(p *project, ip *InitialProject) (int, float64) {
	m := s.m
	gen := -1
	var pre []StartStatus
	if ip != nil {
		gen = ip.Gen
		pre = make([]StartStatus, len(ip.Stages))
		for i, is := range ip.Stages {
			pre[i] = is.Status
		}
	}
	var planBuf [16]int
	plan := planBuf[:0]
	if len(m.Stages) > len(planBuf) {
		plan = make([]int, 0, len(m.Stages))
	}
	plan = plan[:len(m.Stages)]
	pending := func(i int) bool { return p.stages[i].status == pending }
	endOf := func(i int) int {
		if pending(i) {
			return plan[i] + m.Stages[i].Weeks
		}
		return int(p.stages[i].end)
	}
	// A new project's plan depends only on the week and on which power
	// sources it draws from: worked out once a run per set of sources.
	var cached *relPlan
	if ip == nil {
		cached = s.shape.planFor(p.power)
	}
	if cached != nil && cached.ok {
		for i := range plan {
			plan[i] = s.week + int(cached.start[i])
			p.stages[i].notBefore = int32(plan[i])
		}
		est := s.scheduleProject(p, plan, nil, gen)
		return s.week + int(cached.finish), est
	}
	for i, st := range m.Stages {
		if !pending(i) {
			plan[i] = int(p.stages[i].begin)
			continue
		}
		es := s.week
		for _, a := range st.After {
			es = max(es, endOf(a))
		}
		if pre == nil || (pre[i] != StageDelivered && pre[i] != StageOrdered) {
			es = max(es, s.week+s.stageLead(p, i))
		}
		if ip != nil {
			es = max(es, ip.Stages[i].PlannedWeek)
		}
		plan[i] = es
	}
	finish := s.week
	for i := range m.Stages {
		finish = max(finish, endOf(i))
	}
	for i := len(m.Stages) - 1; i >= 0; i-- {
		if !pending(i) {
			continue
		}
		late := finish - m.Stages[i].Weeks
		for _, j := range s.shape.successors(i) {
			if pending(int(j)) {
				late = min(late, plan[j]-m.Stages[i].Weeks)
			}
		}
		plan[i] = max(plan[i], late)
		p.stages[i].notBefore = int32(plan[i])
	}
	if cached != nil {
		for i := range plan {
			cached.start[i] = int32(plan[i] - s.week)
		}
		cached.finish, cached.ok = int32(finish-s.week), true
	}
	est := s.scheduleProject(p, plan, pre, gen)
	return finish, est
}

// scheduleProject fixes p's hardware generation (gen, or when gen < 0 the
// newest available at its planned fit-out) and schedules the orders of
// every pending stage planned to start in week plan[i], each its lead time
// before the work needs it (pre: see planProject). With finance it returns
// what those inputs cost at today's prices, summed in remainingCapex's
// order: both go through the model's list of stage orders (shape.orders).
func (s *State) scheduleProject(p *project, plan []int, pre []StartStatus, gen int) float64 {
	m := s.m
	// Hardware: the newest generation available when fit-out is planned to
	// start, that is when the first stage needing accelerators begins.
	if gen < 0 {
		fit := s.week
		if i := s.shape.fitOut; i >= 0 {
			fit = plan[i]
		}
		gen = m.GenerationAt(fit)
	}
	p.gen = gen
	g := &m.Generations[p.gen]
	p.accels = p.mw * g.AcceleratorsPerMW()
	p.racks = p.accels / g.PerRack
	// How each stage orders: scheduled a lead time before the work needs
	// it, skipped (under way, done, or what it consumes on site), or
	// already on order and due when the work needs it.
	const (
		scheduled = iota
		skipped
		placed
	)
	var how [scenario.MaxStages]uint8
	if pre != nil || p.doneBits|p.runBits != 0 { // not a new project, every stage pending
		for i := range m.Stages {
			switch {
			case p.stages[i].status != pending || pre != nil && pre[i] == StageDelivered:
				how[i] = skipped
			case pre != nil && pre[i] == StageOrdered:
				how[i] = placed
			}
		}
	}
	priced, est := m.Finance != nil, 0.0
	for k := range s.shape.orders {
		o := &s.shape.orders[k]
		if how[o.stage] == skipped {
			continue
		}
		var q float64
		if o.need != nil {
			q = p.amount(o.need, m.PUE)
		} else if q = p.power[o.power]; q == 0 {
			// Nothing from a source: nothing to order, and nothing it
			// costs; not asking spares pricing a power line (never the
			// accelerators, whose price depends on when in the week it is
			// asked).
			continue
		}
		l, w := int(o.line), plan[o.stage]+int(o.weeks)
		if how[o.stage] == placed {
			s.orderedBefore(l, w+m.Lines[l].LeadWeeks, q)
		} else {
			s.schedule(l, w, q)
		}
		if priced {
			est += s.cost(p, l, q)
		}
	}
	return est
}

// stageLead is how long after an order placed now stage i of p could
// start: the longest lead time among what it consumes, less how far into
// the stage each input is needed.
func (s *State) stageLead(p *project, i int) int {
	m := s.m
	lead := m.InputLeadWeeks(i, p.power)
	if m.Stages[i].SecuresPower {
		for j, l := range m.PowerLines {
			if p.power[j] > 0 {
				lead = max(lead, m.Lines[l].LeadWeeks)
			}
		}
	}
	return lead
}

// schedule places an order for line l in week w (now if w has passed).
func (s *State) schedule(l, w int, qty float64) {
	if qty <= 0 {
		return
	}
	if w <= s.week {
		s.Order(l, qty)
		return
	}
	if w >= len(s.schedHead) {
		return // beyond the horizon: never placed
	}
	s.enqueue(w, l, qty)
	s.lines[l].scheduled += qty
}

// scheduled is an order waiting in the pool to be placed.
type scheduled struct {
	line int32
	next int32
	qty  float64
}

// enqueue appends an order to week w's list, keeping the order in which
// orders were scheduled.
func (s *State) enqueue(w, l int, qty float64) {
	i := int32(len(s.schedPool))
	s.schedPool = append(s.schedPool, scheduled{line: int32(l), next: -1, qty: qty})
	if t := s.schedTail[w]; t >= 0 {
		s.schedPool[t].next = i
	} else {
		s.schedHead[w] = i
	}
	s.schedTail[w] = i
}

// Run simulates m under policy pol for the model's horizon.
func Run(m *Model, pol Policy) *Result { return RunWith(m, pol, Options{}) }

// Options tune what a run records.
type Options struct {
	// WeeksOnly records only Result.Weeks (and the checks), for studies of
	// many runs: no project log, supply-line or mission series, per-line
	// held-back figures or capex by heading.
	WeeksOnly bool
	// eager looks at every waiting project every week instead of letting
	// those short of stock sleep: the engine before event-driven waits,
	// kept for tests that compare the two.
	eager bool
}

// RunWith simulates m under policy pol, recording what o asks for.
func RunWith(m *Model, pol Policy, o Options) *Result {
	// The run's state comes from a pool, so runs one after another reuse
	// its memory; the Result is new and shares nothing with it.
	s, _ := states.Get().(*State)
	if s == nil {
		s = new(State)
	}
	r := new(Result)
	run(s, r, m, pol, o)
	s.m = nil
	states.Put(s)
	return r
}

// states holds run states for reuse by RunWith.
var states sync.Pool

// Runner runs models one after another on the same memory: a study of
// many runs keeps one Runner per worker, so a run allocates next to
// nothing once the first has sized the Runner's state. The zero value is
// ready to use; a Runner is not safe for use by several goroutines.
type Runner struct {
	s State
	r Result
}

// Run simulates m under policy pol, recording what o asks for, like
// RunWith. The Result, and every slice in it, is the Runner's own: the
// next call to Run reuses it, so a caller that keeps a Result must use
// RunWith or copy what it needs first.
func (rn *Runner) Run(m *Model, pol Policy, o Options) *Result {
	run(&rn.s, &rn.r, m, pol, o)
	return &rn.r
}

// run simulates m under pol in s, recording into r; both are reset first.
func run(s *State, r *Result, m *Model, pol Policy, o Options) {
	s.reset(m)
	s.eager = o.eager
	r.reset(m, o)
	for w := 0; w < m.Weeks; w++ {
		s.week = w
		s.addedMW = 0
		s.money.resetWeek()
		clear(s.heldBack)
		s.placeScheduled()
		s.grow()
		pol.Decide(s)
		s.produce()
		s.advance()
		s.settleWeek()
		if !o.WeeksOnly {
			// Missions are recorded only in full: the split of compute
			// among them changes nothing else.
			s.allocate()
		}
		r.record(s)
	}
	s.wakeAll()
	r.finish(s)
}

func newState(m *Model) *State {
	s := new(State)
	s.reset(m)
	return s
}

// reset makes s the state of m before week 0, reusing the memory of
// whatever s ran before.
func (s *State) reset(m *Model) {
	old := *s
	// Keep the lines' queues: the zeroed lines get their arrays back empty.
	queues := make([]lineState, len(old.lines))
	for i, ls := range old.lines {
		queues[i] = lineState{queue: ls.queue[:0], expQueue: ls.expQueue[:0]}
	}
	lines := resize(old.lines, len(m.Lines))
	for i := range min(len(lines), len(queues)) {
		lines[i].queue, lines[i].expQueue = queues[i].queue, queues[i].expQueue
	}
	old.slab.reset()
	*s = State{
		m:            m,
		lines:        lines,
		projects:     old.projects[:0],
		waiting:      old.waiting[:0],
		due:          old.due,
		work:         old.work[:0],
		dueNow:       old.dueNow[:0],
		heldScratch:  old.heldScratch[:0],
		schedHead:    resize(old.schedHead, m.Weeks),
		schedTail:    resize(old.schedTail, m.Weeks),
		schedPool:    old.schedPool[:0],
		heldBack:     resize(old.heldBack, len(m.Lines)),
		slab:         old.slab,
		money:        old.money.recycled(),
		genMW:        resize(old.genMW, len(m.Generations)),
		capexBy:      resize(old.capexBy, len(m.CapexBuckets())),
		demand:       resize(old.demand, len(m.Missions)),
		growth:       resize(old.growth, len(m.Missions)),
		served:       resize(old.served, len(m.Missions)),
		claims:       resize(old.claims, len(m.Missions)),
		faults:       old.faults[:0],
		powerAlloc:   resize(old.powerAlloc, len(m.PowerLines)),
		allocScratch: old.allocScratch,
		probe:        project{power: old.probe.power[:0], stages: old.probe.stages[:0]},
		shape:        old.shape,
		sleeping:     old.sleeping,
	}
	s.sleeping.reset(len(m.Lines))
	s.due.reset(m.Weeks)
	s.shape.reset(m)
	if cap(s.schedPool) == 0 {
		s.schedPool = make([]scheduled, 0, 1024)
	}
	for i, l := range m.Lines {
		ls := &s.lines[i]
		ls.base = l.Capacity
		ls.cumOut = l.CumulativeOutput
		ls.unitCost = l.UnitCostUSD
		ls.priced = true
		if l.Kind == Accelerator {
			ls.genStart = ls.cumOut
			ls.gen = m.GenerationAt(0)
			ls.unitCost = m.Generations[ls.gen].UnitCostUSD
		}
		ls.limitedBy = -1
		ls.pool = l.Initial
	}
	for w := range s.schedHead {
		s.schedHead[w], s.schedTail[w] = -1, -1
	}
	s.initMoney()
	s.seedInitial()
}

func (s *State) placeScheduled() {
	w := s.week
	for i := s.schedHead[w]; i >= 0; i = s.schedPool[i].next {
		o := s.schedPool[i]
		l := int(o.line)
		s.lines[l].scheduled -= o.qty
		if !s.Order(l, o.qty) && w+1 < len(s.schedHead) {
			// The deposit could not be paid: try again next week.
			s.enqueue(w+1, l, o.qty)
			s.lines[l].scheduled += o.qty
		}
	}
	s.schedHead[w], s.schedTail[w] = -1, -1
}

// grow advances every line's capacity to this week: industry growth,
// funded expansions coming online, and the learning curve.
func (s *State) grow() {
	m := s.m
	w := s.week
	for i := range m.Lines {
		l := &m.Lines[i]
		ls := &s.lines[i]
		if w > 0 {
			ls.base *= l.WeeklyGrowth
		}
		for ls.expHead < len(ls.expQueue) && ls.expQueue[ls.expHead].week <= w {
			ls.dedicated += ls.expQueue[ls.expHead].qty
			ls.expHead++
			ls.dedKnown = false
		}
		ls.supply = 0
		if w >= l.AvailableWeek {
			ls.supply = (l.Share*ls.base + ls.dedicated) * s.shockFactor(i)
		}
		ls.usedUpstream = 0
		if l.Kind == Crew {
			ls.pool = ls.supply
		}
		// Learning: the industry's output this week adds to cumulative
		// output. Accelerators learn within a generation: a new one starts
		// at its list price and learns from its own output, against the
		// line's cumulative_output as the scale of a doubling.
		if l.Kind == Accelerator {
			if g := m.GenerationAt(w); g != ls.gen {
				ls.gen, ls.genStart = g, ls.cumOut
			}
		}
		ls.cumOut += ls.base + ls.dedicated
		q := ls.cumOut
		if l.Kind == Accelerator {
			q = l.CumulativeOutput + ls.cumOut - ls.genStart
		}
		// The price this sets is worked out when first asked for (price):
		// most lines are not priced most weeks.
		ls.learnQ, ls.priced = q, false
	}
}

// price is line l's unit cost this week: its list price (for accelerators,
// the generation in production's) on the learning curve at the cumulative
// output grow reached this week.
func (s *State) price(l int) float64 {
	if ls := &s.lines[l]; ls.priced {
		return ls.unitCost
	}
	return s.priceNow(l)
}

// priceNow works out line l's unit cost this week (see price).
func (s *State) priceNow(l int) float64 {
	ls, line := &s.lines[l], &s.m.Lines[l]
	learn := line.learning(ls.learnQ)
	ls.unitCost = line.UnitCostUSD * learn
	if line.Kind == Accelerator {
		// Accelerators are priced by the generation in production.
		ls.unitCost = s.m.Generations[ls.gen].UnitCostUSD * learn
	}
	ls.priced = true
	return ls.unitCost
}

// produce delivers orders that are due, as far as this week's supply goes.
// An order placed in week t with lead time L arrives in week t+L at the
// earliest.
func (s *State) produce() {
	m := s.m
	for i := range m.Lines {
		switch m.Lines[i].Kind {
		case Material, Power, Robot:
			s.deliver(i, s.lines[i].supply)
		case Accelerator:
			s.deliverAccelerators(i)
		}
	}
}

// deliverAccelerators delivers accelerators as far as the accelerator line
// and its upstream lines (packaging, memory) allow, for the generation in
// production this week.
func (s *State) deliverAccelerators(i int) {
	m := s.m
	ls := &s.lines[i]
	g := &m.Generations[m.GenerationAt(s.week)]
	capacity := ls.supply
	limiter := i
	for _, in := range g.Inputs {
		if in.PerUnit <= 0 {
			continue
		}
		if c := s.lines[in.Line].supply / in.PerUnit; c < capacity {
			capacity, limiter = c, in.Line
		}
	}
	got, capBound := s.deliver(i, capacity)
	moneyBound := ls.limitedBy == s.m.Capital && s.m.Capital >= 0
	for _, in := range g.Inputs {
		s.lines[in.Line].usedUpstream += got * in.PerUnit
		s.lines[in.Line].delivered += got * in.PerUnit
	}
	switch {
	case moneyBound:
	case capBound:
		ls.limitedBy = limiter
	default:
		ls.limitedBy = -1
	}
}

// deliver hands over up to capacity units from orders that are due, first
// in first out. It returns the units delivered and whether capacity ran out
// before the due orders did.
func (s *State) deliver(i int, capacity float64) (float64, bool) {
	ls := &s.lines[i]
	if ls.qHead == len(ls.queue) || ls.queue[ls.qHead].ready > s.week {
		// Nothing falls due: nothing to deliver or pay.
		ls.limitedBy = -1
		if ls.backlog < eps {
			ls.backlog = 0
		}
		return 0, false
	}
	price := s.price(i)
	if fm := s.m.Finance; fm != nil {
		price *= 1 - fm.Deposit
	}
	budget := capacity
	moneyBound := false
	if a := s.affordable(price, s.financing(i)); a < budget {
		budget, moneyBound = a, true
	}
	got := 0.0
	for ls.qHead < len(ls.queue) && budget > eps {
		o := &ls.queue[ls.qHead]
		if o.ready > s.week {
			break
		}
		take := min(o.qty, budget)
		o.qty -= take
		budget -= take
		got += take
		if o.qty <= eps {
			got += o.qty // fold rounding dust into the delivery
			o.qty = 0
			ls.qHead++
		}
	}
	if ls.qHead > 64 && ls.qHead*2 > len(ls.queue) {
		ls.queue = append(ls.queue[:0], ls.queue[ls.qHead:]...)
		ls.qHead = 0
	}
	capBound := ls.qHead < len(ls.queue) && ls.queue[ls.qHead].ready <= s.week
	ls.limitedBy = -1
	if capBound && moneyBound {
		ls.limitedBy = s.m.Capital
	}
	ls.backlog -= got
	if ls.backlog < eps {
		ls.backlog = 0
	}
	ls.delivered += got
	cost := got * price
	if !s.payCapex(cost, s.financing(i), i == s.m.Accel, s.m.Lines[i].Kind != Robot, i) {
		s.faults = append(s.faults, fmt.Sprintf("week %d: %s: delivery of %.3f units could not be paid", s.week, s.m.Lines[i].Name, got))
	}
	if s.m.Lines[i].Kind == Robot {
		ls.pool += got
	} else {
		ls.stock += got
	}
	return got, capBound
}

// advance moves every project that can change this week as far as it can,
// oldest first: those waiting for inputs or crews, and those with a stage
// ending or planned to start this week. Others are not looked at.
func (s *State) advance() {
	// waiting is in index order (it is filled in the order projects are
	// visited and started); the week's due set is not: sort it alone and
	// merge the two.
	due := s.dueNow[:0]
	if s.week < len(s.due.head) {
		due = s.due.take(s.week, due)
	}
	s.wakeSupplied()
	sortSmall(due)
	work := merge(s.work[:0], s.waiting, due)
	s.dueNow = due
	s.waiting = s.waiting[:0]
	// Projects asleep take their turn in index order too: those asleep for
	// want of money are looked at only if a try would pay or raise money,
	// those short of a crew only if it could be found, those whose stock
	// came in only if it is still there.
	turns, streams := s.sleeping.turns, s.sleeping.streams
	last := int32(-1)
	mi := 0
	next, from := nextTurn(turns, mi, streams)
	for wi := 0; ; {
		var i int32
		if wi < len(work) && work[wi] <= next {
			i, wi = work[wi], wi+1
		} else if next == math.MaxInt32 {
			break
		} else {
			i = next
			var ok bool
			if from < 0 {
				ok = s.turn(turns[mi])
				mi++
			} else {
				ok = s.supplyTurn(&streams[from])
			}
			next, from = nextTurn(turns, mi, streams)
			if !ok {
				continue
			}
		}
		if i == last {
			continue // due and asleep, or due and waiting: one look a week
		}
		last = i
		p := s.projects[i]
		if p.asleep {
			s.wake(p, i, s.week) // due, or its money, crew or stock has come
		}
		s.advanceProject(p, i)
		switch {
		case p.online >= 0:
		case p.waiting && !p.asleep:
			s.waiting = append(s.waiting, i)
		case int(p.wake) <= s.week:
			// A look due this week or before would never come: the project
			// would stall unseen.
			s.faults = append(s.faults, fmt.Sprintf("week %d: project %d: next look planned for week %d, not after this one", s.week, p.id, p.wake))
		case int(p.wake) < len(s.due.head):
			s.due.add(int(p.wake), i)
		}
	}
	s.work = work
	s.holdSleepers()
}

// nextTurn is the project whose turn comes next among the sleepers, those
// asleep for want of money or crews from turns[mi] on and the week's
// streams (math.MaxInt32 when none is left), and where it is: -1 turns, k
// stream k.
func nextTurn(turns []lineSleeper, mi int, streams []stream) (int32, int) {
	i, from := int32(math.MaxInt32), -1
	if mi < len(turns) {
		i = turns[mi].proj
	}
	for k := range streams {
		if streams[k].next < i {
			i, from = streams[k].next, k
		}
	}
	return i, from
}

// sortSmall sorts xs, a week's few due projects, by insertion (large
// sets, by slices.Sort).
func sortSmall(xs []int32) {
	if len(xs) > 32 {
		slices.Sort(xs)
		return
	}
	for i := 1; i < len(xs); i++ {
		v, j := xs[i], i
		for ; j > 0 && xs[j-1] > v; j-- {
			xs[j] = xs[j-1]
		}
		xs[j] = v
	}
}

// merge appends to dst the elements of a and b, each sorted, in order.
func merge(dst, a, b []int32) []int32 {
	for len(a) > 0 && len(b) > 0 {
		if b[0] < a[0] {
			dst, b = append(dst, b[0]), b[1:]
		} else {
			dst, a = append(dst, a[0]), a[1:]
		}
	}
	return append(append(dst, a...), b...)
}

func (s *State) advanceProject(p *project, idx int32) {
	m := s.m
	p.waiting = false
	p.wake = math.MaxInt32
	var missing [8]int
	s.sleeping.short = s.sleeping.short[:0]
	// The status bits say what a stage can do without reading it: a done
	// stage nothing, a pending one only once every stage it comes after is
	// done. Only the current stage can finish during a visit, so the
	// stages not done at its start are those to go through, in order.
	pred, stages := s.shape.pred, p.stages
	for todo := ^p.doneBits & (^uint64(0) >> (64 - len(m.Stages))); todo != 0; todo &= todo - 1 {
		i := bits.TrailingZeros64(todo)
		if p.runBits&(uint64(1)<<i) == 0 && pred[i]&^p.doneBits != 0 {
			continue // pending, a stage before it not done
		}
		st := &stages[i]
		if st.status == running && int(st.next) < len(m.Stages[i].Deferred) && int(st.due) <= s.week {
			if l, need := s.takeDeferred(p, i); l >= 0 {
				// The work has reached an input that is late: the stage
				// pauses a week, its crews held, and the MW wait on it.
				p.waiting = true
				st.waited++
				st.paused++
				st.end++
				st.due = int32(s.week + 1)
				root := s.rootCause(l)
				s.heldBack[root] += p.mw
				st.waitedOn = int32(root)
				s.sleeping.short = append(s.sleeping.short, shortage{line: int32(l), stage: uint8(i), need: need})
				continue // it waits, or sleeps, on the line
			}
		}
		if st.status == running && int(st.end) <= s.week && int(st.next) >= len(m.Stages[i].Deferred) {
			s.finishStage(p, i)
		}
		if st.status == running {
			p.wake = min(p.wake, int32(s.nextEvent(st, i)))
			continue
		}
		if st.status != pending {
			continue
		}
		if s.week < int(st.notBefore) {
			p.wake = min(p.wake, st.notBefore)
			continue
		}
		if until := s.frozenUntil(i); until > s.week {
			// A freeze (e.g. on permits) holds the stage; not a shortage of
			// any line, so nothing is held back against one.
			p.wake = min(p.wake, int32(until))
			continue
		}
		if st.ready < 0 {
			st.ready = int32(s.week)
		}
		miss := s.tryStart(p, i, missing[:0])
		if len(miss) > 0 {
			p.waiting = true
			st.waited++
			for _, l := range miss {
				root := s.rootCause(l)
				s.heldBack[root] += p.mw
				st.waitedOn = int32(root)
			}
		} else if st.status == running {
			p.wake = min(p.wake, int32(s.nextEvent(st, i)))
		}
	}
	if !p.waiting {
		p.strikes = 0
	} else {
		p.strikes = min(p.strikes+1, sleepAfter)
		if p.strikes == sleepAfter && !s.eager {
			s.sleep(p, idx, s.sleeping.short)
		}
	}
	if int(p.ndone) == len(m.Stages) && p.online < 0 {
		p.online = int32(s.week)
		s.onlineMW += p.mw
		s.addedMW += p.mw
		g := &m.Generations[p.gen]
		s.onlineFLOPS += p.accels * g.FLOPSPerAccelerator
		s.genMW[p.gen] += p.mw
		s.onlineMoney(p, idx, s.week)
	}
}

// nextEvent is the next week running stage i needs a visit: when it ends,
// or sooner when the work reaches a need still to be consumed. Robots can
// shorten the work to end before a need comes due where the plan put it
// (needed late in the stage): the stage then ends when it takes that need.
func (s *State) nextEvent(st *stageState, i int) int {
	if int(st.next) < len(s.m.Stages[i].Deferred) {
		if int(st.end) <= s.week {
			return int(st.due)
		}
		return int(min(st.end, st.due))
	}
	return int(st.end)
}

// shockFactor is the share of line l's supply left by disruptions this week.
func (s *State) shockFactor(l int) float64 {
	f := 1.0
	for _, sh := range s.m.Shocks {
		if sh.Line == l && s.week >= sh.FromWeek && s.week < sh.ToWeek {
			f *= sh.Factor
		}
	}
	return f
}

// frozenUntil is the week a freeze on stage i ends, or 0 if none holds it.
func (s *State) frozenUntil(i int) int {
	until := 0
	for _, fz := range s.m.Freezes {
		if fz.Stage == i && s.week >= fz.FromWeek && s.week < fz.ToWeek {
			until = max(until, fz.ToWeek)
		}
	}
	return until
}

// allocate splits the week's online compute among the missions.
func (s *State) allocate() {
	m := s.m
	if len(m.Missions) == 0 {
		return
	}
	perMW := 0.0
	if s.onlineMW > 0 {
		perMW = s.onlineFLOPS / s.onlineMW
	} else {
		g := &m.Generations[m.GenerationAt(s.week)]
		perMW = g.AcceleratorsPerMW() * g.FLOPSPerAccelerator
	}
	for k := range m.Missions {
		mi := &m.Missions[k]
		// Demand grows by a weekly factor from its start: kept as a running
		// product rather than a power each week.
		switch {
		case s.week == mi.StartWeek:
			s.growth[k] = 1
		case s.week > mi.StartWeek:
			s.growth[k] *= mi.WeeklyGrowth
		}
		s.demand[k] = mi.demandAt(s.week, s.growth[k], perMW)
		s.claims[k] = allocate.Claim{Demand: s.demand[k], Weight: mi.Weight, Priority: mi.Priority, Guaranteed: mi.Guaranteed}
	}
	if len(s.allocScratch) < 2*len(s.claims) {
		s.allocScratch = make([]int, 2*len(s.claims))
	}
	allocate.Split(m.Allocation, s.onlineFLOPS, s.claims, s.served, s.allocScratch)
}

// rootCause follows a shortage of accelerators to the upstream line that
// limited their production, if one did.
func (s *State) rootCause(l int) int {
	if lb := s.lines[l].limitedBy; lb >= 0 && (s.m.Lines[l].Kind == Accelerator || lb == s.m.Capital) {
		return lb
	}
	return l
}

// tryStart starts stage i of p if its inputs are in stock and its crews are
// free and its capital cost paid, and otherwise appends the lines it lacks
// to missing, and each shortage (of stock, a crew or the money) with what
// the stage needs of it to s.sleeping.short.
func (s *State) tryStart(p *project, i int, missing []int) []int {
	m := s.m
	st := &m.Stages[i]
	for k := range st.Needs {
		n := &st.Needs[k]
		if n.At != 0 {
			continue
		}
		if q := p.amount(n, m.PUE); q > s.lines[n.Line].stock+eps {
			missing = append(missing, n.Line)
			s.sleeping.short = append(s.sleeping.short, shortage{line: int32(n.Line), stage: uint8(i), need: q})
		}
	}
	if st.SecuresPower {
		for j, l := range m.PowerLines {
			if q := p.power[j]; q > s.lines[l].stock+eps {
				missing = append(missing, l)
				s.sleeping.short = append(s.sleeping.short, shortage{line: int32(l), stage: uint8(i), need: q})
			}
		}
	}
	// Crews: robots stand in for workers up to each robot line's limit.
	if len(missing) > 0 && len(st.Crews) == 0 {
		return missing
	}
	held := s.heldScratch[:0]
	var freeRobots [4]float64
	robotFree := freeRobots[:0]
	if len(st.Crews) > 0 {
		for _, rl := range s.m.robotLines {
			robotFree = append(robotFree, s.lines[rl].free())
		}
	}
	crewNeed, robotWork := 0.0, 0.0
	for k := range st.Crews {
		n := &st.Crews[k]
		need := p.amount(n, m.PUE)
		crewNeed += need
		workers := need
		for _, k := range m.standIns[n.Line] {
			rl := m.robotLines[k]
			r := &m.Lines[rl]
			if r.WorkersPerRobot <= 0 {
				continue
			}
			robots := min(robotFree[k], r.MaxAutomation*workers/r.WorkersPerRobot)
			if robots <= 0 {
				continue
			}
			robotFree[k] -= robots
			workers -= robots * r.WorkersPerRobot
			robotWork += robots * r.WorkersPerRobot
			held = append(held, holding{line: rl, qty: robots})
		}
		if workers > s.lines[n.Line].free()+eps {
			missing = append(missing, n.Line)
			s.sleeping.short = append(s.sleeping.short, shortage{line: int32(n.Line), stage: uint8(i), need: need})
		}
		held = append(held, holding{line: n.Line, qty: workers})
	}
	if len(missing) > 0 {
		return missing
	}
	// Capex items paid at this stage (land, building shell), a share leased.
	if c := s.stageCapex(p, i); c > 0 {
		if !s.payCapex(c, lease, false, true, -1) {
			s.sleeping.short = append(s.sleeping.short, shortage{line: int32(s.m.Capital), stage: uint8(i), need: c})
			return append(missing, s.m.Capital)
		}
		for k, it := range s.m.Finance.Items {
			if it.Stage == i {
				s.capexBy[len(s.m.Lines)+k] += it.PerMW * p.mw
			}
		}
	}
	for k := range st.Needs {
		if n := &st.Needs[k]; n.At == 0 {
			s.consume(n.Line, p.amount(n, m.PUE))
		}
	}
	if st.SecuresPower {
		for j, l := range m.PowerLines {
			s.lines[l].stock -= p.power[j]
			s.lines[l].consumed += p.power[j]
		}
	}
	s.heldScratch = held
	ss := &p.stages[i]
	if len(held) > 0 {
		ss.nHeld = uint16(copy(p.holds[m.holdOff[i]:m.holdOff[i+1]], held)) // within the capacity the model set aside
		for _, h := range held {
			s.lines[h.line].held += h.qty
		}
	}
	weeks := float64(st.Weeks)
	if crewNeed > 0 && st.Automatable > 0 {
		weeks *= 1 - st.Automatable*robotWork/crewNeed
	}
	p.setStatus(i, running)
	ss.begin = int32(s.week)
	ss.end = int32(s.week + int(math.Ceil(weeks-eps)))
	ss.next, ss.paused = 0, 0
	if len(st.Deferred) > 0 {
		// Deferred needs come due where the plan put them (and were ordered
		// for): robots that shorten the stage shorten the work after them.
		ss.due = int32(s.week + st.Needs[st.Deferred[0]].offsetWeeks(st.Weeks))
	}
	if int(ss.end) <= s.week {
		s.finishStage(p, i)
	}
	return missing
}

// consume takes qty units of line l out of stock into a stage.
func (s *State) consume(l int, qty float64) {
	s.lines[l].stock -= qty
	s.lines[l].consumed += qty
}

// takeDeferred consumes the needs of p's running stage i that the work
// has reached, in the order they come due. It returns the line of the
// first one not in stock and the amount needed, or -1 when every due need
// was taken.
func (s *State) takeDeferred(p *project, i int) (int, float64) {
	m := s.m
	st := &m.Stages[i]
	ss := &p.stages[i]
	for int(ss.next) < len(st.Deferred) && int(ss.due) <= s.week {
		n := &st.Needs[st.Deferred[ss.next]]
		q := p.amount(n, m.PUE)
		if q > s.lines[n.Line].stock+eps {
			return n.Line, q
		}
		s.consume(n.Line, q)
		ss.next++
		if int(ss.next) < len(st.Deferred) {
			nn := st.Needs[st.Deferred[ss.next]]
			ss.due = int32(max(s.week, int(ss.begin+ss.paused)+nn.offsetWeeks(st.Weeks)))
		}
	}
	return -1, 0
}

func (s *State) finishStage(p *project, i int) {
	ss := &p.stages[i]
	off := s.m.holdOff[i]
	for _, h := range p.holds[off : off+int(ss.nHeld)] {
		s.lines[h.line].held -= h.qty
	}
	ss.nHeld = 0
	p.setStatus(i, done)
	ss.end = int32(s.week)
	p.ndone++
}
