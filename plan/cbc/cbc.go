// Package cbc solves lp models with the COIN-OR CBC program (Debian package
// coinor-cbc): the model is written in CPLEX LP format to a temporary
// directory, cbc is run on it, and its solution file is read back.
package cbc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gwf-project/gwf/plan/lp"
)

// ErrNotInstalled is returned when the cbc program cannot be found.
var ErrNotInstalled = errors.New("the COIN-OR CBC solver (the cbc program) is not installed: install it with `sudo apt-get install coinor-cbc` (Debian/Ubuntu), or put cbc on PATH")

// Solver runs cbc. The zero value looks cbc up on PATH and runs it with no
// time limit of its own (the context bounds it).
type Solver struct {
	Path      string        // the cbc program; "" means look it up on PATH
	TimeLimit time.Duration // passed to cbc as -sec when positive (for MIPs)
	// Timeout bounds the cbc process when ctx has no deadline (default
	// DefaultTimeout); cbc is killed when it passes.
	Timeout time.Duration
}

// DefaultTimeout bounds a cbc run when neither ctx nor Solver.Timeout does.
const DefaultTimeout = 10 * time.Minute

// Available reports whether cbc can be found.
func (s Solver) Available() bool { _, err := s.program(); return err == nil }

func (s Solver) program() (string, error) {
	p := s.Path
	if p == "" {
		p = "cbc"
	}
	full, err := exec.LookPath(p)
	if err != nil {
		return "", ErrNotInstalled
	}
	return full, nil
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
	if _, ok := ctx.Deadline(); !ok {
		d := s.Timeout
		if d <= 0 {
			d = DefaultTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	dir, err := os.MkdirTemp("", "gwf-cbc-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	model := filepath.Join(dir, "model.lp")
	f, err := os.Create(model)
	if err != nil {
		return nil, err
	}
	if err := lp.WriteLP(f, m); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	solFile := filepath.Join(dir, "solution.txt")
	args := []string{model}
	if s.TimeLimit > 0 {
		args = append(args, "-sec", strconv.FormatFloat(s.TimeLimit.Seconds(), 'f', 0, 64))
	}
	args = append(args, "-solve", "-printingOptions", "all", "-solution", solFile)
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("cbc: %w", ctx.Err())
	}
	if err != nil {
		return nil, fmt.Errorf("cbc failed: %v\n%s", err, tail(out))
	}
	sf, err := os.Open(solFile)
	if err != nil {
		return nil, fmt.Errorf("cbc wrote no solution: %v\n%s", err, tail(out))
	}
	defer sf.Close()
	sol, err := parse(sf, m)
	if sol != nil {
		sol.Gap = gap(string(out), sol.Objective)
		// A MIP stopped by its time limit with an integer solution in
		// hand is a result, with its gap.
		if err != nil && sol.Status == lp.Stopped && hasInteger(m) && s.TimeLimit > 0 && strings.Contains(string(out), "Objective value:") {
			err = nil
		}
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

// gap reads the relative optimality gap from cbc's log: its "Gap:" line,
// or |objective − "Lower bound:"| / |objective|; 0 when it prints neither
// (an LP, or a MIP solved to optimality).
func gap(log string, obj float64) float64 {
	field := func(name string) (float64, bool) {
		i := strings.LastIndex(log, "\n"+name)
		if i < 0 {
			return 0, false
		}
		rest := strings.Fields(log[i+1+len(name):])
		if len(rest) == 0 {
			return 0, false
		}
		v, err := strconv.ParseFloat(rest[0], 64)
		return v, err == nil
	}
	if g, ok := field("Gap:"); ok {
		return g
	}
	if lb, ok := field("Lower bound:"); ok && obj != 0 {
		return max(0, (obj-lb)/max(1e-12, abs(obj)))
	}
	return 0
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
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
