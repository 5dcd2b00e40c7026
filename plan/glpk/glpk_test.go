package glpk_test

import (
	"math"
	"testing"

	"github.com/gwf-project/gwf/plan/glpk"
	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/plan/lp/lptest"
)

func TestGLPK(t *testing.T) {
	s := glpk.Solver{}
	if !s.Available() {
		t.Skip("glpsol not installed (apt-get install glpk-utils)")
	}
	lptest.TestSolver(t, s)
}

func TestGLPKWithoutPresolve(t *testing.T) {
	s := glpk.Solver{}
	if !s.Available() {
		t.Skip("glpsol not installed (apt-get install glpk-utils)")
	}
	plain, what := s.WithoutPresolve()
	if what != "--nopresol --nointopt" {
		t.Errorf("what %q", what)
	}
	lptest.TestSolver(t, plain)
}

// A MIP's duals are those of the LP with its integers fixed: min x + 1.5y
// s.t. x + y ≥ 2.5, x integer ≤ 2: x = 2, y = 0.5, and with x fixed the
// row's dual is y's cost, 1.5.
func TestGLPKMIPDuals(t *testing.T) {
	s := glpk.Solver{}
	if !s.Available() {
		t.Skip("glpsol not installed (apt-get install glpk-utils)")
	}
	var m lp.Model
	x := m.AddVar("x", 0, 2, 1)
	m.Vars[x].Integer = true
	y := m.AddVar("y", 0, math.Inf(1), 1.5)
	m.AddRow("need", lp.GE, 2.5, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: 1})
	sol, err := s.Solve(t.Context(), &m)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != lp.Optimal || sol.X[x] != 2 || math.Abs(sol.X[y]-0.5) > 1e-9 || math.Abs(sol.Duals[0]-1.5) > 1e-9 || sol.Gap != 0 {
		t.Errorf("got %+v, want x 2, y 0.5, dual 1.5, gap 0", sol)
	}
}

func TestMissing(t *testing.T) {
	s := glpk.Solver{Path: "/nonexistent/glpsol"}
	if s.Available() {
		t.Fatal("available")
	}
	if _, err := s.Solve(t.Context(), nil); err != glpk.ErrNotInstalled {
		t.Fatalf("err %v", err)
	}
}
