// Package cbc solves lp models with the COIN-OR CBC program (Debian package
// coinor-cbc): the model is written in CPLEX LP format to a temporary
// directory, cbc is run on it, and its solution file is read back.
package cbc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gwf-project/gwf/plan/internal/solvecmd"
	"github.com/gwf-project/gwf/plan/lp"
)

// ErrNotInstalled is returned when the cbc program cannot be found.
var ErrNotInstalled = errors.New("the COIN-OR CBC solver (the cbc program) is not installed: install it with `sudo apt-get install coinor-cbc` (Debian/Ubuntu), or put cbc on PATH")

// Solver runs cbc. The zero value looks cbc up on PATH and runs it with no
// time limit of its own (the context bounds it).
type Solver struct {
	Path string // the cbc program; "" means look it up on PATH
	// TimeLimit, when positive, is passed to cbc as -sec (whole seconds)
	// and enforced: cbc does not check it in every phase (preprocessing,
	// the first heuristics), so it is interrupted a grace period after the
	// limit (solvecmd.Grace) and killed as long again later.
	TimeLimit time.Duration
	// Timeout bounds the cbc process when there is no TimeLimit and ctx
	// has no deadline (default DefaultTimeout); cbc is killed when it
	// passes.
	Timeout time.Duration
	// NoPresolve runs cbc with -presolve off -preprocess off (see
	// WithoutPresolve).
	NoPresolve bool
}

// DefaultTimeout bounds a cbc run when neither ctx nor Solver.Timeout does.
const DefaultTimeout = solvecmd.DefaultTimeout

// TimeLimitOf implements lp.TimeLimited.
func (s Solver) TimeLimitOf() time.Duration { return s.TimeLimit }

// WithTimeLimit implements lp.TimeLimited.
func (s Solver) WithTimeLimit(d time.Duration) lp.Solver { s.TimeLimit = d; return s }

// String names the solver in messages.
func (s Solver) String() string { return "cbc" }

// WithoutPresolve implements lp.PresolveOff: the same solver with cbc's
// presolve and its MIP preprocessing turned off.
func (s Solver) WithoutPresolve() (lp.Solver, string) {
	s.NoPresolve = true
	return s, "-presolve off -preprocess off"
}

// Available reports whether cbc can be found.
func (s Solver) Available() bool { _, err := s.program(); return err == nil }

func (s Solver) program() (string, error) {
	return solvecmd.Program(s.Path, "cbc", ErrNotInstalled)
}

// Solve implements lp.Solver.
func (s Solver) Solve(ctx context.Context, m *lp.Model) (*lp.Solution, error) {
	prog, err := s.program()
	if err != nil {
		return nil, err
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	wd, err := solvecmd.NewWorkdir("gwf-cbc-", m)
	if err != nil {
		return nil, fmt.Errorf("cbc: %w", err)
	}
	defer wd.Remove()
	solFile := wd.Path("solution.txt")
	args := []string{wd.Model}
	if s.TimeLimit > 0 {
		args = append(args, "-sec", strconv.FormatFloat(math.Ceil(s.TimeLimit.Seconds()), 'f', 0, 64))
	}
	if s.NoPresolve {
		args = append(args, "-presolve", "off", "-preprocess", "off")
	}
	args = append(args, "-solve", "-printingOptions", "all", "-solution", solFile)
	out, runErr := solvecmd.Run(ctx, prog, args, wd.Dir, s.TimeLimit, s.Timeout)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("cbc: %w", ctx.Err())
	}
	sf, err := os.Open(solFile)
	if err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("cbc: %w\n%s", runErr, solvecmd.Tail(out))
		}
		return nil, fmt.Errorf("cbc wrote no solution: %w\n%s", err, solvecmd.Tail(out))
	}
	defer sf.Close()
	sol, err := parse(sf, m)
	if sol == nil {
		return nil, err
	}
	log := string(out)
	if errors.Is(runErr, lp.ErrTimedOut) {
		// Interrupted past its limit, cbc wrote what it had.
		sol.Status = lp.Stopped
	}
	if sol.Status == lp.Optimal {
		sol.SetBound(sol.Objective)
	} else {
		sol.SetBound(bound(log))
	}
	// A MIP stopped by its time limit with an integer solution in hand is
	// a result, with its gap.
	if sol.Status == lp.Stopped && hasInteger(m) && (s.TimeLimit > 0 || runErr != nil) && strings.Contains(log, "Objective value:") {
		return sol, nil
	}
	if runErr != nil {
		return sol, fmt.Errorf("cbc: %w\n%s", runErr, solvecmd.Tail(out))
	}
	if err != nil && sol.Status == lp.Stopped {
		// Stopped by its limit with no solution to show.
		return sol, fmt.Errorf("%w: %w", lp.ErrTimedOut, err)
	}
	return sol, err
}

func hasInteger(m *lp.Model) bool {
	for _, v := range m.Vars {
		if v.Integer {
			return true
		}
	}
	return false
}

// bound reads the best bound cbc proved from its log: "Lower bound:" in
// its result block, else the last "best possible" of its progress lines;
// NaN when it prints neither. (cbc's "Gap:" line is rounded to two
// decimals, so the gap is computed from the bound instead.)
func bound(log string) float64 {
	if i := strings.LastIndex(log, "\nLower bound:"); i >= 0 {
		if f := strings.Fields(log[i+len("\nLower bound:"):]); len(f) > 0 {
			if v, err := strconv.ParseFloat(f[0], 64); err == nil {
				return v
			}
		}
	}
	if i := strings.LastIndex(log, "best possible "); i >= 0 {
		f := strings.Fields(log[i+len("best possible "):])
		if len(f) > 0 {
			if v, err := strconv.ParseFloat(strings.TrimRight(f[0], "),"), 64); err == nil {
				return v
			}
		}
	}
	return math.NaN()
}

// parse reads cbc's solution file: a status line, then one line per row
// (index name activity dual) and one per column (index name value
// reduced-cost), rows first. A leading "**" marks an infeasibility.
func parse(r interface{ Read([]byte) (int, error) }, m *lp.Model) (*lp.Solution, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	if !sc.Scan() {
		return nil, errors.New("cbc: empty solution file")
	}
	head := sc.Text()
	sol := &lp.Solution{
		X:           make([]float64, len(m.Vars)),
		Duals:       make([]float64, len(m.Rows)),
		ReducedCost: make([]float64, len(m.Vars)),
	}
	low := strings.ToLower(head)
	switch {
	case strings.HasPrefix(low, "optimal"):
		sol.Status = lp.Optimal
	case strings.Contains(low, "infeasible"):
		sol.Status = lp.Infeasible
	case strings.Contains(low, "unbounded"):
		sol.Status = lp.Unbounded
	default:
		sol.Status = lp.Stopped
	}
	if i := strings.LastIndex(head, "objective value"); i >= 0 {
		v, err := strconv.ParseFloat(strings.TrimSpace(head[i+len("objective value"):]), 64)
		if err == nil {
			sol.Objective = v
		}
	}
	rows := make(map[string]int, len(m.Rows))
	for i, row := range m.Rows {
		rows[row.Name] = i
	}
	cols := make(map[string]int, len(m.Vars))
	for i, v := range m.Vars {
		cols[v.Name] = i
	}
	inRows := true
	prev := -1
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "**" {
			f = f[1:]
		}
		if len(f) < 4 {
			continue
		}
		idx, err := strconv.Atoi(f[0])
		if err != nil {
			continue
		}
		if idx <= prev && inRows {
			inRows = false
		}
		prev = idx
		a, err1 := strconv.ParseFloat(f[2], 64)
		d, err2 := strconv.ParseFloat(f[3], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("cbc: bad solution line %q", sc.Text())
		}
		if inRows {
			if i, ok := rows[f[1]]; ok {
				sol.Duals[i] = d
				continue
			}
			inRows = false // a model without rows, or names not rows
		}
		if i, ok := cols[f[1]]; ok {
			sol.X[i] = a
			sol.ReducedCost[i] = d
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if sol.Status != lp.Optimal {
		return sol, fmt.Errorf("cbc: %s", head)
	}
	return sol, nil
}
