// Package lptest is the shared test suite for lp.Solver implementations.
package lptest

import (
	"context"
	"math"
	"testing"

	"github.com/gwf-project/gwf/plan/lp"
)

// TestSolver is the shared test suite every Solver implementation runs
// (from its own package's tests): small programs whose answers are known by
// hand.
func TestSolver(t *testing.T, s lp.Solver) {
	t.Helper()
	near := func(t *testing.T, what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %g, want %g", what, got, want)
		}
	}
	t.Run("two variables", func(t *testing.T) {
		// min x + 2y  s.t.  c1: x + y ≥ 4,  c2: x − y ≤ 1.
		// Both bind: x = 2.5, y = 1.5, objective 5.5; duals solve
		// 1 = π1 + π2, 2 = π1 − π2: π1 = 1.5, π2 = −0.5.
		var m lp.Model
		x := m.AddVar("x", 0, math.Inf(1), 1)
		y := m.AddVar("y", 0, math.Inf(1), 2)
		m.AddRow("c1", lp.GE, 4, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: 1})
		m.AddRow("c2", lp.LE, 1, lp.Term{Var: x, Coef: 1}, lp.Term{Var: y, Coef: -1})
		sol, err := s.Solve(context.Background(), &m)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != lp.Optimal {
			t.Fatalf("status %s", sol.Status)
		}
		near(t, "objective", sol.Objective, 5.5)
		near(t, "x", sol.X[x], 2.5)
		near(t, "y", sol.X[y], 1.5)
		near(t, "dual c1", sol.Duals[0], 1.5)
		near(t, "dual c2", sol.Duals[1], -0.5)
	})
	t.Run("bounds and equality", func(t *testing.T) {
		// max 3a + b (min −3a − b) s.t. a + b = 10, a ≤ 4 (bound), b ≥ −inf.
		// a = 4, b = 6: objective −18; dual of the equality is −1.
		var m lp.Model
		a := m.AddVar("a", 0, 4, -3)
		b := m.AddVar("b", math.Inf(-1), math.Inf(1), -1)
		m.AddRow("sum", lp.EQ, 10, lp.Term{Var: a, Coef: 1}, lp.Term{Var: b, Coef: 1})
		sol, err := s.Solve(context.Background(), &m)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "objective", sol.Objective, -18)
		near(t, "a", sol.X[a], 4)
		near(t, "dual sum", sol.Duals[0], -1)
	})
	t.Run("integer", func(t *testing.T) {
		// min −x s.t. 2x ≤ 7, x integer: x = 3.
		var m lp.Model
		x := m.AddVar("x", 0, math.Inf(1), -1)
		m.Vars[x].Integer = true
		m.AddRow("cap", lp.LE, 7, lp.Term{Var: x, Coef: 2})
		sol, err := s.Solve(context.Background(), &m)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "x", sol.X[x], 3)
		if sol.Status != lp.Optimal || sol.Gap != 0 {
			t.Errorf("status %s, gap %g: want a proven optimum", sol.Status, sol.Gap)
		}
		near(t, "bound", sol.Bound, sol.Objective)
	})
	t.Run("order and duplicate terms", func(t *testing.T) {
		// Variables first named in an order other than the model's (z has
		// no cost and appears in the last row only), and a variable named
		// twice in a row (its coefficients summed): min 2u + 0.5v s.t.
		// r1: u + u + v ≥ 6 (2u + v ≥ 6), r2: v − z = 0, z ≤ 2 (a bound).
		// v is the cheaper way to meet r1 ($0.5 a unit against $1) but
		// v = z ≤ 2, so v = 2, u = 2, objective 5; a unit more of r1
		// costs half a u: r1's dual is 1.
		var m lp.Model
		z := m.AddVar("z", 0, 2, 0)
		u := m.AddVar("u", 0, math.Inf(1), 2)
		v := m.AddVar("v", 0, math.Inf(1), 0.5)
		m.AddRow("r1", lp.GE, 6, lp.Term{Var: u, Coef: 1}, lp.Term{Var: u, Coef: 1}, lp.Term{Var: v, Coef: 1})
		m.AddRow("r2", lp.EQ, 0, lp.Term{Var: v, Coef: 1}, lp.Term{Var: z, Coef: -1})
		if m.NonZeros() != 4 {
			t.Errorf("non-zeros %d, want 4 (u merged)", m.NonZeros())
		}
		sol, err := s.Solve(context.Background(), &m)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "objective", sol.Objective, 5)
		near(t, "z", sol.X[z], 2)
		near(t, "u", sol.X[u], 2)
		near(t, "v", sol.X[v], 2)
		near(t, "dual r1", sol.Duals[0], 1)
	})
	t.Run("warm start", func(t *testing.T) {
		if _, ok := s.(lp.WarmStart); !ok {
			t.Skip("the solver takes no start")
		}
		TestWarmStart(t, s)
	})
	t.Run("objective only", func(t *testing.T) {
		oo, ok := s.(lp.ObjectiveOnly)
		if !ok {
			t.Skip("the solver reports whole solutions only")
		}
		m := warmModel(5)
		sol, err := oo.ObjectiveOnly().Solve(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != lp.Optimal || sol.X != nil || sol.Duals != nil || sol.Basis != nil {
			t.Errorf("status %s, X %v, duals %v, basis %v: want optimal and the objective only", sol.Status, sol.X, sol.Duals, sol.Basis)
		}
		near(t, "objective", sol.Objective, warmOptimum(5))
	})
	t.Run("infeasible", func(t *testing.T) {
		var m lp.Model
		x := m.AddVar("x", 0, 1, 1)
		m.AddRow("need", lp.GE, 2, lp.Term{Var: x, Coef: 1})
		sol, err := s.Solve(context.Background(), &m)
		if err == nil && sol.Status == lp.Optimal {
			t.Fatalf("infeasible program solved: %+v", sol)
		}
	})
}

// warmModel is a small transport-like LP whose optimal basis moves with
// need: min Σ cost·x over four sources with capacities, Σ x ≥ need.
// Cheapest first: costs 1, 2, 3, 4 and capacities 3, 3, 3, 3.
func warmModel(need float64) *lp.Model {
	var m lp.Model
	var terms []lp.Term
	for i, name := range []string{"s1", "s2", "s3", "s4"} {
		v := m.AddVar(name, 0, math.Inf(1), float64(i+1))
		m.AddRow("cap_"+name, lp.LE, 3, lp.Term{Var: v, Coef: 1})
		terms = append(terms, lp.Term{Var: v, Coef: 1})
	}
	m.AddRow("need", lp.GE, need, terms...)
	return &m
}

// warmOptimum is warmModel(need)'s optimum (need at most 12).
func warmOptimum(need float64) float64 {
	total := 0.0
	for cost := 1.0; need > 0; cost++ {
		take := math.Min(3, need)
		total += cost * take
		need -= take
	}
	return total
}

// TestWarmStart checks a solver that implements lp.WarmStart: a solve
// reports its basis, a like model started from it (carried by name)
// solves to the optimum a cold solve finds, and so does one started from
// a basis that is no basis at all (every variable basic).
func TestWarmStart(t *testing.T, s lp.Solver) {
	t.Helper()
	ws := s.(lp.WarmStart)
	base := warmModel(5)
	sol, err := s.Solve(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Basis == nil {
		t.Fatal("no basis reported")
	}
	if n := len(sol.Basis.Vars); n != len(base.Vars) || len(sol.Basis.Rows) != len(base.Rows) {
		t.Fatalf("basis of %d columns and %d rows, want %d and %d", n, len(sol.Basis.Rows), len(base.Vars), len(base.Rows))
	}
	// s1 full (at its cap's bound: its cap row binds), s2 basic.
	if sol.Basis.Vars[1] != lp.Basic {
		t.Errorf("s2's status %v, want basic (basis %+v)", sol.Basis.Vars[1], sol.Basis)
	}
	bad := &lp.Basis{Vars: make([]lp.BasisStatus, len(base.Vars)), Rows: make([]lp.BasisStatus, len(base.Rows))}
	for i := range bad.Vars {
		bad.Vars[i] = lp.Basic
	}
	for _, need := range []float64{5, 2, 8, 11.5} {
		m := warmModel(need)
		for name, start := range map[string]*lp.Basis{"carried": sol.Basis.Carry(base, m), "not a basis": bad} {
			got, err := ws.WithStart(start).Solve(context.Background(), m)
			if err != nil {
				t.Fatalf("need %g, %s: %v", need, name, err)
			}
			if got.Status != lp.Optimal || math.Abs(got.Objective-warmOptimum(need)) > 1e-6 {
				t.Errorf("need %g, %s start: %s, objective %g, want %g", need, name, got.Status, got.Objective, warmOptimum(need))
			}
		}
	}
}
