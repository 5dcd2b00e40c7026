package plan_test

import (
	"context"
	"io"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/plan/lp"
)

// recordingSolver wraps a solver that reports bases and records how each
// solve was asked for: cold or from a start (and of what size), whole
// solution or objective only.
type recordingSolver struct {
	lp.Solver
	mu    *sync.Mutex
	log   *[]string
	start *lp.Basis
	brief bool
}

func (r recordingSolver) WithStart(b *lp.Basis) lp.Solver { r.start = b; return r }
func (r recordingSolver) ObjectiveOnly() lp.Solver        { r.brief = true; return r }

func (r recordingSolver) Solve(ctx context.Context, m *lp.Model) (*lp.Solution, error) {
	how := "cold"
	if r.start != nil {
		how = "warm"
		if len(r.start.Vars) != len(m.Vars) || len(r.start.Rows) != len(m.Rows) {
			how = "warm from a basis of another size"
		}
	}
	if r.brief {
		how += ", objective only"
	}
	r.mu.Lock()
	*r.log = append(*r.log, how)
	r.mu.Unlock()
	s := r.Solver
	if ws, ok := s.(lp.WarmStart); ok && r.start != nil {
		s = ws.WithStart(r.start)
	}
	if oo, ok := s.(lp.ObjectiveOnly); ok && r.brief {
		s = oo.ObjectiveOnly()
	}
	return s.Solve(ctx, m)
}

// The main plan is solved cold and whole; each lead-time re-solve starts
// from its optimal basis, carried to the re-solve's model, and asks for
// the objective only.
func TestLeadTimesWarmStart(t *testing.T) {
	var (
		mu  sync.Mutex
		log []string
	)
	s := recordingSolver{Solver: solver(t), mu: &mu, log: &log}
	m := handModel(10)
	pl, err := plan.Solve(t.Context(), m, weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := plan.ValueLeadTimes(t.Context(), m, weekly, s, pl); err != nil {
		t.Fatal(err)
	}
	want := []string{"cold"}
	for range plan.LeadTimeCandidates(m, plan.Week) {
		want = append(want, "warm, objective only")
	}
	if !slices.Equal(log, want) {
		t.Errorf("solves %q, want %q", log, want)
	}
}

// coldSolver hides a solver's warm starts and brief solutions.
type coldSolver struct{ lp.Solver }

// Warm-started re-solves find what cold ones do, the objectives within
// rounding (cbc reads the warm re-solves' MPS file, whose numbers its
// reader can round otherwise in the last bit): the reference, monthly,
// built ahead while the main plan solves (StartLeadTimes).
func TestLeadTimesWarmMatchesCold(t *testing.T) {
	s := solver(t)
	if _, ok := s.(lp.WarmStart); !ok {
		t.Skip("the solver takes no start")
	}
	m := reference(t)
	opt := plan.Options{Period: plan.Month}
	ahead := plan.StartLeadTimes(t.Context(), m, opt, s)
	pl, err := plan.Solve(t.Context(), m, opt, s)
	if err != nil {
		t.Fatal(err)
	}
	warm, _, err := ahead.Value(t.Context(), pl)
	if err != nil {
		t.Fatal(err)
	}
	cold, _, err := plan.ValueLeadTimes(t.Context(), m, opt, coldSolver{s}, pl)
	if err != nil {
		t.Fatal(err)
	}
	if len(warm) != len(cold) || len(warm) == 0 {
		t.Fatalf("%d values warm, %d cold", len(warm), len(cold))
	}
	byLine := map[string]plan.LeadTimeValue{}
	for _, v := range cold {
		byLine[v.Line] = v
	}
	for _, w := range warm {
		c, ok := byLine[w.Line]
		if !ok || w.Error != "" || c.Error != "" {
			t.Fatalf("%s: warm %+v, cold %+v", w.Line, w, c)
		}
		if d := math.Abs(w.SavesUSD - c.SavesUSD); d > 1e-12*pl.ObjectiveUSD {
			t.Errorf("%s saves %.2f warm, %.2f cold", w.Line, w.SavesUSD, c.SavesUSD)
		}
	}
}

// BenchmarkPlanWeeklyWithLeadTimes is `gwf plan --period week` on the
// reference: the re-solves built while the main plan solves, then
// solved from its basis.
func BenchmarkPlanWeeklyWithLeadTimes(b *testing.B) {
	s := solver(b)
	m := reference(b)
	opt := plan.Options{Period: plan.Week}
	var solve, lead float64
	for b.Loop() {
		ahead := plan.StartLeadTimes(b.Context(), m, opt, s)
		pl, err := plan.Solve(b.Context(), m, opt, s)
		if err != nil {
			b.Fatal(err)
		}
		_, took, err := ahead.Value(b.Context(), pl)
		if err != nil {
			b.Fatal(err)
		}
		solve += pl.Stats.SolveSeconds
		lead += took.Seconds()
	}
	b.ReportMetric(solve/float64(b.N)*1e3, "solve-ms/op")
	b.ReportMetric(lead/float64(b.N)*1e3, "leadtimes-ms/op")
}

// BenchmarkWriteModel writes the weekly reference's model as the cbc
// adapter does: the LP file (cold solves), the MPS file (warm re-solves).
func BenchmarkWriteModel(b *testing.B) {
	pr, err := plan.Build(reference(b), plan.Options{Period: plan.Week})
	if err != nil {
		b.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer, *lp.Model) error{"lp": lp.WriteLP, "mps": lp.WriteMPS} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := write(io.Discard, pr.LP); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
