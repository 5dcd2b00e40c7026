package highs

import (
	"strings"
	"testing"

	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/plan/lp/lptest"
)

func TestHiGHS(t *testing.T) {
	s := Solver{}
	if !s.Available() {
		t.Skip("highs not on PATH (not packaged for Debian: build it from https://github.com/ERGO-Code/HiGHS)")
	}
	lptest.TestSolver(t, s)
}

func TestMissing(t *testing.T) {
	s := Solver{Path: "/nonexistent/highs"}
	if _, err := s.Solve(t.Context(), nil); err != ErrNotInstalled {
		t.Fatalf("err %v", err)
	}
}

// The solution file HiGHS writes, for the suite's "two variables" program
// (min x + 2y, c1: x + y ≥ 4, c2: x − y ≤ 1), and a MIP's dual bound from
// its log.
func TestParse(t *testing.T) {
	file := `Model status
Optimal

# Primal solution values
Feasible
Objective 5.5
# Columns 2
y 1.5
x 2.5
# Rows 2
c1 4
c2 1

# Dual solution values
Feasible
# Columns 2
x 0
y 0
# Rows 2
c1 1.5
c2 -0.5

# Basis
HiGHS v1
Valid
`
	var m lp.Model
	x := m.AddVar("x", 0, 10, 1)
	y := m.AddVar("y", 0, 10, 2)
	m.AddRow("c1", lp.GE, 4, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: 1})
	m.AddRow("c2", lp.LE, 1, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: -1})
	sol, err := parse(strings.NewReader(file), &m, "")
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != lp.Optimal || sol.Objective != 5.5 || sol.X[x] != 2.5 || sol.X[y] != 1.5 || sol.Duals[0] != 1.5 || sol.Duals[1] != -0.5 || sol.Gap != 0 {
		t.Errorf("got %+v", sol)
	}
	stopped := strings.Replace(file, "Optimal\n", "Time limit reached\n", 1)
	sol, err = parse(strings.NewReader(stopped), &m, "Solving report\n  Status            Time limit reached\n  Primal bound      5.5\n  Dual bound        5\n")
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != lp.Stopped || sol.Bound != 5 || sol.Gap != 0.5/5.5 {
		t.Errorf("stopped: got status %s bound %g gap %g", sol.Status, sol.Bound, sol.Gap)
	}
	inf := "Model status\nInfeasible\n\n# Primal solution values\nNone\n"
	if sol, err := parse(strings.NewReader(inf), &m, ""); err == nil || sol.Status != lp.Infeasible {
		t.Errorf("infeasible: %v, %v", sol, err)
	}
}
