package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/scenario"
)

func (e *env) validateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files and report every problem with file:line:column",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var bad error
			for _, p := range args {
				if _, err := scenario.Load(p, e.readFile); err != nil {
					if !scenario.IsInvalid(err) {
						return err
					}
					fmt.Fprintln(e.stderr, err)
					bad = err
					continue
				}
				fmt.Fprintf(e.stdout, "%s: ok\n", p)
			}
			if bad != nil {
				return silentInvalid{}
			}
			return nil
		},
	}
}

// silentInvalid reports bad input whose details were already printed.
type silentInvalid struct{}

func (silentInvalid) Error() string { return "" }

func (e *env) scenarioCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenario",
		Short: "Show or start scenario files",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError{fmt.Errorf("scenario needs a subcommand: show or init (see gwf scenario --help)")}
		},
	}
	var sourcesOnly bool
	show := &cobra.Command{
		Use:   "show [FILE]",
		Short: "Print the effective scenario: every value with its unit and source",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := e.read(args)
			if err != nil {
				return err
			}
			return report.ScenarioText(e.stdout, sc, sourcesOnly)
		},
	}
	show.Flags().BoolVar(&sourcesOnly, "sources", false, "list only the sources, grouped by confidence")
	var force bool
	initCmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented starting scenario (to FILE, or to standard output)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := scenario.InitTemplate()
			if len(args) == 0 || args[0] == "-" {
				_, err := e.stdout.Write(src)
				return err
			}
			p := args[0]
			if _, err := os.Stat(p); err == nil && !force {
				return usageError{fmt.Errorf("%s already exists (use --force to overwrite)", p)}
			}
			if err := writeFileAtomic(p, func(w io.Writer) error { _, err := w.Write(src); return err }); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "wrote %s; run it with: gwf run %s\n", p, p)
			return nil
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "overwrite FILE if it exists")
	cmd.AddCommand(show, initCmd)
	return cmd
}
