package glpk

import (
	"math"
	"slices"
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

// A basic solution's statuses are its basis, by the model's indices; the
// start file gives each nonbasic row and column the status its bounds
// allow, in glpsol's numbering (columns as the LP file first meets them).
func TestBasisAndStart(t *testing.T) {
	var m lp.Model
	c := m.AddVar("c", 1, 5, 0) // no cost: met after a and b in the LP file
	a := m.AddVar("a", 0, 4, -3)
	b := m.AddVar("b", math.Inf(-1), math.Inf(1), -1)
	f := m.AddVar("f", 2, 2, 1)
	m.AddRow("sum", lp.EQ, 10, lp.Term{Var: a, Coef: 1}, lp.Term{Var: b, Coef: 1})
	m.AddRow("cap", lp.GE, 2, lp.Term{Var: b, Coef: 1}, lp.Term{Var: c, Coef: 1}, lp.Term{Var: f, Coef: 1})
	m.AddRow("top", lp.LE, 20, lp.Term{Var: a, Coef: 1}, lp.Term{Var: c, Coef: 1})
	if got := lp.LPOrder(&m); !slices.Equal(got, []int{a, b, f, c}) {
		t.Fatalf("LP order %v", got)
	}
	file := "s bas 3 4 f f -17\ni 1 s 10 -1\ni 2 b 7 0\ni 3 b 5 0\nj 1 u 4 -2\nj 2 b 6 0\nj 3 s 2 0\nj 4 l 1 1\ne o f\n"
	sol, err := parse(strings.NewReader(file), &m, []int{0, 1, 2}, []int{a, b, f, c}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := &lp.Basis{Vars: make([]lp.BasisStatus, 4), Rows: []lp.BasisStatus{lp.AtLower, lp.Basic, lp.Basic}}
	want.Vars[a], want.Vars[b], want.Vars[f], want.Vars[c] = lp.AtUpper, lp.Basic, lp.AtLower, lp.AtLower
	if sol.Basis == nil || !slices.Equal(sol.Basis.Vars, want.Vars) || !slices.Equal(sol.Basis.Rows, want.Rows) {
		t.Fatalf("basis %+v, want %+v", sol.Basis, want)
	}
	var w strings.Builder
	if err := formatStart(&w, &m, sol.Basis); err != nil {
		t.Fatal(err)
	}
	if wantFile := "s bas 3 4 u u 0\ni 1 s 0 0\ni 2 b 0 0\ni 3 b 0 0\nj 1 u 0 0\nj 2 b 0 0\nj 3 s 0 0\nj 4 l 0 0\ne o f\n"; w.String() != wantFile {
		t.Errorf("start file\n%s\nwant\n%s", w.String(), wantFile)
	}
	// A row or column missing from the file: no basis.
	short := "s bas 3 4 f f -17\ni 1 s 10 -1\ni 2 b 7 0\nj 1 u 4 -2\nj 2 b 6 0\nj 3 s 2 0\nj 4 l 1 1\ne o f\n"
	if sol, err := parse(strings.NewReader(short), &m, []int{0, 1, 2}, []int{a, b, f, c}, ""); err != nil || sol.Basis != nil {
		t.Errorf("basis %+v, err %v: want none", sol.Basis, err)
	}
}
