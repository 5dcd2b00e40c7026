// Package highs solves lp models with the HiGHS command-line program
// (highs; not packaged for Debian: build it from
// https://github.com/ERGO-Code/HiGHS and put it on PATH). The model is
// written in CPLEX LP format (lp.WriteLP, as for plan/cbc and plan/glpk),
// highs is run on it, and its solution file is read back by name.
//
// This adapter is checked against the shared suite (plan/lp/lptest) only
// where highs is installed; its parser is unit-tested on the file format
// HiGHS writes ("Model status", "# Primal solution values", "# Dual
// solution values", each with "# Columns N" and "# Rows N" sections).
package highs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gwf-project/gwf/plan/internal/solvecmd"
	"github.com/gwf-project/gwf/plan/lp"
)

// ErrNotInstalled is returned when the highs program cannot be found.
var ErrNotInstalled = errors.New("the HiGHS solver (the highs program) is not on PATH: HiGHS is not packaged for Debian; build it from https://github.com/ERGO-Code/HiGHS (cmake) and put highs on PATH, or use --solver cbc or glpk")

// Solver runs highs. The zero value looks highs up on PATH.
type Solver struct {
	Path string // the highs program; "" means look it up on PATH
	// TimeLimit, when positive, is passed as --time_limit and enforced
	// (solvecmd.Grace after it highs is stopped).
	TimeLimit time.Duration
	// Timeout bounds highs when there is no TimeLimit and ctx has no
	// deadline (default solvecmd.DefaultTimeout).
	Timeout time.Duration
	// NoPresolve runs highs with --presolve off.
	NoPresolve bool
}

// TimeLimitOf implements lp.TimeLimited.
func (s Solver) TimeLimitOf() time.Duration { return s.TimeLimit }

// WithTimeLimit implements lp.TimeLimited.
func (s Solver) WithTimeLimit(d time.Duration) lp.Solver { s.TimeLimit = d; return s }

// String names the solver in messages.
func (s Solver) String() string { return "highs" }

// WithoutPresolve implements lp.PresolveOff.
func (s Solver) WithoutPresolve() (lp.Solver, string) {
	s.NoPresolve = true
	return s, "--presolve off"
}

// Available reports whether highs can be found.
func (s Solver) Available() bool { _, err := s.program(); return err == nil }

func (s Solver) program() (string, error) {
	return solvecmd.Program(s.Path, "highs", ErrNotInstalled)
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
	wd, err := solvecmd.NewWorkdir("gwf-highs-", m)
	if err != nil {
		return nil, fmt.Errorf("highs: %w", err)
	}
	defer wd.Remove()
	solFile := wd.Path("solution.txt")
	args := []string{"--model_file", wd.Model, "--solution_file", solFile}
	if s.TimeLimit > 0 {
		args = append(args, "--time_limit", strconv.FormatFloat(s.TimeLimit.Seconds(), 'f', 3, 64))
	}
	if s.NoPresolve {
		args = append(args, "--presolve", "off")
	}
	out, runErr := solvecmd.Run(ctx, prog, args, wd.Dir, s.TimeLimit, s.Timeout)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("highs: %w", ctx.Err())
	}
	if runErr != nil {
		return nil, fmt.Errorf("highs: %w\n%s", runErr, solvecmd.Tail(out))
	}
	f, err := os.Open(solFile)
	if err != nil {
		return nil, fmt.Errorf("highs wrote no solution: %w\n%s", err, solvecmd.Tail(out))
	}
	defer f.Close()
	sol, err := parse(f, m, string(out))
	if err != nil {
		return sol, fmt.Errorf("%w\n%s", err, solvecmd.Tail(out))
	}
	return sol, nil
}

// parse reads a HiGHS solution file; log is highs's output, for a MIP's
// "Dual bound".
func parse(r io.Reader, m *lp.Model, log string) (*lp.Solution, error) {
	sol := &lp.Solution{
		X:           make([]float64, len(m.Vars)),
		Duals:       make([]float64, len(m.Rows)),
		ReducedCost: make([]float64, len(m.Vars)),
	}
	rows := make(map[string]int, len(m.Rows))
	for i, row := range m.Rows {
		rows[row.Name] = i
	}
	cols := make(map[string]int, len(m.Vars))
	for i, v := range m.Vars {
		cols[v.Name] = i
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	var status, section, part string
	primal := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case line == "Model status":
			section = "status"
			continue
		case line == "# Primal solution values":
			section, part = "primal", ""
			continue
		case line == "# Dual solution values":
			section, part = "dual", ""
			continue
		case strings.HasPrefix(line, "# Basis"):
			section = "basis"
			continue
		case strings.HasPrefix(line, "# Columns"):
			part = "cols"
			continue
		case strings.HasPrefix(line, "# Rows"):
			part = "rows"
			continue
		}
		f := strings.Fields(line)
		switch section {
		case "status":
			status, section = line, ""
		case "primal", "dual":
			if part == "" {
				if f[0] == "Objective" && len(f) == 2 {
					v, err := strconv.ParseFloat(f[1], 64)
					if err != nil {
						return nil, fmt.Errorf("highs: bad objective line %q", line)
					}
					sol.Objective = v
				} else if section == "primal" && line == "Feasible" {
					primal = true
				}
				continue
			}
			if len(f) < 2 {
				continue
			}
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err != nil {
				return nil, fmt.Errorf("highs: bad solution line %q", line)
			}
			switch {
			case part == "cols" && section == "primal":
				if i, ok := cols[f[0]]; ok {
					sol.X[i] = v
				}
			case part == "cols":
				if i, ok := cols[f[0]]; ok {
					sol.ReducedCost[i] = v
				}
			case part == "rows" && section == "dual":
				if i, ok := rows[f[0]]; ok {
					sol.Duals[i] = v
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("highs: reading the solution: %w", err)
	}
	low := strings.ToLower(status)
	switch {
	case low == "optimal":
		sol.Status = lp.Optimal
	case strings.Contains(low, "infeasible") && !strings.Contains(low, "unbounded"):
		sol.Status = lp.Infeasible
	case strings.Contains(low, "unbounded"):
		sol.Status = lp.Unbounded
	default:
		sol.Status = lp.Stopped
	}
	b := dualBound(log)
	if math.IsNaN(b) {
		b = sol.Objective
	}
	sol.SetBound(b)
	switch {
	case sol.Status == lp.Optimal:
		return sol, nil
	case sol.Status == lp.Stopped && primal:
		return sol, nil // a limit stopped the search with a solution in hand
	}
	if sol.Status == lp.Stopped {
		return sol, fmt.Errorf("highs: %w: %s", lp.ErrTimedOut, status)
	}
	return sol, fmt.Errorf("highs: %s", status)
}

// dualBound is the "Dual bound" of highs's MIP solving report, NaN when
// there is none (an LP).
func dualBound(log string) float64 {
	i := strings.LastIndex(log, "Dual bound")
	if i < 0 {
		return math.NaN()
	}
	f := strings.Fields(log[i+len("Dual bound"):])
	if len(f) == 0 {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}
