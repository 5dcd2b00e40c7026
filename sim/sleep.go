package sim

// Event-driven waits.
//
// A project whose ready stages lack only inputs held in stock (materials,
// accelerators, power; not crews or robots) cannot start them until the
// stock of every line it lacks has grown to its need, and stock only grows
// when a line delivers, before projects advance. Such a project sleeps: it
// is not looked at each week but woken at the start of the first week in
// which a line it lacks holds as much as it needs (or when one of its
// stages is due, or a freeze on a stage it waits on begins). Stock only
// falls while projects advance, so a sleeping project would have failed
// every week it was not looked at.
//
// A project whose stage could not pay its capital cost sleeps as well, but
// takes its turn each week in index order: a try that would fail without
// moving money (cash short of the cost, no equity or debt left to raise)
// is skipped; any other (one that would pay, or raise what it can) is
// made, by waking the project in its turn. So every start, order, payment
// and week online is what weekly looks give.
//
// While asleep a project holds back its MW on the lines it lacked when it
// fell asleep, each week, as a project looked at would. A line that fell
// short for it while it slept is not counted against it until it wakes:
// that is the one way sleeping changes the held-back figures. Projects
// short of crews are still looked at weekly: a crew is freed by a stage
// ending in the same week.

// sleepAfter is how many weeks in a row a project is found waiting before
// it sleeps: most waits end within a week or two, and falling asleep and
// waking cost more than a look. (In the reference, waiting 1, 2, 3 and 4
// weeks before sleeping cost 2.3%, 0.9%, 0.45% and 0.5% more
// instructions a run than never sleeping.)
const sleepAfter = 3

// maxSleepRefs bounds the lines a sleeping project may wait on; one short
// of more is looked at weekly.
const maxSleepRefs = 8

// sleepRef is one line a sleeping project waits on, for one of its stages.
type sleepRef struct {
	line  int32
	stage uint8
}

// shortage is a line a stage lacked at its last look, and how much of it
// the stage needs in stock.
type shortage struct {
	line  int32
	stage uint8
	need  float64
}

// sleeper is a sleeping project's entry in the heap of a line it waits
// on (need: what it needs in stock) or in the list of those waiting for
// money (need: the capital cost), valid while the project sleeps the
// sleep gen numbers.
type sleeper struct {
	need float64
	proj int32
	gen  uint32
}

// sleepHeap is a min-heap of sleepers by need.
type sleepHeap []sleeper

func (h *sleepHeap) push(e sleeper) {
	*h = append(*h, e)
	a := *h
	for i := len(a) - 1; i > 0; {
		up := (i - 1) / 2
		if a[up].need <= a[i].need {
			break
		}
		a[up], a[i] = a[i], a[up]
		i = up
	}
}

func (h *sleepHeap) pop() {
	a := *h
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1].need < a[c].need {
			c++
		}
		if a[i].need <= a[c].need {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
}

// sleeping is the state of sleeping projects, per line.
type sleeping struct {
	heaps []sleepHeap
	mw    []float64                // MW held back by sleepers, per line they wait on
	n     []int32                  // sleepers' references to the line
	fmw   []float64                // mw and n of the projects fallen asleep this week,
	fn    []int32                  // who held back their MW when looked at
	root  []int32                  // the line each line's sleepers were held back against last week
	lines []int32                  // the lines with sleepers or a heap not empty, each once
	known []bool                   // per line: in lines
	on    [][maxSleepRefs]sleepRef // per project: the lines it sleeps on (project.nSleep of them)
	short []shortage
	// money holds the projects asleep for want of money, by project
	// index; fresh those fallen asleep this week (in index order), merged
	// in at its end.
	money, fresh, spare []sleeper
}

func (sl *sleeping) reset(lines int) {
	heaps := sl.heaps
	if cap(heaps) < lines {
		heaps = make([]sleepHeap, lines)
	}
	heaps = heaps[:lines]
	for l := range heaps {
		heaps[l] = heaps[l][:0]
	}
	sl.heaps = heaps
	sl.mw = resize(sl.mw, lines)
	sl.n = resize(sl.n, lines)
	sl.fmw = resize(sl.fmw, lines)
	sl.fn = resize(sl.fn, lines)
	sl.root = resize(sl.root, lines)
	sl.lines = sl.lines[:0]
	sl.known = resize(sl.known, lines)
	sl.on = sl.on[:0]
	sl.short = sl.short[:0]
	sl.money, sl.fresh, sl.spare = sl.money[:0], sl.fresh[:0], sl.spare[:0]
}

// sleep puts p to sleep on the shortages its look this week found (of
// stock or money: the caller has checked there were no others), if they
// are few enough.
func (s *State) sleep(p *project, idx int32, short []shortage) {
	if len(short) == 0 || len(short) > maxSleepRefs {
		return
	}
	sl := &s.sleeping
	for int(idx) >= len(sl.on) {
		sl.on = append(sl.on, [maxSleepRefs]sleepRef{})
	}
	on := &sl.on[idx]
	for k, sh := range short {
		on[k] = sleepRef{line: sh.line, stage: sh.stage}
		if !sl.known[sh.line] {
			sl.known[sh.line] = true
			sl.lines = append(sl.lines, sh.line)
		}
		if int(sh.line) == s.m.Capital {
			sl.fresh = append(sl.fresh, sleeper{need: sh.need, proj: idx, gen: p.sleeps})
		} else {
			sl.heaps[sh.line].push(sleeper{need: sh.need, proj: idx, gen: p.sleeps})
		}
		sl.fmw[sh.line] += p.mw
		sl.fn[sh.line]++
		if p.stages[sh.stage].status == pending {
			// A freeze beginning on the stage stops its tries: look again
			// then.
			for _, fz := range s.m.Freezes {
				if fz.Stage == int(sh.stage) && fz.FromWeek > s.week {
					p.wake = min(p.wake, int32(fz.FromWeek))
				}
			}
		}
	}
	p.nSleep = uint8(len(short))
	p.asleep = true
	p.sleptAt = int32(s.week)
}

// wake ends the sleep of p, project idx, at the start of week w (a later
// week than it fell asleep): its stages waited (and a paused one stayed
// paused) every week it slept, as if looked at.
func (s *State) wake(p *project, idx int32, w int) {
	sl := &s.sleeping
	slept := int32(w - 1 - int(p.sleptAt)) // weeks not looked at
	last := -1
	for _, r := range sl.on[idx][:p.nSleep] {
		sl.mw[r.line] -= p.mw
		if sl.n[r.line]--; sl.n[r.line] == 0 {
			sl.mw[r.line] = 0 // no residue of rounding when none is left
		}
		if slept <= 0 {
			continue
		}
		st := &p.stages[r.stage]
		st.waitedOn = sl.root[r.line]
		if int(r.stage) == last {
			continue
		}
		last = int(r.stage)
		st.waited += slept
		if st.status == running {
			// Paused: its end moved a week later each week (its need,
			// overdue, is taken when it wakes).
			st.paused += slept
			st.end += slept
		}
	}
	p.nSleep = 0
	p.asleep = false
	p.sleeps++
}

// wakeSupplied wakes, at the start of the week's advance, every sleeping
// project for which a line's stock has grown to its need, and appends it
// to due. (Those due this week for another reason are woken when looked
// at.)
func (s *State) wakeSupplied(due []int32) []int32 {
	sl := &s.sleeping
	for _, l := range sl.lines {
		h := &sl.heaps[l]
		stock := s.lines[l].stock
		for len(*h) > 0 {
			e := (*h)[0]
			p := s.projects[e.proj]
			if !p.asleep || p.sleeps != e.gen {
				h.pop() // from a sleep that has ended
				continue
			}
			if e.need > stock+eps {
				break
			}
			h.pop()
			s.wake(p, e.proj, s.week)
			due = append(due, e.proj)
		}
	}
	return due
}

// moneyTurn reports whether e, a project asleep for want of money, is to
// be woken and looked at in its turn: it is still asleep on that sleep,
// and its try would not fail without moving money.
func (s *State) moneyTurn(e sleeper) bool {
	p := s.projects[e.proj]
	return p.asleep && p.sleeps == e.gen && !s.failsQuietly(e.need, lease)
}

// holdSleepers adds, at the end of the week's advance, the MW of the
// projects that slept through it to the held-back figure of each line
// they wait on (or of its root cause), then counts this week's new
// sleepers in for the weeks to come.
func (s *State) holdSleepers() {
	sl := &s.sleeping
	if len(sl.money) > 0 || len(sl.fresh) > 0 {
		// Those still asleep on the same sleep, and the week's new ones,
		// in index order.
		out := sl.spare[:0]
		a, b := sl.money, sl.fresh
		for len(a) > 0 || len(b) > 0 {
			var e sleeper
			if len(b) == 0 || len(a) > 0 && a[0].proj < b[0].proj {
				e, a = a[0], a[1:]
			} else {
				e, b = b[0], b[1:]
			}
			if p := s.projects[e.proj]; p.asleep && p.sleeps == e.gen {
				out = append(out, e)
			}
		}
		sl.spare, sl.money, sl.fresh = sl.money[:0], out, sl.fresh[:0]
	}
	keep := sl.lines[:0]
	for _, l := range sl.lines {
		if sl.n[l] > 0 {
			root := s.rootCause(int(l))
			s.heldBack[root] += sl.mw[l]
			sl.root[l] = int32(root)
		}
		sl.mw[l] += sl.fmw[l]
		sl.n[l] += sl.fn[l]
		sl.fmw[l], sl.fn[l] = 0, 0
		if sl.n[l] > 0 || len(sl.heaps[l]) > 0 {
			keep = append(keep, l)
		} else {
			sl.known[l] = false // lines without sleepers or stale entries drop out
		}
	}
	sl.lines = keep
}

// wakeAll ends every sleep at the end of the run, so the project log
// counts the weeks waited to the last.
func (s *State) wakeAll() {
	for i, p := range s.projects {
		if p.asleep {
			s.wake(p, int32(i), s.m.Weeks)
		}
	}
}
