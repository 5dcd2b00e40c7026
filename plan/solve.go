package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gwf-project/gwf/plan/lp"
)

// ErrSolverInfeasible is wrapped by the error SolveLP returns when a
// solver calls the plan's model infeasible even without its presolve and
// preprocessing.
var ErrSolverInfeasible = errors.New("the solver calls the model infeasible, which it cannot be (building nothing and taking the shortfall is always feasible)")

// SolveLP solves a plan's model with s. The model is feasible by
// construction (build nothing, take the shortfall), so "infeasible" from
// a solver is its presolve or preprocessing going wrong on a badly scaled
// model (cbc's preprocessing does on the weekly MIP of the reference), and
// so is a solve stopped at its time limit with no solution at all (cbc's
// preprocessing of that MIP alone outlasts a 5-second limit). SolveLP then
// retries once without them, when s can (lp.PresolveOff), and failing
// that returns an error naming the solver and what was tried.
func SolveLP(ctx context.Context, s lp.Solver, m *lp.Model) (*lp.Solution, error) {
	sol, _, err := solveLP(ctx, s, m, true)
	return sol, err
}

// solveLP is SolveLP, also returning s without presolve when the retry
// was needed and answered (nil otherwise): the lead-time re-solves of the
// same model then go straight to it, passing canRetry false.
func solveLP(ctx context.Context, s lp.Solver, m *lp.Model, canRetry bool) (*lp.Solution, lp.Solver, error) {
	sol, err := s.Solve(ctx, m)
	if !canRetry || !retry(ctx, sol, err) {
		return sol, nil, err
	}
	first := reason(sol, err)
	what := "calls the model infeasible"
	if !infeasible(sol) {
		what = "found no solution within its time limit"
	}
	po, ok := s.(lp.PresolveOff)
	if !ok {
		return sol, nil, fmt.Errorf("%s: %w (%s); it cannot solve without presolve, so nothing else was tried", SolverName(s), wrapFailure(sol, what), first)
	}
	plain, off := po.WithoutPresolve()
	sol2, err2 := plain.Solve(ctx, m)
	if !retry(ctx, sol2, err2) {
		return sol2, plain, err2
	}
	return sol2, nil, fmt.Errorf("%s: %w: with its defaults (%s) and again without presolve and preprocessing (%s: %s); try another solver", SolverName(s), wrapFailure(sol2, what), first, off, reason(sol2, err2))
}

// retry reports whether a solve's failure is one a solve without
// presolve may fix: "infeasible", or stopped by its time limit with no
// solution (a solver returns lp.ErrTimedOut then; with a solution in hand
// it returns no error).
func retry(ctx context.Context, sol *lp.Solution, err error) bool {
	return ctx.Err() == nil && (infeasible(sol) || errors.Is(err, lp.ErrTimedOut))
}

// wrapFailure is the error for a model the solver could not solve
// although it is feasible.
func wrapFailure(sol *lp.Solution, what string) error {
	if infeasible(sol) {
		return ErrSolverInfeasible
	}
	return fmt.Errorf("it %s, on a model with a trivial solution: %w", what, lp.ErrTimedOut)
}

func infeasible(sol *lp.Solution) bool { return sol != nil && sol.Status == lp.Infeasible }

// reason is the first line of a solver's error, or the status.
func reason(sol *lp.Solution, err error) string {
	if err == nil {
		return string(sol.Status)
	}
	return firstLine(err.Error())
}

// SolverName names s in messages: its String method, or its type.
func SolverName(s lp.Solver) string {
	if n, ok := s.(fmt.Stringer); ok {
		return n.String()
	}
	return fmt.Sprintf("%T", s)
}

// setGap records a MIP's optimality gap on pl from the solver's objective
// and best bound (lp.Solution.Bound): in dollars, what a better plan
// could save at most, and as a share of the cost part of the objective —
// the objective less the shortfall penalty — so that a gap means dollars,
// not a fraction of a penalty-dominated total. pl.Gap stays the gap
// relative to the whole objective.
func (pl *Plan) setGap(sol *lp.Solution) {
	pl.GapUSD = 0
	switch {
	case sol.Gap <= 0:
	case sol.Bound != 0:
		pl.GapUSD = math.Max(0, sol.Objective-sol.Bound)
	default: // a solver that reports only the relative gap
		pl.GapUSD = sol.Gap * math.Abs(sol.Objective)
	}
	pl.GapOfCost = GapShare(pl.GapUSD, pl.ObjectiveUSD, pl.PenaltyUSDPerMW*pl.ShortfallMW)
	pl.Gap = lp.RelativeGap(pl.ObjectiveUSD, pl.ObjectiveUSD-pl.GapUSD)
}

// GapShare is a gap in dollars as a share of the cost part of an
// objective: the objective less its shortfall penalty. It is 0 when the
// gap is, or when the cost part is not positive (the gap is then all in
// the shortfall, and only the dollars say anything).
func GapShare(gapUSD, objectiveUSD, penaltyUSD float64) float64 {
	cost := objectiveUSD - penaltyUSD
	if gapUSD <= 0 || cost <= 0 {
		return 0
	}
	return gapUSD / cost
}

// mipSolve is a MIP's solution as solveMIP found it.
type mipSolve struct {
	sol        *lp.Solution
	plain      lp.Solver // the solver without presolve, when a solve needed it
	relaxation float64   // the LP relaxation's objective
	rounded    bool      // sol is the relaxation rounded down
	// relaxed is the LP relaxation, relaxBasis its optimal basis when
	// the solver reported one.
	relaxed    *lp.Model
	relaxBasis *lp.Basis
}

// solveMIP solves a MIP within the solver's time limit in all, and never
// without a plan. It solves the LP relaxation first (a bound, and a
// fallback), then the MIP with what is left of the limit less twice the
// relaxation's time (skipped when less than a second would be left).
// When the MIP solver finds no whole solution in that time (or calls the
// model infeasible), the relaxation's integer variables are rounded down
// and the rest re-solved as an LP; with time left, rounding cumulatively
// (whole units where the relaxation's running total reaches them) is
// tried too and kept when feasible and better; should rounding down fail,
// the integer variables are fixed at 0 (build nothing new: always
// feasible). Each rounding's re-solve gets what is left of the limit but
// at least twice the relaxation's time, so a plan comes back even when
// the relaxation alone takes most of the limit (the whole then takes up
// to about the relaxation's time beyond it). The bound is the better of
// the solver's and the relaxation's, so the gap is honest either way.
func solveMIP(ctx context.Context, s lp.Solver, m *lp.Model) (*mipSolve, error) {
	t0 := time.Now()
	relax := m.Relaxed()
	rsol, plain, err := solveLP(ctx, s, relax, true)
	if err != nil {
		return nil, fmt.Errorf("the LP relaxation: %w", err)
	}
	out := &mipSolve{plain: plain, relaxation: rsol.Objective, relaxed: relax, relaxBasis: rsol.Basis}
	lpTime := time.Since(t0)
	if plain != nil {
		s = plain
	}
	var limit time.Duration
	tl, timed := s.(lp.TimeLimited)
	if timed {
		limit = tl.TimeLimitOf()
	}
	// left is what remains of the limit, less reserve; ok when positive
	// (always, without a limit).
	left := func(reserve time.Duration) (time.Duration, bool) {
		if limit <= 0 {
			return 0, true
		}
		d := limit - time.Since(t0) - reserve
		return d, d >= time.Second
	}
	within := func(d time.Duration) lp.Solver {
		if limit <= 0 {
			return s
		}
		return tl.WithTimeLimit(max(time.Second, d))
	}
	var sol *lp.Solution
	if d, ok := left(2 * lpTime); ok {
		sol, err = within(d).Solve(ctx, m)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil && (sol.Status == lp.Optimal || sol.Status == lp.Stopped) && len(sol.X) == len(m.Vars) {
			if sol.Bound < rsol.Objective {
				sol.SetBound(rsol.Objective)
			}
			out.sol = sol
			return out, nil
		}
		if err != nil && !errors.Is(err, lp.ErrTimedOut) && !infeasible(sol) {
			return nil, err
		}
	}
	// No whole plan in time: round the relaxation.
	fix := func(how rounding) *lp.Solution {
		fixed := m.Relaxed()
		for i, x := range how.apply(m, rsol.X) {
			fixed.Vars[i].Lo, fixed.Vars[i].Hi = x, x
		}
		// What is left of the limit, but never less than twice the
		// relaxation's time: a plan must come back.
		d, _ := left(0)
		fsol, err := within(max(d, 2*lpTime)).Solve(ctx, fixed)
		if err != nil || fsol.Status != lp.Optimal {
			return nil
		}
		fsol.Status = lp.Stopped
		fsol.SetBound(rsol.Objective)
		return fsol
	}
	best := fix(roundDown)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if _, ok := left(lpTime); ok || best == nil {
		if c := fix(roundCumulative); c != nil && (best == nil || c.Objective < best.Objective) {
			best = c
		}
	}
	if best == nil {
		best = fix(roundZero)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if best == nil {
		return nil, fmt.Errorf("%s found no whole plan in its time limit, and neither the relaxation rounded nor building nothing new re-solved (%s)", SolverName(s), reason(sol, err))
	}
	out.sol, out.rounded = best, true
	return out, nil
}

// rounding fixes a MIP's integer variables from its relaxation's values.
type rounding int

const (
	// roundCumulative rounds each run of integer variables sharing a name
	// stem (projects_p0, projects_p1, …: one per period) so that their
	// running total is the relaxation's rounded down: a whole unit lands
	// in the period where the relaxation's total reaches it, and nothing
	// is lost to many fractions each rounded away.
	roundCumulative rounding = iota
	// roundDown rounds each integer variable down.
	roundDown
	// roundZero fixes every integer variable at 0.
	roundZero
)

// apply returns the fixed values of m's integer variables, by index.
func (r rounding) apply(m *lp.Model, x []float64) map[int]float64 {
	out := map[int]float64{}
	total := map[string]float64{}
	done := map[string]float64{}
	for i, v := range m.Vars {
		if !v.Integer {
			continue
		}
		switch r {
		case roundZero:
			out[i] = 0
		case roundDown:
			out[i] = math.Floor(x[i] + 1e-6)
		case roundCumulative:
			stem := v.Name
			if k := strings.LastIndex(stem, "_p"); k > 0 {
				stem = stem[:k]
			}
			total[stem] += x[i]
			whole := math.Floor(total[stem] + 1e-6)
			out[i] = whole - done[stem]
			done[stem] = whole
		}
	}
	return out
}
