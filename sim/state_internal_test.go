package sim

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/gwf-project/gwf/scenario"
)

// merge interleaves two sorted lists of distinct project indices into one
// sorted list holding both.
func TestMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var a, b []int32
		for i := range int32(r.IntN(60)) {
			switch r.IntN(3) {
			case 0:
				a = append(a, i)
			case 1:
				b = append(b, i)
			}
		}
		got := merge(nil, a, b)
		want := slices.Sorted(slices.Values(append(slices.Clone(a), b...)))
		if !slices.Equal(got, want) {
			t.Fatalf("merge(%v, %v) = %v, want %v", a, b, got, want)
		}
	}
}

// sortSmall sorts short lists by insertion and long ones otherwise.
func TestSortSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		xs := make([]int32, r.IntN(80))
		for i := range xs {
			xs[i] = int32(r.IntN(1000))
		}
		want := slices.Sorted(slices.Values(xs))
		sortSmall(xs)
		if !slices.Equal(xs, want) {
			t.Fatalf("got %v, want %v", xs, want)
		}
	}
}

// A new project's plan comes from the run's cache by power sources: the
// same, shifted to its start week, as a plan worked out afresh.
func TestPlanCacheIsAFreshPlan(t *testing.T) {
	m := referenceModel(t, 0)
	s := newState(m)
	power := make([]float64, len(m.PowerLines))
	power[0] = m.SizeMW * m.PUE
	plan := func(week int, fresh bool) ([]int32, int) {
		s.week = week
		if fresh {
			s.shape.plans = s.shape.plans[:0]
		}
		p := s.newProject(m.SizeMW, week)
		copy(p.power, power)
		finish, _ := s.planProject(p, nil)
		var starts []int32
		for _, st := range p.stages {
			starts = append(starts, st.notBefore)
		}
		return starts, finish
	}
	plan(3, true) // the cache's entry, made in week 3
	for _, week := range []int{40, 200} {
		cached, cachedFinish := plan(week, false) // from an entry made in an earlier week
		fresh, freshFinish := plan(week, true)
		if !slices.Equal(cached, fresh) || cachedFinish != freshFinish {
			t.Fatalf("week %d: cached plan %v (finish %d), fresh %v (finish %d)", week, cached, cachedFinish, fresh, freshFinish)
		}
		if fresh[0] < int32(week) {
			t.Fatalf("week %d: a stage planned before the start: %v", week, fresh)
		}
	}
	if n := len(s.shape.plans); n != 1 {
		t.Errorf("one set of power sources made %d cache entries", n)
	}
	// Another set of sources gets its own entry.
	power[0], power[len(power)-1] = 0, m.SizeMW*m.PUE
	plan(10, false)
	if n := len(s.shape.plans); n != 2 {
		t.Errorf("two sets of power sources made %d cache entries", n)
	}
}

// A visit reads a project's first cache line only, and projects carved
// from a page-aligned block start on a line: the layout project's comment
// promises, kept by this test when fields are added.
func TestProjectLayout(t *testing.T) {
	if n := unsafe.Sizeof(project{}); n%64 != 0 {
		t.Errorf("project is %d bytes, want a multiple of 64", n)
	}
	if end := unsafe.Offsetof(project{}.sleptAt) + unsafe.Sizeof(project{}.sleptAt); end > 64 {
		t.Errorf("a visit's fields end at byte %d, want within the first 64", end)
	}
	if n := unsafe.Sizeof(stageState{}); n > 40 {
		t.Errorf("stageState is %d bytes, want at most 40", n)
	}
}

// corrupt is a policy that starts a project a week and, in week at, books
// 1 MW started that no project holds.
type corrupt struct{ at int }

func (c corrupt) Decide(s *State) {
	s.StartProject(append([]float64{s.m.SizeMW * s.m.PUE}, make([]float64, len(s.m.PowerLines)-1)...))
	if s.week == c.at {
		s.startedMW++
	}
}

// A pipeline that no longer adds up is caught, however early it broke and
// whatever the run records: the recount at the end finds it.
func TestPipelineBreakCaught(t *testing.T) {
	m := referenceModel(t, 60)
	for _, o := range []Options{{}, {WeeksOnly: true}} {
		for _, at := range []int{-1, 3, 59} {
			r := RunWith(m, corrupt{at: at}, o)
			caught := slices.ContainsFunc(r.Invariants, func(s string) bool { return strings.Contains(s, "MW started") })
			if caught != (at >= 0) {
				t.Errorf("weeks only %v, broken in week %d: caught %v (invariants %q)", o.WeeksOnly, at, caught, r.Invariants)
			}
		}
	}
}

// referenceModel compiles the reference, over weeks weeks when weeks > 0.
func referenceModel(t *testing.T, weeks float64) *Model {
	t.Helper()
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	if weeks > 0 {
		sc.Horizon.V = weeks
	}
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
