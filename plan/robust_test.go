package plan_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/plan/lp"
)

// fakeSolver answers from a script of calls: the status (and error) of
// each, in order; calls past the script repeat its last entry. An
// "optimal" answer has every variable at 0 and the objective 1,000. It
// can be asked to solve without presolve (lp.PresolveOff).
type fakeSolver struct {
	script     []fakeAnswer
	calls      *[]string // "presolve" or "no presolve", per call
	noPresolve bool
}

type fakeAnswer struct {
	status lp.Status
	err    error
}

func (f fakeSolver) String() string { return "fake" }

func (f fakeSolver) WithoutPresolve() (lp.Solver, string) {
	f.noPresolve = true
	return f, "-nopresolve"
}

func (f fakeSolver) Solve(_ context.Context, m *lp.Model) (*lp.Solution, error) {
	n := len(*f.calls)
	how := "presolve"
	if f.noPresolve {
		how = "no presolve"
	}
	*f.calls = append(*f.calls, how)
	a := f.script[min(n, len(f.script)-1)]
	if a.err != nil {
		return nil, a.err
	}
	sol := &lp.Solution{Status: a.status, Objective: 1000, X: make([]float64, len(m.Vars)),
		Duals: make([]float64, len(m.Rows)), ReducedCost: make([]float64, len(m.Vars))}
	sol.SetBound(sol.Objective)
	if a.status != lp.Optimal {
		return sol, fmt.Errorf("fake: %s", a.status)
	}
	return sol, nil
}

// A re-solve that fails (here: times out) is reported in its lead-time
// value, and the main plan, solved on the first call, stands.
func TestLeadTimeResolveFailureKeepsPlan(t *testing.T) {
	var calls []string
	s := fakeSolver{calls: &calls, script: []fakeAnswer{
		{lp.Optimal, nil},
		{"", fmt.Errorf("fake: %w: no answer within the time limit of 5s", lp.ErrTimedOut)},
	}}
	m := handModel(10)
	pl, err := plan.Solve(t.Context(), m, weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	vals, _, err := plan.ValueLeadTimes(t.Context(), m, weekly, s, pl)
	if err != nil {
		t.Fatalf("err %v: a failed re-solve must not be an error", err)
	}
	// The re-solve timed out with no solution, so it was tried once more
	// without presolve (and timed out again).
	if strings.Join(calls, ",") != "presolve,presolve,no presolve" {
		t.Errorf("solves %v, want the main one, the re-solve and its retry without presolve", calls)
	}
	if pl.ObjectiveUSD != 1000 || len(pl.Periods) != 20 {
		t.Errorf("main plan changed: objective %g, %d periods", pl.ObjectiveUSD, len(pl.Periods))
	}
	if len(vals) != 1 {
		t.Fatalf("values %+v, want one", vals)
	}
	v := vals[0]
	if v.Line != "widget" || v.SavesUSD != 0 || !strings.Contains(v.Error, "timed out") ||
		!strings.Contains(v.Text, "one week less of widget lead time: not valued, the re-solve timed out") {
		t.Errorf("value %+v, want the time-out reported", v)
	}
}

// "Infeasible" from a solver, on a model feasible by construction, is
// retried once without presolve; the retry's answer is the plan.
func TestInfeasibleRetriedWithoutPresolve(t *testing.T) {
	var calls []string
	s := fakeSolver{calls: &calls, script: []fakeAnswer{{lp.Infeasible, nil}, {lp.Optimal, nil}}}
	pl, err := plan.Solve(t.Context(), handModel(10), weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(calls, ",") != "presolve,no presolve" || pl.ObjectiveUSD != 1000 {
		t.Errorf("calls %v, objective %g: want a retry without presolve that solves", calls, pl.ObjectiveUSD)
	}
}

// A solve stopped at its time limit with no solution at all (cbc in its
// preprocessing) is retried without presolve too.
func TestTimedOutRetriedWithoutPresolve(t *testing.T) {
	var calls []string
	s := fakeSolver{calls: &calls, script: []fakeAnswer{{"", fmt.Errorf("fake: %w", lp.ErrTimedOut)}, {lp.Optimal, nil}}}
	if _, err := plan.Solve(t.Context(), handModel(10), weekly, s); err != nil {
		t.Fatal(err)
	}
	if strings.Join(calls, ",") != "presolve,no presolve" {
		t.Errorf("calls %v", calls)
	}
}

// Infeasible both times: a clear error naming the solver and both tries.
func TestInfeasibleTwiceIsAnError(t *testing.T) {
	var calls []string
	s := fakeSolver{calls: &calls, script: []fakeAnswer{{lp.Infeasible, nil}}}
	_, err := plan.Solve(t.Context(), handModel(10), weekly, s)
	if !errors.Is(err, plan.ErrSolverInfeasible) {
		t.Fatalf("err %v, want ErrSolverInfeasible", err)
	}
	for _, want := range []string{"fake: ", "with its defaults (fake: infeasible)", "without presolve and preprocessing (-nopresolve: fake: infeasible)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if len(calls) != 2 {
		t.Errorf("%d calls, want 2", len(calls))
	}
}

// A solver that cannot turn presolve off is not retried, and says so.
func TestInfeasibleNoRetry(t *testing.T) {
	var calls []string
	s := struct{ lp.Solver }{fakeSolver{calls: &calls, script: []fakeAnswer{{lp.Infeasible, nil}}}}
	_, err := plan.Solve(t.Context(), handModel(10), weekly, s)
	if !errors.Is(err, plan.ErrSolverInfeasible) || !strings.Contains(err.Error(), "nothing else was tried") || len(calls) != 1 {
		t.Errorf("err %v after %d calls", err, len(calls))
	}
}

// When the main solve needed the retry without presolve, the lead-time
// re-solves of the same model start without presolve instead of failing
// the same way first.
func TestRetryCarriesToResolves(t *testing.T) {
	var calls []string
	s := fakeSolver{calls: &calls, script: []fakeAnswer{{lp.Infeasible, nil}, {lp.Optimal, nil}}}
	m := handModel(10)
	pl, err := plan.Solve(t.Context(), m, weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := plan.ValueLeadTimes(t.Context(), m, weekly, s, pl); err != nil {
		t.Fatal(err)
	}
	if strings.Join(calls, ",") != "presolve,no presolve,no presolve" {
		t.Errorf("solves %v, want the main one, its retry, then the re-solve without presolve", calls)
	}
}

// mipTimesOut solves LPs with its solver and times out, with no solution,
// on any model with integer variables: a MIP solver that finds no whole
// plan within its limit.
type mipTimesOut struct {
	lp.Solver
	mips *int
}

func (s mipTimesOut) Solve(ctx context.Context, m *lp.Model) (*lp.Solution, error) {
	if m.HasInteger() {
		*s.mips++
		return nil, fmt.Errorf("fake: %w: no solution within the time limit", lp.ErrTimedOut)
	}
	return s.Solver.Solve(ctx, m)
}

// A MIP whose solver finds no whole plan in time still gets one: the LP
// relaxation rounded. On TestHandMIPWholeProjects's model the relaxation
// meets 10 MW a week from week 5 (short 50 MW); rounding it down gives
// three 3 MW projects a week (rounding cumulatively would put a fourth in
// some weeks, which 10 widgets a week cannot supply), short 5 × 10 + 15 ×
// 1 = 65 MW: here the MIP's own optimum. The plan says it was rounded and
// its gap is measured from the relaxation's objective, in dollars.
func TestMIPTimedOutRoundsTheRelaxation(t *testing.T) {
	m := handModel(10)
	m.SizeMW = 3
	opt := weekly
	opt.Integer = true
	mips := 0
	pl, err := plan.Solve(t.Context(), m, opt, mipTimesOut{solver(t), &mips})
	if err != nil {
		t.Fatal(err)
	}
	if mips != 1 || !pl.Rounded || !pl.Stopped {
		t.Fatalf("MIP solves %d, rounded %v, stopped %v: want one MIP solve, then the rounded relaxation", mips, pl.Rounded, pl.Stopped)
	}
	near(t, "shortfall", pl.ShortfallMW, 65)
	near(t, "relaxation's objective", pl.RelaxationUSD, 50*1e6+15*10*100)
	near(t, "gap in dollars", pl.GapUSD, pl.ObjectiveUSD-pl.RelaxationUSD)
	near(t, "gap: 15 MW of penalty less 15 widgets", pl.GapUSD, 15*1e6-15*100)
	for _, p := range pl.Periods {
		if r := math.Mod(p.OnlineMW+1e-9, 3); r > 1e-6 {
			t.Errorf("week %s: %g MW online, not whole 3 MW projects", p.Label, p.OnlineMW)
		}
	}
}
