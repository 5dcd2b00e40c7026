// Package lp is a solver-neutral linear (or mixed-integer) program: sparse
// rows over bounded variables, written once and handed to any Solver.
package lp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// Sense is how a row's activity compares with its right-hand side.
type Sense uint8

// Row senses.
const (
	LE Sense = iota // activity ≤ rhs
	GE              // activity ≥ rhs
	EQ              // activity = rhs
)

// Var is a decision variable: bounds, cost per unit in the objective
// (minimised), and whether it must take whole values.
type Var struct {
	Name    string
	Lo, Hi  float64 // Hi may be +Inf
	Cost    float64
	Integer bool
}

// Term is one non-zero coefficient of a row.
type Term struct {
	Var  int
	Coef float64
}

// Row is a sparse linear constraint.
type Row struct {
	Name  string
	Terms []Term
	Sense Sense
	RHS   float64
}

// Model is a minimisation problem. Names must be unique, ASCII, without
// spaces, and at most 255 bytes.
type Model struct {
	Vars []Var
	Rows []Row
}

// AddVar appends a variable and returns its index.
func (m *Model) AddVar(name string, lo, hi, cost float64) int {
	m.Vars = append(m.Vars, Var{Name: name, Lo: lo, Hi: hi, Cost: cost})
	return len(m.Vars) - 1
}

// AddRow appends a row and returns its index.
func (m *Model) AddRow(name string, sense Sense, rhs float64, terms ...Term) int {
	m.Rows = append(m.Rows, Row{Name: name, Terms: terms, Sense: sense, RHS: rhs})
	return len(m.Rows) - 1
}

// NonZeros is the number of distinct non-zero row coefficients: a
// variable named twice in a row counts once (its coefficients summed, as
// WriteLP writes it), and one whose coefficients sum to zero not at all.
func (m *Model) NonZeros() int {
	n := 0
	var mg merger
	for _, r := range m.Rows {
		n += len(mg.merge(r.Terms, len(m.Vars)))
	}
	return n
}

// merger sums the coefficients of a variable named more than once in a
// row, keeping the order of first appearance, and drops terms that sum to
// zero.
type merger struct {
	pos    []int // 1 + index in out of a variable in the current row
	out    []Term
	nzeros []Term
}

// merge returns the row's terms merged; the slice is reused by the next
// call.
func (mg *merger) merge(terms []Term, nvars int) []Term {
	if len(mg.pos) < nvars {
		mg.pos = make([]int, nvars)
	}
	mg.out = mg.out[:0]
	for _, t := range terms {
		if i := mg.pos[t.Var]; i > 0 {
			mg.out[i-1].Coef += t.Coef
			continue
		}
		mg.out = append(mg.out, t)
		mg.pos[t.Var] = len(mg.out)
	}
	mg.nzeros = mg.nzeros[:0]
	for _, t := range mg.out {
		mg.pos[t.Var] = 0
		if t.Coef != 0 {
			mg.nzeros = append(mg.nzeros, t)
		}
	}
	return mg.nzeros
}

// Status of a solve.
type Status string

// Statuses a Solver reports.
const (
	Optimal    Status = "optimal"
	Infeasible Status = "infeasible"
	Unbounded  Status = "unbounded"
	Stopped    Status = "stopped" // a time or iteration limit
)

// Solution is a solver's answer: values of the variables, and for an LP the
// duals of the rows (the change in the objective per unit increase of the
// row's right-hand side) and reduced costs of the variables.
type Solution struct {
	Status      Status
	Objective   float64
	X           []float64
	Duals       []float64
	ReducedCost []float64
	// Bound is the best bound on the optimum the solver proved (a lower
	// bound: the model is minimised): the objective itself for an LP or a
	// proven optimum, less when a time limit stopped a MIP's search.
	Bound float64
	// Gap is the relative optimality gap, RelativeGap(Objective, Bound):
	// 0 for an LP or a proven optimum.
	Gap float64
	// Basis is the optimal basis of an LP, for solvers that report one
	// (nil otherwise, and for a MIP): a WarmStart for a like model.
	Basis *Basis
}

// RelativeGap is |objective − bound| / |objective| (the bound itself when
// the objective is 0), computed from the two numbers rather than read
// from a solver's rounded log line.
func RelativeGap(objective, bound float64) float64 {
	d := math.Abs(objective - bound)
	if d == 0 {
		return 0
	}
	return d / math.Max(math.Abs(objective), 1e-12)
}

// SetBound records the solver's best bound and the gap it leaves; a bound
// above the objective (solver rounding) is taken as the objective.
func (s *Solution) SetBound(bound float64) {
	if math.IsNaN(bound) || bound > s.Objective {
		bound = s.Objective
	}
	s.Bound, s.Gap = bound, RelativeGap(s.Objective, bound)
}

// Solver solves a Model.
type Solver interface {
	Solve(ctx context.Context, m *Model) (*Solution, error)
}

// TimeLimited is implemented by a Solver with a time limit: TimeLimitOf
// returns it (0: none), and WithTimeLimit a copy of the solver with
// another.
type TimeLimited interface {
	TimeLimitOf() time.Duration
	WithTimeLimit(d time.Duration) Solver
}

// Relaxed returns a copy of m with every variable continuous (its LP
// relaxation). The rows are shared: change only the copy's variables.
func (m *Model) Relaxed() *Model {
	r := &Model{Vars: slices.Clone(m.Vars), Rows: m.Rows}
	for i := range r.Vars {
		r.Vars[i].Integer = false
	}
	return r
}

// HasInteger reports whether any of m's variables is integer.
func (m *Model) HasInteger() bool {
	return slices.ContainsFunc(m.Vars, func(v Var) bool { return v.Integer })
}

// ErrTimedOut is returned (wrapped) by a Solver that passed its time limit
// without an answer and was stopped.
var ErrTimedOut = errors.New("timed out")

// PresolveOff is implemented by a Solver that can solve without its
// presolve and preprocessing. WithoutPresolve returns such a copy of the
// solver and names what it turned off ("-presolve off -preprocess off"),
// for messages.
type PresolveOff interface {
	WithoutPresolve() (Solver, string)
}

// Check reports the first malformed part of m: a bad name, bound or number.
func (m *Model) Check() error {
	seen := make(map[string]bool, len(m.Vars)+len(m.Rows))
	name := func(kind, n string) error {
		if n == "" || len(n) > 255 {
			return fmt.Errorf("lp: %s name %q: want 1 to 255 bytes", kind, n)
		}
		for i := 0; i < len(n); i++ {
			c := n[i]
			if c <= ' ' || c > '~' || c == ':' || c == '+' || c == '-' || c == '*' || c == '<' || c == '>' || c == '=' {
				if !(c == '-' && i > 0) {
					return fmt.Errorf("lp: %s name %q: character %q not allowed", kind, n, c)
				}
			}
		}
		if c := n[0]; c >= '0' && c <= '9' || c == '.' {
			return fmt.Errorf("lp: %s name %q must not start with a digit or '.'", kind, n)
		}
		if seen[n] {
			return fmt.Errorf("lp: name %q used twice", n)
		}
		seen[n] = true
		return nil
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for _, v := range m.Vars {
		if err := name("variable", v.Name); err != nil {
			return err
		}
		if !finite(v.Cost) || math.IsNaN(v.Lo) || math.IsNaN(v.Hi) || v.Lo > v.Hi {
			return fmt.Errorf("lp: variable %s: bad bounds or cost (lo %g, hi %g, cost %g)", v.Name, v.Lo, v.Hi, v.Cost)
		}
	}
	for _, r := range m.Rows {
		if err := name("row", r.Name); err != nil {
			return err
		}
		if !finite(r.RHS) {
			return fmt.Errorf("lp: row %s: rhs %g", r.Name, r.RHS)
		}
		for _, t := range r.Terms {
			if t.Var < 0 || t.Var >= len(m.Vars) || !finite(t.Coef) {
				return fmt.Errorf("lp: row %s: bad term (var %d, coef %g)", r.Name, t.Var, t.Coef)
			}
		}
	}
	return nil
}

// WriteLP writes m in CPLEX LP format, one term per line (so no line is
// long). Call Check first.
func WriteLP(w io.Writer, m *Model) error {
	b := newTextWriter(w)
	term := func(c float64, v int) {
		if c >= 0 {
			b.str(" + ")
		} else {
			b.str(" - ")
			c = -c
		}
		b.number(c)
		b.str(" ")
		b.str(m.Vars[v].Name)
		b.str("\n")
	}
	b.str("Minimize\n obj:\n")
	any := false
	for i, v := range m.Vars {
		if v.Cost != 0 {
			term(v.Cost, i)
			any = true
		}
	}
	if !any && len(m.Vars) > 0 {
		term(0, 0)
	}
	b.str("Subject To\n")
	// A variable named twice in a row is written once, coefficients
	// summed; one whose coefficients sum to zero is left out.
	var mg merger
	for _, r := range m.Rows {
		b.str(" ")
		b.str(r.Name)
		b.str(":\n")
		merged := mg.merge(r.Terms, len(m.Vars))
		if len(merged) == 0 && len(m.Vars) > 0 {
			term(0, 0)
		}
		for _, t := range merged {
			term(t.Coef, t.Var)
		}
		switch r.Sense {
		case LE:
			b.str(" <= ")
		case GE:
			b.str(" >= ")
		default:
			b.str(" = ")
		}
		b.number(r.RHS)
		b.str("\n")
	}
	b.str("Bounds\n")
	bound := func(v float64, inf string) {
		if math.IsInf(v, 1) && inf == "+inf" || math.IsInf(v, -1) && inf == "-inf" {
			b.str(inf)
		} else {
			b.number(v)
		}
	}
	for _, v := range m.Vars {
		b.str(" ")
		if v.Lo == v.Hi {
			b.str(v.Name)
			b.str(" = ")
			bound(v.Lo, "-inf")
			b.str("\n")
			continue
		}
		bound(v.Lo, "-inf")
		b.str(" <= ")
		b.str(v.Name)
		b.str(" <= ")
		bound(v.Hi, "+inf")
		b.str("\n")
	}
	var ints []string
	for _, v := range m.Vars {
		if v.Integer {
			ints = append(ints, v.Name)
		}
	}
	if len(ints) > 0 {
		b.str("Generals\n")
		for _, n := range ints {
			b.str(" ")
			b.str(n)
			b.str("\n")
		}
	}
	b.str("End\n")
	return b.flush()
}
