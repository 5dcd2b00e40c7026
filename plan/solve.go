package plan

import (
	"context"
	"errors"
	"fmt"
	"math"

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
