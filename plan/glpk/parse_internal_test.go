package glpk

import (
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/plan/lp"
)

// A MIP stopped at its time limit: the bound is the last progress line's,
// and the gap is computed from it.
func TestStoppedMIP(t *testing.T) {
	log := "+   100: mip =     not found yet >=              -inf        (1; 0)\n" +
		"+   200: >>>>>   1.225000000e+14 >=   1.220000000e+14   0.4% (5; 0)\n" +
		"+   300: mip =   1.225000000e+14 >=   1.222900000e+14   0.2% (9; 2)\n" +
		"TIME LIMIT EXCEEDED; SEARCH TERMINATED\n"
	file := "c Status: INTEGER NON-OPTIMAL\ns mip 1 2 f 122500000000000\ni 1 5\nj 1 3\nj 2 2\ne o f\n"
	var m lp.Model
	a := m.AddVar("a", 0, 10, 1)
	b := m.AddVar("b", 0, 10, 1)
	m.AddRow("r", lp.GE, 1, lp.Term{Var: a, Coef: 1}, lp.Term{Var: b, Coef: 1})
	// glpsol numbered b before a.
	sol, err := parse(strings.NewReader(file), &m, []int{0}, []int{b, a}, log)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != lp.Stopped || sol.X[a] != 2 || sol.X[b] != 3 {
		t.Fatalf("got %+v", sol)
	}
	if sol.Bound != 1.2229e14 || math.Abs(sol.Gap-0.021e13/1.225e14) > 1e-12 {
		t.Errorf("bound %g gap %g, want 1.2229e14 and %g", sol.Bound, sol.Gap, 0.021e13/1.225e14)
	}
	// Stopped with no integer solution: an error, not a plan.
	noSol := "s mip 1 2 u 0\ne o f\n"
	if _, err := parse(strings.NewReader(noSol), &m, []int{0}, []int{b, a}, "TIME LIMIT EXCEEDED; SEARCH TERMINATED\n"); err == nil {
		t.Error("no error for a search stopped without a solution")
	}
}
