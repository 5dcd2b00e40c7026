// Package cbc solves lp models with the COIN-OR CBC program (Debian package
// coinor-cbc): the model is written in CPLEX LP format to a temporary
// directory, cbc is run on it, and its solution file is read back. An
// LP's solve also reports its optimal basis (cbc's -basisO), and a solve
// can start from one (lp.WarmStart: -basisI, the model then written as
// free MPS, which cbc reads faster).
package cbc

import (
	"bytes"
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
	// Start, when set, is the basis an LP's solve starts from (see
	// WithStart).
	Start *lp.Basis
	// OnlyObjective, set by ObjectiveOnly, has an LP's solve report its
	// status and objective only.
	OnlyObjective bool
	// prepared is a model checked and written out ahead (Prepare).
	prepared *prepared
}

// prepared is a model checked, and its MPS file (the file of a warm
// start) written, ahead of its solves.
type prepared struct {
	m   *lp.Model
	mps []byte
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

// WithStart implements lp.WarmStart: the same solver, its LP solves
// starting from b (written as an MPS basis file for cbc's -basisI), with
// cbc's presolve off — presolve would discard most of the start, and
// from a nearby basis the simplex needs a few pivots where presolve
// alone costs more. A warm solve that fails is retried from scratch,
// with the solver's own options.
func (s Solver) WithStart(b *lp.Basis) lp.Solver { s.Start = b; return s }

// ObjectiveOnly implements lp.ObjectiveOnly: the same solver, an LP's
// solution file then only its status line (cbc's -printingOptions
// integer, on a model without integers) and no basis written.
func (s Solver) ObjectiveOnly() lp.Solver { s.OnlyObjective = true; return s }

// Prepare implements lp.Preparer: m checked and its MPS file, the one a
// warm start reads, written to memory (about 4 MB for the weekly
// reference). A cold solve of m still writes the LP file.
func (s Solver) Prepare(m *lp.Model) (lp.Solver, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := lp.WriteMPS(&b, m); err != nil {
		return nil, err
	}
	s.prepared = &prepared{m: m, mps: b.Bytes()}
	return s, nil
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
	if s.prepared == nil || s.prepared.m != m {
		if err := m.Check(); err != nil {
			return nil, err
		}
	}
	if m.HasInteger() || !s.Start.Fits(m) {
		return s.solve(ctx, prog, m, nil)
	}
	sol, err := s.solve(ctx, prog, m, s.Start)
	if ctx.Err() != nil || errors.Is(err, lp.ErrTimedOut) || err == nil && sol.Status == lp.Optimal {
		return sol, err
	}
	// The start went wrong (cbc rejected it, or called the model
	// infeasible without its presolve): from scratch, as without one.
	return s.solve(ctx, prog, m, nil)
}

// solve runs cbc once on m, from the basis start when it is not nil (an
// LP's).
func (s Solver) solve(ctx context.Context, prog string, m *lp.Model, start *lp.Basis) (*lp.Solution, error) {
	nm := naming{m: m}
	file, write := "model.lp", lp.WriteLP
	if start != nil {
		// A warm solve is mostly reading the model: cbc reads
		// lp.WriteMPS's file (numbered names) in well under half the
		// time it takes over the LP file (0.05 s against 0.12 s for the
		// weekly reference, whose warm re-solves then take 0.01 s to
		// 0.04 s). A cold solve keeps the LP file: cbc's MPS reader
		// parses numbers with its own routine, which can round
		// otherwise in the last bit, and on a degenerate model that can
		// land on another optimal basis (the weekly reference's duals
		// then split otherwise between switchgear and distribution
		// transformers, which bind as one); a warm solve's objective
		// moves by rounding only.
		nm.numbered = true
		file, write = "model.mps", lp.WriteMPS
		if p := s.prepared; p != nil && p.m == m {
			write = func(w io.Writer, _ *lp.Model) error { _, err := w.Write(p.mps); return err }
		}
	}
	wd, err := solvecmd.NewWorkdirAs("gwf-cbc-", m, file, write)
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
	if start != nil {
		startFile := wd.Path("start.bas")
		if err := writeBasisFile(startFile, nm, start); err != nil {
			return nil, err
		}
		if !s.NoPresolve {
			args = append(args, "-presolve", "off")
		}
		args = append(args, "-basisI", startFile)
	}
	isLP := !m.HasInteger()
	brief := isLP && s.OnlyObjective
	basisFile := wd.Path("basis.bas")
	args = append(args, "-solve")
	if isLP && !brief {
		args = append(args, "-basisO", basisFile)
	}
	printing := "all"
	if brief {
		printing = "integer" // no integers: the status line only
	}
	args = append(args, "-printingOptions", printing, "-solution", solFile)
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
	sol, err := parse(sf, nm)
	if sol == nil {
		return nil, err
	}
	if brief {
		sol.X, sol.Duals, sol.ReducedCost = nil, nil, nil
	}
	log := string(out)
	if errors.Is(runErr, lp.ErrTimedOut) {
		// Interrupted past its limit, cbc wrote what it had.
		sol.Status = lp.Stopped
	}
	if sol.Status == lp.Optimal {
		sol.SetBound(sol.Objective)
		if isLP && !brief {
			// The basis is for warm starts: without it a solve only
			// starts colder.
			sol.Basis, _ = readBasisFile(basisFile, nm)
		}
	} else {
		sol.SetBound(bound(log))
	}
	// A MIP stopped by its time limit with an integer solution in hand is
	// a result, with its gap.
	if sol.Status == lp.Stopped && m.HasInteger() && (s.TimeLimit > 0 || runErr != nil) && strings.Contains(log, "Objective value:") {
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

// writeBasisFile writes b as an MPS basis file at path.
func writeBasisFile(path string, nm naming, b *lp.Basis) error {
	if err := solvecmd.WriteFile(path, func(w io.Writer) error { return formatBasis(w, nm, b) }); err != nil {
		return fmt.Errorf("cbc: basis file: %w", err)
	}
	return nil
}

// readBasisFile reads the MPS basis file cbc wrote at path.
func readBasisFile(path string, nm naming) (*lp.Basis, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cbc: basis file: %w", err)
	}
	defer f.Close()
	return parseBasis(f, nm)
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
// reduced-cost), rows first. A leading "**" marks an infeasibility. cbc
// lists rows and columns as the model file has them, which is the
// model's order, so each name is looked for just after the one before
// (finder) and looked up otherwise; numbered names (nm) are read.
func parse(r io.Reader, nm naming) (*lp.Solution, error) {
	m := nm.m
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text := string(data)
	head, text, _ := strings.Cut(text, "\n")
	head = strings.TrimRight(head, "\r")
	if head == "" && text == "" {
		return nil, errors.New("cbc: empty solution file")
	}
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
	// Lines come in the model's order: a finder looks there first.
	colOf, rowOf := nm.finders()
	inRows := true
	prev := -1
	var f [5]string
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		n := fields(line, f[:])
		fl := f[:n]
		if len(fl) > 0 && fl[0] == "**" {
			fl = fl[1:]
		}
		if len(fl) < 4 {
			continue
		}
		idx, err := strconv.Atoi(fl[0])
		if err != nil || idx < 0 {
			continue
		}
		if idx <= prev && inRows {
			inRows = false
		}
		prev = idx
		a, err1 := strconv.ParseFloat(fl[2], 64)
		d, err2 := strconv.ParseFloat(fl[3], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("cbc: bad solution line %q", line)
		}
		if inRows {
			if i, ok := rowOf.find(fl[1]); ok {
				sol.Duals[i] = d
				continue
			}
			inRows = false // a model without rows, or names not rows
		}
		if i, ok := colOf.find(fl[1]); ok {
			sol.X[i] = a
			sol.ReducedCost[i] = d
		}
	}
	if sol.Status != lp.Optimal {
		return sol, fmt.Errorf("cbc: %s", head)
	}
	return sol, nil
}

// fields splits line at runs of blanks into f, as strings.Fields would,
// keeping the first len(f) fields, and returns how many it kept.
func fields(line string, f []string) int {
	n := 0
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++
		}
		if i == len(line) {
			break
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' {
			j++
		}
		if n == len(f) {
			return n
		}
		f[n] = line[i:j]
		n++
		i = j
	}
	return n
}
