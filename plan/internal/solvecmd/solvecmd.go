// Package solvecmd is what the adapters of external solver programs
// (plan/cbc, plan/glpk) share: a temporary directory holding the model in
// CPLEX LP format (lp.WriteLP) or another (lp.WriteMPS), and running the
// program with a hard bound on its time, so a solver that does not honour
// its own time limit in some phase (cbc's preprocessing and heuristics)
// cannot hold a plan up.
package solvecmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gwf-project/gwf/plan/lp"
)

// DefaultTimeout bounds a run when neither the context nor a time limit
// does.
const DefaultTimeout = 10 * time.Minute

// Program finds a solver's program: path, or name on PATH when path is
// "". When it cannot be found it returns notInstalled, which says how to
// install it.
func Program(path, name string, notInstalled error) (string, error) {
	if path == "" {
		path = name
	}
	full, err := exec.LookPath(path)
	if err != nil {
		return "", notInstalled
	}
	return full, nil
}

// Grace is how long past its time limit a solver may run (to finish the
// node it is on and write its solution) before it is interrupted; it is
// killed after as long again. One second plus a tenth of the limit.
func Grace(limit time.Duration) time.Duration { return time.Second + limit/10 }

// Workdir is a temporary directory holding the model as model.lp (or
// model.mps).
type Workdir struct {
	Dir   string
	Model string // the model file
}

// NewWorkdir writes m in CPLEX LP format into a new temporary directory
// named after prefix, as model.lp. Call Remove when done.
func NewWorkdir(prefix string, m *lp.Model) (*Workdir, error) {
	return NewWorkdirAs(prefix, m, "model.lp", lp.WriteLP)
}

// NewWorkdirAs is NewWorkdir with the model written by write, as file
// (model.mps by lp.WriteMPS, say).
func NewWorkdirAs(prefix string, m *lp.Model, file string, write func(io.Writer, *lp.Model) error) (*Workdir, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	w := &Workdir{Dir: dir, Model: filepath.Join(dir, file)}
	if err := WriteFile(w.Model, func(f io.Writer) error { return write(f, m) }); err != nil {
		w.Remove()
		return nil, fmt.Errorf("model file: %w", err)
	}
	return w, nil
}

// WriteFile creates the file at path and writes it with write: a solver's
// input (a model, a starting basis).
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Path is a file in the directory.
func (w *Workdir) Path(name string) string { return filepath.Join(w.Dir, name) }

// Remove deletes the directory.
func (w *Workdir) Remove() { os.RemoveAll(w.Dir) }

// Run runs prog with args in dir and returns its combined output. With a
// positive limit the program gets limit + Grace(limit), is then
// interrupted (SIGINT: cbc ends its search and writes what it has) and
// killed Grace(limit) later; Run then returns the output with an error
// wrapping lp.ErrTimedOut, and the caller may still find a solution file.
// Without a limit, timeout bounds it (DefaultTimeout when 0) unless ctx
// has a deadline. An error of ctx (cancelled by the caller) is returned
// as such.
func Run(ctx context.Context, prog string, args []string, dir string, limit, timeout time.Duration) ([]byte, error) {
	var hard time.Duration
	switch {
	case limit > 0:
		hard = limit + Grace(limit)
	case timeout > 0:
		hard = timeout
	default:
		if _, ok := ctx.Deadline(); !ok {
			hard = DefaultTimeout
		}
	}
	run := ctx
	if hard > 0 {
		var cancel context.CancelFunc
		run, cancel = context.WithTimeout(ctx, hard)
		defer cancel()
	}
	cmd := exec.CommandContext(run, prog, args...)
	cmd.Dir = dir
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = max(time.Second, Grace(limit))
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	if run.Err() != nil {
		what := fmt.Sprintf("a timeout of %s", hard)
		if limit > 0 {
			what = fmt.Sprintf("the time limit of %s and %s grace", limit, Grace(limit))
		}
		return out, fmt.Errorf("%w: no answer within %s (stopped after %s)", lp.ErrTimedOut, what, time.Since(t0).Round(100*time.Millisecond))
	}
	return out, err
}

// Tail is the end of a program's output, for error messages.
func Tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
