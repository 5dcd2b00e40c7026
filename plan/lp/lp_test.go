package lp

import (
	"math"
	"strings"
	"testing"
)

func TestWriteLP(t *testing.T) {
	var m Model
	x := m.AddVar("x", 0, math.Inf(1), 1)
	y := m.AddVar("y", 0, 3, 2)
	m.AddRow("c1", GE, 4, Term{x, 1}, Term{y, 1})
	m.AddRow("c2", LE, 1, Term{x, 1}, Term{y, -1})
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteLP(&b, &m); err != nil {
		t.Fatal(err)
	}
	want := "Minimize\n obj:\n + 1 x\n + 2 y\nSubject To\n c1:\n + 1 x\n + 1 y\n >= 4\n c2:\n + 1 x\n - 1 y\n <= 1\nBounds\n 0 <= x <= +inf\n 0 <= y <= 3\nEnd\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if m.NonZeros() != 4 {
		t.Errorf("non-zeros %d", m.NonZeros())
	}
}

func TestCheckRefuses(t *testing.T) {
	for _, n := range []string{"", "a b", "1x", "x:y", strings.Repeat("a", 256)} {
		m := Model{Vars: []Var{{Name: n}}}
		if m.Check() == nil {
			t.Errorf("name %q accepted", n)
		}
	}
	m := Model{Vars: []Var{{Name: "x"}, {Name: "x"}}}
	if m.Check() == nil {
		t.Error("duplicate accepted")
	}
}

// NonZeros counts distinct terms: a variable named twice in a row once,
// and one whose coefficients cancel not at all; WriteLP writes the same.
func TestNonZerosMerged(t *testing.T) {
	var m Model
	x := m.AddVar("x", 0, 1, 1)
	y := m.AddVar("y", 0, 1, 1)
	m.AddRow("a", LE, 1, Term{x, 1}, Term{y, 1}, Term{x, 2})
	m.AddRow("b", LE, 1, Term{x, 1}, Term{y, 1}, Term{y, -1})
	if got := m.NonZeros(); got != 3 {
		t.Errorf("non-zeros %d, want 3 (a: x, y; b: x)", got)
	}
	var b strings.Builder
	if err := WriteLP(&b, &m); err != nil {
		t.Fatal(err)
	}
	if want := " a:\n + 3 x\n + 1 y\n <= 1\n b:\n + 1 x\n <= 1\n"; !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant rows\n%s", b.String(), want)
	}
}
