package sim

import (
	"math"
	"sort"
)

// Event-driven waits.
//
// A project whose ready stages lack inputs held in stock (materials,
// accelerators, power) cannot start them until the stock of every line it
// lacks has grown to its need, and stock only grows when a line delivers,
// before projects advance. Such a project sleeps: it
// is not looked at each week, only in a week whose start finds a line it
// lacks holding as much as it needs (or when one of its stages is due, or
// a freeze on a stage it waits on begins). Stock only falls while projects
// advance, so a sleeping project would have failed every week it was not
// looked at.
//
// Even in such a week it is looked at only in its turn, in project order,
// and only if the stock is still there once the projects before it have
// taken theirs. The sleepers on a line that need the same amount (projects
// of one size and generation) wait together in project order (a bucket);
// once the stock has fallen short of one of them it is short for all those
// after it, so a line's many sleepers cost nothing in the weeks it serves
// only a few of them: no stampede of sleepers woken to fail.
//
// A project whose stage could not pay its capital cost sleeps as well, but
// takes its turn each week in index order: a try that would fail without
// moving money (cash short of the cost, no equity or debt left to raise)
// is skipped; any other (one that would pay, or raise what it can) is
// made, by waking the project in its turn. One short of a crew takes its
// turn each week too, and is looked at only if the crew's free workers and
// every free robot that may stand in for them could cover its need: a crew
// is freed by a stage ending in the same week, before or after the
// project's turn, so only the turn tells. So every start, order, payment
// and week online is what weekly looks give.
//
// While asleep a project holds back its MW on the lines it lacked when it
// fell asleep, each week, as a project looked at would. A line that fell
// short for it while it slept is not counted against it until it wakes:
// that is the one way sleeping changes the held-back figures.

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

// sleeper is a sleeping project's entry in a bucket of a line it waits
// on (need: what it needs in stock) or in the list of those taking turns
// (need: the capital cost, or the workers of a crew), valid while the
// project sleeps the sleep gen numbers.
type sleeper struct {
	need float64
	proj int32
	gen  uint32
}

// bucket holds the projects asleep on one line that need the same amount
// of its stock, in project order; entries before head have been looked at
// or were found from a sleep that has ended, and some after it may be too
// (they are dropped when they come to the head).
type bucket struct {
	need float64
	s    []sleeper
	head int
}

// stream is a bucket whose line's stock held its need at the start of the
// week: its sleepers take their turns in the week's advance until one
// finds the stock short. next is the project of its next live sleeper, or
// math.MaxInt32 when it has none or is spent.
type stream struct {
	line, b int32
	next    int32
}

// live reports whether e is a sleep that has not ended.
func (s *State) live(e sleeper) bool {
	p := s.projects[e.proj]
	return p.asleep && p.sleeps == e.gen
}

// sleeping is the state of sleeping projects, per line.
type sleeping struct {
	buckets [][]bucket               // per line: its sleepers by need
	entries []int32                  // per line: entries in its buckets from head on, live or not
	mw      []float64                // MW held back by sleepers, per line they wait on
	n       []int32                  // sleepers' references to the line
	fmw     []float64                // mw and n of the projects fallen asleep this week,
	fn      []int32                  // who held back their MW when looked at
	root    []int32                  // the line each line's sleepers were held back against last week
	lines   []int32                  // the lines with sleepers or a bucket not empty, each once
	known   []bool                   // per line: in lines
	on      [][maxSleepRefs]sleepRef // per project: the lines it sleeps on (project.nSleep of them)
	short   []shortage
	// streams are this week's buckets whose stock came in (wakeSupplied).
	streams []stream
	// added holds the sleepers on stock fallen asleep this week, with
	// their line, in project order: put in their buckets at its end.
	added []lineSleeper
	// turns holds the projects asleep for want of money or of a crew, by
	// project index, each with the line it waits on (a project short of
	// two crews is there twice); fresh those fallen asleep this week (in
	// index order), merged in at its end.
	turns, fresh, spare []lineSleeper
}

// lineSleeper is a sleeper with the line it waits on.
type lineSleeper struct {
	sleeper
	line int32
}

func (sl *sleeping) reset(lines int) {
	buckets := sl.buckets
	if cap(buckets) < lines {
		buckets = append(buckets[:cap(buckets)], make([][]bucket, lines-cap(buckets))...)
	}
	buckets = buckets[:lines]
	for l := range buckets {
		buckets[l] = buckets[l][:0] // the buckets and their arrays stay for reuse (bucketFor)
	}
	sl.buckets = buckets
	sl.entries = resize(sl.entries, lines)
	sl.mw = resize(sl.mw, lines)
	sl.n = resize(sl.n, lines)
	sl.fmw = resize(sl.fmw, lines)
	sl.fn = resize(sl.fn, lines)
	sl.root = resize(sl.root, lines)
	sl.lines = sl.lines[:0]
	sl.known = resize(sl.known, lines)
	sl.on = sl.on[:0]
	sl.short = sl.short[:0]
	sl.streams, sl.added = sl.streams[:0], sl.added[:0]
	sl.turns, sl.fresh, sl.spare = sl.turns[:0], sl.fresh[:0], sl.spare[:0]
}

// bucketFor is line l's bucket for sleepers needing need, made if there is
// none.
func (sl *sleeping) bucketFor(l int32, need float64) *bucket {
	bs := sl.buckets[l]
	for k := range bs {
		if bs[k].need == need {
			return &bs[k]
		}
	}
	if len(bs) < cap(bs) {
		bs = bs[:len(bs)+1] // an emptied bucket's array, kept for reuse
	} else {
		bs = append(bs, bucket{})
	}
	b := &bs[len(bs)-1]
	b.need, b.s, b.head = need, b.s[:0], 0
	sl.buckets[l] = bs
	return b
}

// insert puts e in b in project order.
func (b *bucket) insert(e sleeper) {
	live := b.s[b.head:]
	k := b.head + sort.Search(len(live), func(k int) bool { return live[k].proj > e.proj })
	b.s = append(b.s, sleeper{})
	copy(b.s[k+1:], b.s[k:])
	b.s[k] = e
}

// sleep puts p to sleep on the shortages its look this week found (of
// stock, crews or money), if they are few enough.
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
		e := lineSleeper{sleeper: sleeper{need: sh.need, proj: idx, gen: p.sleeps}, line: sh.line}
		if int(sh.line) == s.m.Capital || s.m.Lines[sh.line].Kind == Crew {
			sl.fresh = append(sl.fresh, e)
		} else {
			sl.added = append(sl.added, e)
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

// wakeSupplied opens, at the start of the week's advance, a stream for
// every bucket whose line's stock holds its need: its sleepers are looked
// at in their turns (supplyTurn). A sleeper in no stream would find the
// line short if looked at: stock only falls while projects advance.
func (s *State) wakeSupplied() {
	sl := &s.sleeping
	sl.streams = sl.streams[:0]
	for _, l := range sl.lines {
		stock := s.lines[l].stock
		for k := range sl.buckets[l] {
			if sl.buckets[l][k].need <= stock+eps {
				sl.streams = append(sl.streams, stream{line: l, b: int32(k)})
				s.nextSleeper(&sl.streams[len(sl.streams)-1])
			}
		}
	}
}

// nextSleeper moves st to its bucket's next live sleeper, dropping those
// whose sleep has ended.
func (s *State) nextSleeper(st *stream) {
	sl := &s.sleeping
	b := &sl.buckets[st.line][st.b]
	for b.head < len(b.s) && !s.live(b.s[b.head]) {
		b.head++
		sl.entries[st.line]--
	}
	st.next = math.MaxInt32
	if b.head < len(b.s) {
		st.next = b.s[b.head].proj
	}
}

// supplyTurn reports whether the next sleeper of stream st, whose turn it
// is, is to be woken and looked at: its line's stock, after the projects
// before it took theirs, still holds its need. If not, the stream is
// spent for the week, its sleepers left asleep: those after it need as
// much and come later.
func (s *State) supplyTurn(st *stream) bool {
	sl := &s.sleeping
	b := &sl.buckets[st.line][st.b]
	if b.need > s.lines[st.line].stock+eps {
		st.next = math.MaxInt32
		return false
	}
	b.head++
	sl.entries[st.line]--
	s.nextSleeper(st)
	return true
}

// fileSleepers puts the week's new sleepers on stock in their buckets,
// drops buckets left empty and, on a line whose buckets hold more ended
// sleeps than live ones, drops those.
func (s *State) fileSleepers() {
	sl := &s.sleeping
	if len(sl.added) == 0 && len(sl.streams) == 0 {
		return // no bucket has changed but by sleeps ending, compacted when one does
	}
	for _, a := range sl.added {
		sl.bucketFor(a.line, a.need).insert(a.sleeper)
		sl.entries[a.line]++
	}
	sl.added = sl.added[:0]
	for _, l := range sl.lines {
		if int(sl.entries[l]) > 2*int(sl.n[l]+sl.fn[l])+64 {
			n := 0
			for k := range sl.buckets[l] {
				b := &sl.buckets[l][k]
				live := b.s[:0]
				for _, e := range b.s[b.head:] {
					if s.live(e) {
						live = append(live, e)
					}
				}
				b.s, b.head = live, 0
				n += len(live)
			}
			sl.entries[l] = int32(n)
		}
		bs := sl.buckets[l]
		for k := 0; k < len(bs); {
			b := &bs[k]
			switch {
			case b.head == len(b.s):
				last := len(bs) - 1
				bs[k], bs[last] = bs[last], bs[k] // its array kept past the end
				bs = bs[:last]
				continue
			case b.head > 32 && 2*b.head > len(b.s):
				b.s = b.s[:copy(b.s, b.s[b.head:])]
				b.head = 0
			}
			k++
		}
		sl.buckets[l] = bs
	}
}

// turn reports whether e, a project asleep for want of money or of a
// crew, is to be woken and looked at in its turn: it still sleeps that
// sleep, and its try might do something — for money, pay or raise money
// (one that would fail without moving any is skipped); for a crew, find
// the workers, which it cannot while the crew's free workers and every
// free robot that may stand in for them fall short of its need.
func (s *State) turn(e lineSleeper) bool {
	if !s.live(e.sleeper) {
		return false
	}
	if int(e.line) == s.m.Capital {
		return !s.failsQuietly(e.need, lease)
	}
	return !s.crewShort(int(e.line), e.need)
}

// crewShort reports whether crew line c cannot now supply need workers to
// a stage starting, even with every free robot that may stand in for
// them: tryStart takes robots up to each robot line's free fleet and its
// largest share of the work, so its workers are at least need less those
// robots' work (a margin covers rounding).
func (s *State) crewShort(c int, need float64) bool {
	relief := 0.0
	for _, k := range s.m.standIns[c] {
		rl := s.m.robotLines[k]
		if r := &s.m.Lines[rl]; r.WorkersPerRobot > 0 {
			relief += min(s.lines[rl].free()*r.WorkersPerRobot, r.MaxAutomation*need)
		}
	}
	return need-relief > s.lines[c].free()+eps+1e-9*max(1, need)
}

// holdSleepers adds, at the end of the week's advance, the MW of the
// projects that slept through it to the held-back figure of each line
// they wait on (or of its root cause), then counts this week's new
// sleepers in for the weeks to come.
func (s *State) holdSleepers() {
	sl := &s.sleeping
	if len(sl.turns) > 0 || len(sl.fresh) > 0 {
		// Those still asleep on the same sleep, and the week's new ones,
		// in index order.
		out := sl.spare[:0]
		a, b := sl.turns, sl.fresh
		for len(a) > 0 || len(b) > 0 {
			var e lineSleeper
			if len(b) == 0 || len(a) > 0 && a[0].proj < b[0].proj {
				e, a = a[0], a[1:]
			} else {
				e, b = b[0], b[1:]
			}
			if s.live(e.sleeper) {
				out = append(out, e)
			}
		}
		sl.spare, sl.turns, sl.fresh = sl.turns[:0], out, sl.fresh[:0]
	}
	s.fileSleepers()
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
		if sl.n[l] > 0 || len(sl.buckets[l]) > 0 {
			keep = append(keep, l)
		} else {
			sl.known[l] = false // lines without sleepers or buckets drop out
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
