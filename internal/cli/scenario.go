package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

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
			return showScenario(e.stdout, sc, sourcesOnly)
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

func showScenario(w io.Writer, sc *scenario.Scenario, sourcesOnly bool) error {
	entries := sc.Entries()
	if sourcesOnly {
		return showSources(w, sc, entries)
	}
	fmt.Fprintf(w, "scenario %q, from %s\n", sc.Name, strings.Join(sc.Origin, " ← "))
	if len(sc.Origin) > 1 {
		fmt.Fprintf(w, "values marked * are set in %s, the rest come from %s\n", strings.Join(sc.Origin[1:], ", "), sc.Origin[0])
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  field\tvalue\tsource")
	for _, en := range entries {
		mark, text, src := " ", "", ""
		var pos scenario.Pos
		if en.Date != nil {
			text, pos = en.Date.String(), en.Date.Pos
			src = en.Date.Source
			if en.Date.Confidence != "" {
				src += " [" + en.Date.Confidence + "]"
			}
		} else {
			text, pos = en.Value.Text, en.Value.Pos
			src = en.Value.Source
			if en.Value.Confidence != "" {
				src += " [" + en.Value.Confidence + "]"
			}
		}
		if sc.Overridden(pos) {
			mark = "*"
		}
		if strings.TrimSpace(src) == "" {
			src = "set at " + pos.String()
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\n", mark, en.Path, text, src)
	}
	return tw.Flush()
}

func showSources(w io.Writer, sc *scenario.Scenario, entries []scenario.Entry) error {
	for _, conf := range append(append([]string{}, scenario.Confidences...), "") {
		title := conf
		if conf == "" {
			title = "no source given"
		}
		var lines []string
		for _, en := range entries {
			text, src, c, pos := "", "", "", scenario.Pos{}
			if en.Date != nil {
				text, src, c, pos = en.Date.String(), en.Date.Source, en.Date.Confidence, en.Date.Pos
			} else {
				text, src, c, pos = en.Value.Text, en.Value.Source, en.Value.Confidence, en.Value.Pos
			}
			if c != conf {
				continue
			}
			if src == "" {
				src = "set at " + pos.String()
			}
			lines = append(lines, fmt.Sprintf("  %s = %s: %s", en.Path, text, src))
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%d)\n%s\n\n", title, len(lines), strings.Join(lines, "\n"))
	}
	return nil
}
