// Package glpk solves lp models with GLPK's glpsol program (Debian package
// glpk-utils): the model is written in CPLEX LP format (lp.WriteLP, the
// writer plan/cbc uses) to a temporary directory, glpsol is run on it with
// --lp, and its plain-text solution (-w) is read back, rows and columns
// matched to the model by the names glpsol writes with --wglp. A MIP's
// duals are those of the LP with its integers fixed at the solution (a
// second glpsol run), as cbc reports them. An LP's solve also reports its
// optimal basis (the statuses in -w), and a solve can start from one
// (lp.WarmStart: glpsol's --ini).
package glpk

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

// ErrNotInstalled is returned when the glpsol program cannot be found.
var ErrNotInstalled = errors.New("the GLPK solver (the glpsol program) is not installed: install it with `sudo apt-get install glpk-utils` (Debian/Ubuntu), or put glpsol on PATH")

// Solver runs glpsol. The zero value looks glpsol up on PATH and runs it
// with no time limit of its own.
type Solver struct {
	Path string // the glpsol program; "" means look it up on PATH
	// TimeLimit, when positive, is passed to glpsol as --tmlim (whole
	// seconds) and enforced: glpsol is stopped a grace period after it
	// (solvecmd.Grace).
	TimeLimit time.Duration
	// Timeout bounds glpsol when there is no TimeLimit and ctx has no
	// deadline (default solvecmd.DefaultTimeout).
	Timeout time.Duration
	// NoPresolve runs glpsol with --nopresol --nointopt (see
	// WithoutPresolve).
	NoPresolve bool
	// Start, when set, is the basis an LP's solve starts from (see
	// WithStart).
	Start *lp.Basis
	// OnlyObjective, set by ObjectiveOnly, has an LP's solve report its
	// status and objective only.
	OnlyObjective bool
}

// TimeLimitOf implements lp.TimeLimited.
func (s Solver) TimeLimitOf() time.Duration { return s.TimeLimit }

// WithTimeLimit implements lp.TimeLimited.
func (s Solver) WithTimeLimit(d time.Duration) lp.Solver { s.TimeLimit = d; return s }

// String names the solver in messages.
func (s Solver) String() string { return "glpk" }

// WithoutPresolve implements lp.PresolveOff: the same solver with GLPK's
// LP presolver and MIP preprocessor turned off.
func (s Solver) WithoutPresolve() (lp.Solver, string) {
	s.NoPresolve = true
	return s, "--nopresol --nointopt"
}

// WithStart implements lp.WarmStart: the same solver, its LP solves
// starting from b, written as a plain-text solution for glpsol's --ini
// (which turns glpsol's presolver off). glpsol numbers the columns as it
// meets them in the LP file (lp.LPOrder), the rows in order. A warm
// solve that fails — glpsol finds the basis invalid or singular — is
// retried from scratch.
func (s Solver) WithStart(b *lp.Basis) lp.Solver { s.Start = b; return s }

// ObjectiveOnly implements lp.ObjectiveOnly: the same solver, an LP's
// solution then read from the status line of glpsol's -w file alone,
// without its problem names (--wglp) to match the rest.
func (s Solver) ObjectiveOnly() lp.Solver { s.OnlyObjective = true; return s }

// Available reports whether glpsol can be found.
func (s Solver) Available() bool { _, err := s.program(); return err == nil }

func (s Solver) program() (string, error) {
	return solvecmd.Program(s.Path, "glpsol", ErrNotInstalled)
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
	t0 := time.Now()
	if !m.HasInteger() && s.Start.Fits(m) {
		sol, err := s.run(ctx, prog, m, s.TimeLimit, s.Start)
		spent := s.TimeLimit > 0 && time.Since(t0) >= s.TimeLimit
		if ctx.Err() != nil || errors.Is(err, lp.ErrTimedOut) && spent || err == nil && sol.Status == lp.Optimal {
			return sol, err
		}
		// The start went wrong (glpsol found it invalid and wrote a
		// solution of undefined status, read as stopped): from scratch,
		// as without one.
	}
	sol, err := s.run(ctx, prog, m, s.TimeLimit, nil)
	if err != nil || !m.HasInteger() || sol.Status != lp.Optimal && sol.Status != lp.Stopped {
		return sol, err
	}
	// Duals of the LP with the integers fixed at the solution.
	fixed := fixIntegers(m, sol.X)
	limit := s.TimeLimit
	if limit > 0 {
		limit = max(time.Second, limit-time.Since(t0))
	}
	if lsol, err := s.run(ctx, prog, fixed, limit, nil); err == nil && lsol.Status == lp.Optimal {
		sol.Duals, sol.ReducedCost = lsol.Duals, lsol.ReducedCost
	}
	return sol, nil
}

// run solves m once with glpsol, from the basis start when it is not nil
// (an LP's).
func (s Solver) run(ctx context.Context, prog string, m *lp.Model, limit time.Duration, start *lp.Basis) (*lp.Solution, error) {
	wd, err := solvecmd.NewWorkdir("gwf-glpk-", m)
	if err != nil {
		return nil, fmt.Errorf("glpk: %w", err)
	}
	defer wd.Remove()
	solFile, names := wd.Path("solution.txt"), wd.Path("names.glp")
	brief := s.OnlyObjective && !m.HasInteger()
	args := []string{"--lp", wd.Model, "-w", solFile}
	if !brief {
		args = append(args, "--wglp", names)
	}
	if limit > 0 {
		args = append(args, "--tmlim", strconv.FormatFloat(math.Ceil(limit.Seconds()), 'f', 0, 64))
	}
	if s.NoPresolve {
		args = append(args, "--nopresol")
		if m.HasInteger() {
			args = append(args, "--nointopt")
		}
	}
	if start != nil {
		startFile := wd.Path("start.sol")
		if err := writeStart(startFile, m, start); err != nil {
			return nil, fmt.Errorf("glpk: %w", err)
		}
		args = append(args, "--ini", startFile)
	}
	out, runErr := solvecmd.Run(ctx, prog, args, wd.Dir, limit, s.Timeout)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("glpk: %w", ctx.Err())
	}
	if runErr != nil {
		return nil, fmt.Errorf("glpk: %w\n%s", runErr, solvecmd.Tail(out))
	}
	var rows, cols []int // none when brief: the rows' and columns' lines are skipped
	if !brief {
		if rows, cols, err = readNames(names, m); err != nil {
			return nil, fmt.Errorf("glpk: %w\n%s", err, solvecmd.Tail(out))
		}
	}
	f, err := os.Open(solFile)
	if err != nil {
		return nil, fmt.Errorf("glpk wrote no solution: %w\n%s", err, solvecmd.Tail(out))
	}
	defer f.Close()
	log := string(out)
	sol, err := parse(f, m, rows, cols, log)
	if err != nil {
		return sol, err
	}
	if brief {
		sol.X, sol.Duals, sol.ReducedCost, sol.Basis = nil, nil, nil, nil
	}
	if sol.Status != lp.Optimal && !(sol.Status == lp.Stopped && m.HasInteger()) {
		return sol, fmt.Errorf("glpk: %s\n%s", sol.Status, solvecmd.Tail(out))
	}
	return sol, nil
}

// writeStart writes b, a basis of m, as the plain-text basic solution
// glpsol's --ini reads (as -w writes it: "s bas ROWS COLS", then "i K
// STAT 0 0" per row and "j K STAT 0 0" per column in glpsol's numbering,
// and "e o f"), each nonbasic status the one its bounds allow: a ≤ row's
// u, a ≥ row's l, an equality's s; a column's l or u, s when fixed, f when
// free.
func writeStart(path string, m *lp.Model, b *lp.Basis) error {
	if err := solvecmd.WriteFile(path, func(w io.Writer) error { return formatStart(w, m, b) }); err != nil {
		return fmt.Errorf("start file: %w", err)
	}
	return nil
}

func formatStart(w io.Writer, m *lp.Model, b *lp.Basis) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "s bas %d %d u u 0\n", len(m.Rows), len(m.Vars))
	for i, r := range m.Rows {
		st := "b"
		if b.Rows[i] != lp.Basic {
			switch r.Sense {
			case lp.LE:
				st = "u"
			case lp.GE:
				st = "l"
			default:
				st = "s"
			}
		}
		fmt.Fprintf(bw, "i %d %s 0 0\n", i+1, st)
	}
	for k, j := range lp.LPOrder(m) {
		fmt.Fprintf(bw, "j %d %s 0 0\n", k+1, colStatus(m.Vars[j], b.Vars[j]))
	}
	bw.WriteString("e o f\n")
	return bw.Flush()
}

// colStatus is glpsol's status of a column with v's bounds and status st.
func colStatus(v lp.Var, st lp.BasisStatus) string {
	loInf, hiInf := math.IsInf(v.Lo, -1), math.IsInf(v.Hi, 1)
	switch {
	case st == lp.Basic:
		return "b"
	case v.Lo == v.Hi:
		return "s"
	case loInf && hiInf:
		return "f"
	case loInf, st == lp.AtUpper && !hiInf:
		return "u"
	}
	return "l"
}

// fixIntegers is a copy of m with its integer variables fixed at x
// (rounded) and continuous.
func fixIntegers(m *lp.Model, x []float64) *lp.Model {
	f := &lp.Model{Vars: make([]lp.Var, len(m.Vars)), Rows: m.Rows}
	copy(f.Vars, m.Vars)
	for i := range f.Vars {
		if v := &f.Vars[i]; v.Integer {
			r := math.Round(x[i])
			v.Lo, v.Hi, v.Integer = r, r, false
		}
	}
	return f
}

// readNames maps glpsol's row and column numbers (1-based, in the order
// glpsol created them reading the LP file) to the model's indices, from
// the problem glpsol wrote in GLPK format ("n i NUM NAME", "n j NUM
// NAME").
func readNames(path string, m *lp.Model) (rows, cols []int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("problem names: %w", err)
	}
	defer f.Close()
	rowOf := make(map[string]int, len(m.Rows))
	for i, r := range m.Rows {
		rowOf[r.Name] = i
	}
	colOf := make(map[string]int, len(m.Vars))
	for i, v := range m.Vars {
		colOf[v.Name] = i
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		if len(fl) != 4 || fl[0] != "n" || fl[1] != "i" && fl[1] != "j" {
			continue
		}
		k, err := strconv.Atoi(fl[2])
		if err != nil || k < 1 {
			return nil, nil, fmt.Errorf("problem names: bad line %q", sc.Text())
		}
		idx, list, of := rowOf, &rows, "row"
		if fl[1] == "j" {
			idx, list, of = colOf, &cols, "column"
		}
		i, ok := idx[fl[3]]
		if !ok {
			return nil, nil, fmt.Errorf("problem names: glpsol's %s %q is not in the model", of, fl[3])
		}
		for len(*list) < k {
			*list = append(*list, -1)
		}
		(*list)[k-1] = i
	}
	return rows, cols, sc.Err()
}

// parse reads glpsol's plain-text solution (-w): comment lines "c", the
// status line "s bas|mip ROWS COLS STATUS… OBJ", a line per row "i NUM
// …" and per column "j NUM …" (basic solution: status, value, dual;
// MIP: value), and "e o f". log is glpsol's output, for a status the
// file leaves undefined and for a stopped MIP's bound.
func parse(r io.Reader, m *lp.Model, rows, cols []int, log string) (*lp.Solution, error) {
	sol := &lp.Solution{
		X:           make([]float64, len(m.Vars)),
		Duals:       make([]float64, len(m.Rows)),
		ReducedCost: make([]float64, len(m.Vars)),
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	mip := false
	seen := false
	// The basis, from a basic solution's statuses: every row and column
	// must be seen (and matched) for it to be one.
	basis := &lp.Basis{Vars: make([]lp.BasisStatus, len(m.Vars)), Rows: make([]lp.BasisStatus, len(m.Rows))}
	statuses := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] == "c" || f[0] == "e" {
			continue
		}
		num := func(s string) (float64, error) {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return 0, fmt.Errorf("glpk: bad solution line %q", sc.Text())
			}
			return v, nil
		}
		switch f[0] {
		case "s":
			if len(f) < 6 {
				return nil, fmt.Errorf("glpk: bad status line %q", sc.Text())
			}
			seen = true
			mip = f[1] == "mip"
			obj, err := num(f[len(f)-1])
			if err != nil {
				return nil, err
			}
			sol.Objective = obj
			sol.Status = status(f[1], f[4:len(f)-1], log)
		case "i", "j":
			// basic: i NUM STAT VALUE DUAL; MIP: i NUM VALUE.
			if len(f) < 3 {
				return nil, fmt.Errorf("glpk: bad solution line %q", sc.Text())
			}
			k, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, fmt.Errorf("glpk: bad solution line %q", sc.Text())
			}
			val, dual := f[2], ""
			if !mip {
				if len(f) < 5 {
					return nil, fmt.Errorf("glpk: bad solution line %q", sc.Text())
				}
				val, dual = f[3], f[4]
			}
			v, err := num(val)
			if err != nil {
				return nil, err
			}
			d := 0.0
			if dual != "" {
				if d, err = num(dual); err != nil {
					return nil, err
				}
			}
			if f[0] == "i" {
				if k >= 1 && k <= len(rows) && rows[k-1] >= 0 {
					sol.Duals[rows[k-1]] = d
					if !mip {
						basis.Rows[rows[k-1]] = basisStatus(f[2])
						statuses++
					}
				}
				continue
			}
			if k >= 1 && k <= len(cols) && cols[k-1] >= 0 {
				sol.X[cols[k-1]], sol.ReducedCost[cols[k-1]] = v, d
				if !mip {
					basis.Vars[cols[k-1]] = basisStatus(f[2])
					statuses++
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("glpk: reading the solution: %w", err)
	}
	if !seen {
		return nil, errors.New("glpk: no status line in the solution")
	}
	switch {
	case sol.Status == lp.Optimal:
		sol.SetBound(sol.Objective)
		if !mip && statuses == len(m.Rows)+len(m.Vars) {
			sol.Basis = basis
		}
	case sol.Status == lp.Stopped && mip && hasIncumbent(log):
		sol.SetBound(mipBound(log, sol.Objective))
	case sol.Status == lp.Stopped:
		return sol, fmt.Errorf("glpk: %w: stopped at its time limit with no solution", lp.ErrTimedOut)
	}
	return sol, nil
}

// basisStatus maps glpsol's status of a row or column in a basic
// solution to lp's: b basic, u at the upper bound, and l, s (fixed) and
// f (free) nonbasic at the lower.
func basisStatus(st string) lp.BasisStatus {
	switch st {
	case "b":
		return lp.Basic
	case "u":
		return lp.AtUpper
	}
	return lp.AtLower
}

// status maps glpsol's solution status (basic solution: primal and dual
// status; MIP: one status) to lp's, reading the log when the file leaves
// it undefined (after the presolver, glpsol writes no solution).
func status(kind string, st []string, log string) lp.Status {
	switch {
	case kind == "mip" && len(st) == 1 && st[0] == "o":
		return lp.Optimal
	case kind == "mip" && len(st) == 1 && st[0] == "f":
		return lp.Stopped // a feasible, unproven solution: a limit stopped the search
	case kind == "mip" && len(st) == 1 && st[0] == "n":
		return lp.Infeasible
	case kind != "mip" && len(st) == 2 && st[0] == "f" && st[1] == "f":
		return lp.Optimal
	case kind != "mip" && len(st) == 2 && st[0] == "n":
		return lp.Infeasible
	case kind != "mip" && len(st) == 2 && st[0] == "f" && st[1] == "n":
		return lp.Unbounded
	}
	switch {
	case strings.Contains(log, "NO PRIMAL FEASIBLE SOLUTION"), strings.Contains(log, "NO INTEGER FEASIBLE SOLUTION"):
		return lp.Infeasible
	case strings.Contains(log, "NO DUAL FEASIBLE SOLUTION"), strings.Contains(log, "UNBOUNDED"):
		return lp.Unbounded
	}
	return lp.Stopped
}

// hasIncumbent reports whether glpsol's branch and bound found an integer
// solution (a ">>>>>" progress line).
func hasIncumbent(log string) bool { return strings.Contains(log, ">>>>>") }

// mipBound is the best bound of glpsol's last branch-and-bound progress
// line ("+ 5732: mip = 2.845402444e+14 >= 2.840000000e+14 0.2% (12; 3)");
// the objective when the tree is empty (proven), NaN when there is none.
func mipBound(log string, obj float64) float64 {
	b := math.NaN()
	for line := range strings.Lines(log) {
		if !strings.HasPrefix(line, "+") {
			continue
		}
		i := strings.Index(line, ">=")
		if i < 0 {
			continue
		}
		f := strings.Fields(line[i+2:])
		if len(f) == 0 {
			continue
		}
		if f[0] == "tree" {
			b = obj
			continue
		}
		if v, err := strconv.ParseFloat(f[0], 64); err == nil && !math.IsInf(v, 0) {
			b = v
		}
	}
	return b
}
