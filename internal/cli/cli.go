// Package cli is gwf's command-line surface: subcommands, flags, terminal
// output and exit codes. It wires the scenario loader, the engine and the
// outputs together and holds no model logic of its own.
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/internal/safefile"
	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/scenario"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFailure  = 1 // the world failed: a file could not be written, an internal error
	ExitBadInput = 2 // the user's input is wrong: a scenario, a flag, an argument
)

// usageError marks errors in how a command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// env is what commands may touch: streams and a file reader.
type env struct {
	stdout, stderr io.Writer
	readFile       scenario.ReadFunc
	// maxWork is the most project-weeks one run may be estimated to take
	// (--max-work; budget.CLIRun by default).
	maxWork float64
}

// Run executes gwf with args (without the program name) and returns the
// process exit code. It never panics: an internal error is reported as such.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "gwf: internal error: %v\n%s\nPlease report this with the command and scenario that caused it.\n", p, debug.Stack())
			code = ExitFailure
		}
	}()
	out := &checkedWriter{w: stdout}
	e := &env{stdout: out, stderr: stderr, readFile: readScenarioFile}
	root := e.rootCommand()
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil && out.err != nil {
		// A command that printed its answer into a full disk or a closed
		// pipe did not do its job.
		fmt.Fprintf(stderr, "gwf: writing to standard output: %v\n", out.err)
		return ExitFailure
	}
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, safefile.ErrNotRegular) || errors.Is(err, safefile.ErrTooLarge) {
		fmt.Fprintf(stderr, "gwf: %v\n", err)
		return ExitBadInput
	}
	if errors.Is(err, silentInvalid{}) {
		return ExitBadInput // details already printed
	}
	if scenario.IsInvalid(err) {
		fmt.Fprintln(stderr, err)
		return ExitBadInput
	}
	var over *budget.Error
	if errors.As(err, &over) {
		fmt.Fprintf(stderr, "gwf: %v; or raise the budget with --max-work (project-weeks; now %.3g)\n", err, over.Limit)
		return ExitBadInput
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "gwf: %v\n", ue.err)
		return ExitBadInput
	}
	if strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(stderr, "gwf: %v (see gwf --help)\n", err)
		return ExitBadInput
	}
	fmt.Fprintf(stderr, "gwf: %v\n", err)
	return ExitFailure
}

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gwf",
		Short: "Plan and simulate a factory that brings 1 GW of AI infrastructure online every week",
		Long: `gwf plans and simulates a factory that brings a gigawatt of new AI
infrastructure online every week: chips, power, buildings and robotics as one
production system. With no arguments, "gwf run" runs the embedded reference
scenario.`,
		Version:       version.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().Float64Var(&e.maxWork, "max-work", budget.CLIRun, "the most work one run may be estimated to take, in project-weeks (projects × weeks); a larger scenario is refused before it starts")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(e.runCommand(), e.whyCommand(), e.validateCommand(), e.scenarioCommand(), e.versionCommand())
	root.AddCommand(e.mcCommand(), e.sensitivityCommand())
	root.AddCommand(e.backtestCommand())
	root.AddCommand(e.serveCommand())
	root.AddCommand(e.planCommand())
	root.AddCommand(e.sweepCommand(), e.workerCommand())
	wrapAllArgs(root)
	return root
}

// checkedWriter remembers the first error writing to w, for commands that
// print without checking each write.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// readScenarioFile reads a scenario named on the command line or as a
// base: only a regular file, and no more than scenario.MaxFileSize.
func readScenarioFile(path string) ([]byte, error) {
	return safefile.ReadFile(path, scenario.MaxFileSize)
}

// wrapAllArgs wraps the argument checks of c's subcommands, at every depth.
func wrapAllArgs(c *cobra.Command) {
	for _, sub := range c.Commands() {
		sub.Args = wrapArgs(sub.Args)
		wrapAllArgs(sub)
	}
}

// wrapArgs turns argument-count errors into usage errors (exit code 2).
func wrapArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	if check == nil {
		return nil
	}
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
		}
		return nil
	}
}

func (e *env) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print gwf's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(e.stdout, "gwf %s\n", version.Version)
			return err
		},
	}
}

// load reads the scenario named by args (the reference when none) for a
// command that runs it: one estimated to take more than --max-work
// project-weeks (budget.CLIRun by default) is refused before it starts.
func (e *env) load(args []string) (*scenario.Scenario, error) {
	sc, err := e.read(args)
	if err != nil {
		return nil, err
	}
	if !(e.maxWork > 0) {
		return nil, usageError{fmt.Errorf("--max-work: not positive (got %g, want project-weeks above 0)", e.maxWork)}
	}
	if err := budget.Check(sc, 1, e.maxWork); err != nil {
		return nil, err
	}
	return sc, nil
}

// read reads the scenario named by args (the reference when none).
func (e *env) read(args []string) (*scenario.Scenario, error) {
	p := ""
	if len(args) > 0 {
		p = args[0]
	}
	return scenario.Load(p, e.readFile)
}
