package cbc_test

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/plan/lp"

	"github.com/gwf-project/gwf/plan/cbc"
	"github.com/gwf-project/gwf/plan/lp/lptest"
)

func TestCBC(t *testing.T) {
	s := cbc.Solver{}
	if !s.Available() {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	lptest.TestSolver(t, s)
}

func TestMissing(t *testing.T) {
	s := cbc.Solver{Path: "/nonexistent/cbc"}
	if s.Available() {
		t.Fatal("available")
	}
	if _, err := s.Solve(t.Context(), nil); err != cbc.ErrNotInstalled {
		t.Fatalf("err %v", err)
	}
}

func TestTimeout(t *testing.T) {
	// A stand-in for cbc that never answers.
	prog := filepath.Join(t.TempDir(), "cbc")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nexec sleep 10\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := cbc.Solver{Path: prog}
	s.Timeout = 50 * time.Millisecond
	_, err := s.Solve(t.Context(), &lp.Model{Vars: []lp.Var{{Name: "x", Hi: 1}}})
	if !errors.Is(err, lp.ErrTimedOut) {
		t.Fatalf("err %v, want a time-out", err)
	}
}

// A cbc that ignores its -sec and SIGINT (as cbc does in preprocessing)
// is killed about its time limit plus two graces later.
func TestTimeLimitEnforced(t *testing.T) {
	prog := filepath.Join(t.TempDir(), "cbc")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\ntrap '' INT\nsleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := cbc.Solver{Path: prog, TimeLimit: time.Second}
	t0 := time.Now()
	_, err := s.Solve(t.Context(), &lp.Model{Vars: []lp.Var{{Name: "x", Hi: 1, Integer: true}}})
	if !errors.Is(err, lp.ErrTimedOut) || !strings.Contains(err.Error(), "time limit of 1s") {
		t.Fatalf("err %v, want a time-out at the limit", err)
	}
	if took := time.Since(t0); took > 5*time.Second {
		t.Errorf("took %s, want about 1s + 2 × 1.1s", took)
	}
}

// A warm solve that goes wrong — here a cbc that fails on any -basisI,
// leaving no solution — is solved again from scratch, with the LP file.
func TestWarmStartFallback(t *testing.T) {
	real, err := exec.LookPath("cbc")
	if err != nil {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	prog := filepath.Join(dir, "cbc")
	script := "#!/bin/sh\necho \"$*\" >> " + calls + "\ncase \"$*\" in *-basisI*) echo 'Unable to read basis' >&2; exit 1;; esac\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(prog, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var m lp.Model
	x := m.AddVar("x", 0, math.Inf(1), 1)
	y := m.AddVar("y", 0, math.Inf(1), 2)
	m.AddRow("c1", lp.GE, 4, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: 1})
	m.AddRow("c2", lp.LE, 1, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: -1})
	start := &lp.Basis{Vars: []lp.BasisStatus{lp.Basic, lp.Basic}, Rows: []lp.BasisStatus{lp.AtLower, lp.AtUpper}}
	sol, err := cbc.Solver{Path: prog}.WithStart(start).Solve(t.Context(), &m)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != lp.Optimal || math.Abs(sol.Objective-5.5) > 1e-9 {
		t.Errorf("status %s, objective %g; want optimal, 5.5", sol.Status, sol.Objective)
	}
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "model.mps") || !strings.Contains(lines[0], "-basisI") ||
		!strings.Contains(lines[1], "model.lp") || strings.Contains(lines[1], "-basisI") {
		t.Errorf("cbc ran as\n%s\nwant a warm run on the MPS file, then a cold one on the LP file", b)
	}
}

// A start for a model of another size is no start: a cold solve.
func TestWarmStartOtherModel(t *testing.T) {
	s := cbc.Solver{}
	if !s.Available() {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	var m lp.Model
	x := m.AddVar("x", 0, 4, -3)
	m.AddRow("cap", lp.LE, 3, lp.Term{Var: x, Coef: 1})
	start := &lp.Basis{Vars: []lp.BasisStatus{lp.Basic, lp.AtLower}, Rows: []lp.BasisStatus{lp.Basic}}
	sol, err := s.WithStart(start).Solve(t.Context(), &m)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Objective != -9 {
		t.Errorf("objective %g, want -9", sol.Objective)
	}
}

// A prepared solver solves its model as the solver does, warm or cold,
// and any other model as the solver itself; a malformed model is refused
// when prepared.
func TestPrepare(t *testing.T) {
	s := cbc.Solver{}
	if !s.Available() {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	model := func(need float64) *lp.Model {
		var m lp.Model
		x := m.AddVar("x", 0, math.Inf(1), 1)
		y := m.AddVar("y", 0, math.Inf(1), 2)
		m.AddRow("c1", lp.GE, need, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: 1})
		m.AddRow("c2", lp.LE, 1, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: -1})
		return &m
	}
	base, other := model(4), model(6)
	sol, err := s.Solve(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Prepare(other)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		s    lp.Solver
		m    *lp.Model
		want float64
	}{
		"warm":          {p.(lp.WarmStart).WithStart(sol.Basis.Carry(base, other)), other, 8.5},
		"warm, brief":   {p.(lp.ObjectiveOnly).ObjectiveOnly().(lp.WarmStart).WithStart(sol.Basis), other, 8.5},
		"cold":          {p, other, 8.5},
		"another model": {p.(lp.WarmStart).WithStart(sol.Basis), base, 5.5},
	} {
		got, err := tc.s.Solve(t.Context(), tc.m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Status != lp.Optimal || math.Abs(got.Objective-tc.want) > 1e-9 {
			t.Errorf("%s: %s, objective %g; want optimal, %g", name, got.Status, got.Objective, tc.want)
		}
	}
	bad := &lp.Model{Vars: []lp.Var{{Name: "1x", Hi: 1}}}
	if _, err := s.Prepare(bad); err == nil {
		t.Error("a malformed model prepared")
	}
}

// The MPS file of a warm solve carries every kind of bound: a model with
// a free, a fixed, a negative-ranged and an upper-bounded-only variable,
// one in no row, a row that sums to nothing, solves warm to what it does
// cold.
func TestWarmSolveBounds(t *testing.T) {
	s := cbc.Solver{}
	if !s.Available() {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	var m lp.Model
	// Not named "free": cbc's LP reader takes that for the keyword and
	// renames every column (x0, x1, …), leaving the solution unmatched.
	free := m.AddVar("fr", math.Inf(-1), math.Inf(1), -1)
	fixed := m.AddVar("fixed", 2, 2, 1)
	neg := m.AddVar("neg", -5, -1, 1)
	up := m.AddVar("up", math.Inf(-1), 3, -1)
	m.AddVar("alone", 1, 4, 3) // in no row: at its lower bound, 3
	m.AddRow("sum", lp.EQ, 10, lp.Term{Var: free, Coef: 1}, lp.Term{Var: fixed, Coef: 1}, lp.Term{Var: neg, Coef: 1})
	m.AddRow("cap", lp.LE, 8, lp.Term{Var: free, Coef: 1}, lp.Term{Var: up, Coef: 1})
	m.AddRow("none", lp.GE, -1, lp.Term{Var: up, Coef: 1}, lp.Term{Var: up, Coef: -1})
	cold, err := s.Solve(t.Context(), &m)
	if err != nil {
		t.Fatal(err)
	}
	// free = 8 − neg (sum), up ≤ 8 − free = neg (cap): the objective
	// −free + 2 + neg − up + 3 is 2neg − up − 3 ≥ neg − 3, least at
	// neg = up = −5, free = 13: −8.
	if math.Abs(cold.Objective+8) > 1e-9 || math.Abs(cold.X[up]+5) > 1e-9 {
		t.Fatalf("cold objective %g, up %g; want -8, -5", cold.Objective, cold.X[up])
	}
	slack := &lp.Basis{Vars: make([]lp.BasisStatus, len(m.Vars)), Rows: []lp.BasisStatus{lp.Basic, lp.Basic, lp.Basic}}
	for name, start := range map[string]*lp.Basis{"its own basis": cold.Basis, "the slack basis": slack} {
		warm, err := s.WithStart(start).Solve(t.Context(), &m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if math.Abs(warm.Objective-cold.Objective) > 1e-9 || math.Abs(warm.X[up]-cold.X[up]) > 1e-9 {
			t.Errorf("from %s: objective %g, up %g; want %g, %g", name, warm.Objective, warm.X[up], cold.Objective, cold.X[up])
		}
	}
}
