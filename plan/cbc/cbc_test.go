package cbc_test

import (
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
	if err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err %v, want a deadline error", err)
	}
}
