package cbc_test

import (
	"errors"
	"os"
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
