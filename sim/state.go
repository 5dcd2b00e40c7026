package sim

import (
	"slices"
	"sort"
)

// lineState is a supply line during a run.
type lineState struct {
	base      float64 // industry capacity this week (workforce for crews)
	dedicated float64 // capacity the factory paid for that is online
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
	unitCost  float64
	learn     float64 // learning-curve factor on the unit cost (1 at the start)
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
	status    stageStatus
	ready     int // week it could first start: predecessors done and its planned week come (-1 until then)
	notBefore int // its planned start: as late as the critical path allows
	begin     int
	end       int
	waited    int // weeks waited for inputs or crews after ready
	waitedOn  int // the line that held it back last, or -1
	held      []holding
	// next is the index into its Stage.Deferred of the next need the
	// running stage must consume; due the week it comes due. A late need
	// pauses the stage: end and due move a week later.
	next   int
	due    int
	paused int // weeks paused for a late need
}

type holding struct {
	line int
	qty  float64
}

// project is one campus moving through its stages.
type project struct {
	id      int
	name    string // a campus named in the starting state, or ""
	initial bool   // online or under way at the start
	start   int
	online  int // week it came online, or -1
	mw      float64
	gen     int
	accels  float64
	racks   float64
	power   []float64 // MW of grid power from each power line
	stages  []stageState
	ndone   int
	blocked int  // a line it waits on this week, or -1
	waiting bool // a stage is ready but lacks inputs or crews
	wake    int  // the week its next running stage ends
}

// amount converts a recipe need into units for project p.
func (p *project) amount(n Need, pue float64) float64 {
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

// slab hands out small slices carved from larger blocks, so starting a
// project costs a few allocations per hundred projects rather than several
// each.
type slab struct {
	f []float64
	s []stageState
	h []holding
}

const slabBlock = 1024

func (b *slab) floats(n int) []float64 {
	if len(b.f) < n {
		b.f = make([]float64, max(n, slabBlock))
	}
	out := b.f[:n:n]
	b.f = b.f[n:]
	return out
}

func (b *slab) stages(n int) []stageState {
	if len(b.s) < n {
		b.s = make([]stageState, max(n, slabBlock))
	}
	out := b.s[:n:n]
	b.s = b.s[n:]
	return out
}

func (b *slab) holdings(n int) []holding {
	if len(b.h) < n {
		b.h = make([]holding, max(n, slabBlock))
	}
	out := b.h[:0:n]
	b.h = b.h[n:]
	return out
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
