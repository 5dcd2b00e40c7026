package sim

import (
	"slices"
	"sort"
)

// lineState is a supply line during a run.
type lineState struct {
	base      float64 // industry capacity this week (workforce for crews)
	dedicated float64 // capacity the factory paid for that is online
	dedTotal  float64 // dedicated plus what expQueue has still to bring (State.Dedicated), when dedKnown
	dedKnown  bool
	expQueue  []expansion
	expHead   int
	supply    float64 // the factory's production slot this week
	queue     []order // orders placed, delivered in the order they fall due
	qHead     int
	backlog   float64 // units ordered and not yet delivered
	scheduled float64 // units scheduled to be ordered later
	stock     float64 // delivered and not yet consumed
	pool      float64 // crews: workers available; robots: fleet
	held      float64 // crews and robots held by running stages
	cumOut    float64 // industry cumulative output (learning curve)
	unitCost  float64 // this week's, once priced (see State.price)
	priced    bool    // unitCost is this week's
	learnQ    float64 // the cumulative output on the learning curve this week
	gen       int     // accelerators: the generation in production
	genStart  float64 // accelerators: cumOut when that generation began
	limitedBy int     // accelerators: the line that limited production, or -1

	ordered, delivered, consumed float64 // run totals, for conservation
	usedUpstream                 float64 // upstream: units used this week
}

type order struct {
	ready int
	qty   float64
}

type expansion struct {
	week int
	qty  float64
}

// stageStatus is where a project's stage stands.
type stageStatus uint8

const (
	pending stageStatus = iota
	running
	done
)

type stageState struct {
	// Weeks are int32 and counts smaller, and the crews a running stage
	// holds are kept in its project (project.holds), so that a stage takes
	// 40 bytes: the engine visits thousands of stages a run.
	status stageStatus
	// next is the index into its Stage.Deferred of the next need the
	// running stage must consume; due the week it comes due. A late need
	// pauses the stage: end and due move a week later.
	next      uint16
	nHeld     uint16 // holdings in project.holds from Model.holdOff[i]
	ready     int32  // week it could first start: predecessors done and its planned week come (-1 until then)
	notBefore int32  // its planned start: as late as the critical path allows
	begin     int32
	end       int32
	waited    int32 // weeks waited for inputs or crews after ready
	waitedOn  int32 // the line that held it back last, or -1
	due       int32
	paused    int32 // weeks paused for a late need
}

type holding struct {
	line int
	qty  float64
}

// project is one campus moving through its stages.
type project struct {
	// The fields a visit reads come first, within one cache line (the
	// project blocks are page-aligned and a project is 192 bytes).
	//
	// doneBits and runBits have bit i set while stage i is done or running, so
	// a visit skips the stages that cannot move without reading them.
	doneBits, runBits uint64
	stages            []stageState
	ndone             int32
	online            int32 // week it came online, or -1
	wake              int32 // the week its next running stage ends
	waiting           bool  // a stage is ready but lacks inputs or crews
	// A sleeping project (see sleep.go) waits on nSleep lines and was last
	// looked at in week sleptAt; sleeps numbers its sleeps.
	asleep  bool
	nSleep  uint8
	strikes uint8 // weeks in a row it was looked at and found waiting, to sleepAfter
	sleptAt int32

	mw      float64
	sleeps  uint32
	gen     int
	accels  float64
	racks   float64
	power   []float64 // MW of grid power from each power line
	holds   []holding // crews and robots its running stages hold: stage i's from Model.holdOff[i]
	id      int
	name    string // a campus named in the starting state, or ""
	initial bool   // online or under way at the start
	start   int
}

// setStatus sets stage i's status, keeping p's bits of done and running
// stages.
func (p *project) setStatus(i int, st stageStatus) {
	p.stages[i].status = st
	bit := uint64(1) << i
	p.doneBits &^= bit
	p.runBits &^= bit
	switch st {
	case done:
		p.doneBits |= bit
	case running:
		p.runBits |= bit
	}
}

// amount converts a recipe need into units for project p.
func (p *project) amount(n *Need, pue float64) float64 {
	switch n.Basis {
	case PerGridMW:
		if n.Power != nil {
			mw := 0.0
			for j, on := range n.Power {
				if on {
					mw += p.power[j]
				}
			}
			return n.Amount * mw
		}
		return n.Amount * p.mw * pue
	case PerAccelerator:
		return n.Amount * p.accels
	case PerRack:
		return n.Amount * p.racks
	}
	return n.Amount * p.mw
}

const eps = 1e-9

func (l *lineState) free() float64 {
	if f := l.pool - l.held; f > 0 {
		return f
	}
	return 0
}

// slab hands out projects and their small slices carved from larger
// blocks, so starting a project costs a few allocations per thousand
// projects rather than several each; reset hands the same blocks out again
// for the next run.
type slab struct {
	p blocks[project]
	f blocks[float64]
	s blocks[stageState]
	h blocks[holding]
}

const slabBlock = 1024

func (b *slab) project() *project      { return &b.p.take(1)[0] }
func (b *slab) floats(n int) []float64 { return b.f.take(n) }

func (b *slab) stages(n int) []stageState { return b.s.take(n) }

func (b *slab) reset() {
	b.p.reset()
	b.f.reset()
	b.s.reset()
	b.h.reset()
}

// blocks carves zeroed slices out of the blocks it has made, in order,
// making a new block only when those run out.
type blocks[T any] struct {
	all   [][]T
	cur   int // the block being carved
	used  int // how much of it is handed out
	dirty int // blocks handed out before the last reset: cleared on reuse
}

func (b *blocks[T]) take(n int) []T {
	for {
		if b.cur < len(b.all) {
			if blk := b.all[b.cur]; len(blk)-b.used >= n {
				out := blk[b.used : b.used+n : b.used+n]
				b.used += n
				if b.cur < b.dirty {
					clear(out)
				}
				return out
			}
			b.cur++
			b.used = 0
			continue
		}
		b.all = append(b.all, make([]T, max(n, slabBlock)))
	}
}

// reset hands the blocks out again from the first: everything taken
// before is given up.
func (b *blocks[T]) reset() {
	if b.cur < len(b.all) || b.used > 0 {
		b.dirty = max(b.dirty, min(b.cur+1, len(b.all)))
	}
	b.cur, b.used = 0, 0
}

// calendar holds, for each week, a set of project indices, threaded
// through one pool of entries that are reused once their week is taken:
// the projects to visit in a week, with no list allocated per week.
type calendar struct {
	head []int32 // per week: the first entry, or -1
	pool []calEntry
	free int32 // the first unused entry, or -1
}

type calEntry struct{ proj, next int32 }

func (c *calendar) reset(weeks int) {
	c.head = resize(c.head, weeks)
	for w := range c.head {
		c.head[w] = -1
	}
	c.pool = c.pool[:0]
	c.free = -1
}

// add puts project p in week w's set.
func (c *calendar) add(w int, p int32) {
	e := c.free
	if e >= 0 {
		c.free = c.pool[e].next
	} else {
		e = int32(len(c.pool))
		c.pool = append(c.pool, calEntry{})
	}
	c.pool[e] = calEntry{proj: p, next: c.head[w]}
	c.head[w] = e
}

// take appends week w's projects to dst, in no particular order, and
// empties the week.
func (c *calendar) take(w int, dst []int32) []int32 {
	e := c.head[w]
	for e >= 0 {
		dst = append(dst, c.pool[e].proj)
		next := c.pool[e].next
		c.pool[e].next = c.free
		c.free = e
		e = next
	}
	c.head[w] = -1
	return dst
}

// resize returns buf with length n and every element zero, reusing its
// array when it is large enough.
func resize[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// push queues o for delivery, keeping the queue in the order orders fall
// due and, among orders due the same week, in the order they were placed.
// Orders placed in the run fall due in the order they are placed; only an
// order placed before the start with a later due date is inserted.
func (l *lineState) push(o order) {
	n := len(l.queue)
	if n == l.qHead || l.queue[n-1].ready <= o.ready {
		l.queue = append(l.queue, o)
		return
	}
	i := l.qHead + sort.Search(n-l.qHead, func(k int) bool { return l.queue[l.qHead+k].ready > o.ready })
	l.queue = slices.Insert(l.queue, i, o)
}

// recycled is a zero money that keeps mo's arrays for reuse by initMoney
// and the weekly loop.
func (mo *money) recycled() money {
	var out money
	for k := range mo.fac {
		out.fac[k].due = mo.fac[k].due[:0]
	}
	out.added = mo.added[:0]
	out.replace = mo.replace[:0]
	return out
}

// shape is what planning a project needs of the model's stage graph,
// worked out once a run rather than once a project.
type shape struct {
	succStart []int32 // stage i's successors are succ[succStart[i]:succStart[i+1]]
	succ      []int32
	fitOut    int // the last stage that needs accelerators, or -1
	// pred[i] has bit j set for each stage j stage i comes after.
	pred []uint64
	// plans holds a new project's plan relative to its start for each set
	// of power sources it draws from (bit j: power line j), found so far.
	plans []relPlan
	// orders lists what a project orders, stage by stage in the order
	// scheduleProject places them and remainingCapex prices them: every
	// need, then each power source of the stage that secures power.
	orders []stageOrder
}

// stageOrder is one order of a project: for need (or, when need is nil,
// power source power) of stage, placed at weeks after the stage's planned
// start (the need's offset into the stage less the line's lead time).
type stageOrder struct {
	need  *Need
	line  int32
	power int32
	stage int32
	weeks int32
}

// relPlan is a new project's plan counted from its start week: each
// stage's planned start and the planned finish.
type relPlan struct {
	mask   uint64
	ok     bool // start and finish are set
	start  []int32
	finish int32
}

// planFor returns the plan entry for a project drawing the power given,
// to read if ok or to fill in; nil when the sources are too many to key.
func (sh *shape) planFor(power []float64) *relPlan {
	if len(power) > 64 {
		return nil
	}
	var mask uint64
	for j, mw := range power {
		if mw > 0 {
			mask |= 1 << j
		}
	}
	for k := range sh.plans {
		if sh.plans[k].mask == mask {
			return &sh.plans[k]
		}
	}
	n := len(sh.succStart) - 1
	if len(sh.plans) < cap(sh.plans) {
		// Reuse an entry (and its array) from an earlier run.
		sh.plans = sh.plans[:len(sh.plans)+1]
	} else {
		sh.plans = append(sh.plans, relPlan{})
	}
	e := &sh.plans[len(sh.plans)-1]
	*e = relPlan{mask: mask, start: resize(e.start, n)}
	return e
}

func (sh *shape) reset(m *Model) {
	n := len(m.Stages)
	sh.succStart = resize(sh.succStart, n+1)
	sh.succ = sh.succ[:0]
	for i := range m.Stages {
		sh.succStart[i] = int32(len(sh.succ))
		for j := i + 1; j < n; j++ {
			for _, a := range m.Stages[j].After {
				if a == i {
					sh.succ = append(sh.succ, int32(j))
				}
			}
		}
	}
	sh.succStart[n] = int32(len(sh.succ))
	sh.plans = sh.plans[:0]
	sh.pred = resize(sh.pred, n)
	for i, st := range m.Stages {
		for _, a := range st.After {
			sh.pred[i] |= 1 << a
		}
	}
	sh.orders = sh.orders[:0]
	sh.fitOut = -1
	for i := range m.Stages {
		st := &m.Stages[i]
		for k := range st.Needs {
			nd := &st.Needs[k]
			off := nd.offsetWeeks(st.Weeks)
			sh.orders = append(sh.orders, stageOrder{need: nd, line: int32(nd.Line), power: -1, stage: int32(i), weeks: int32(off - m.Lines[nd.Line].LeadWeeks)})
			if nd.Line == m.Accel {
				sh.fitOut = i
			}
		}
		if st.SecuresPower {
			for j, l := range m.PowerLines {
				sh.orders = append(sh.orders, stageOrder{line: int32(l), power: int32(j), stage: int32(i), weeks: int32(-m.Lines[l].LeadWeeks)})
			}
		}
	}
}

func (sh *shape) successors(i int) []int32 { return sh.succ[sh.succStart[i]:sh.succStart[i+1]] }
