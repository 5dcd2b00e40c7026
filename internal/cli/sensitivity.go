package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/sensitivity"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

func (e *env) sensitivityCommand() *cobra.Command {
	var (
		workers int
		asJSON  bool
		htmlOut string
		tables  tableOutputs
	)
	cmd := &cobra.Command{
		Use:   "sensitivity [SCENARIO]",
		Short: "Which uncertain inputs move the target-rate (1 GW/week) date most (a tornado table)",
		Long: `Set each value SCENARIO writes as a distribution to its P10 and then its
P90, every other value at its median, and print how far each moves the week
the target rate (target.rate, 1 GW/week in the reference) is first reached
and sustained, largest swing first. Events are left out, as in "gwf run".
When no run reaches the target rate, inputs are ranked by the IT capacity
online at the end of the horizon instead.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if workers < 0 {
				return usageError{fmt.Errorf("--workers %d: want 0 (one per CPU) or more", workers)}
			}
			if err := tables.check(); err != nil {
				return err
			}
			sc, err := e.load(args)
			if err != nil {
				return err
			}
			n := len(sc.UncertainValues())
			if n == 0 {
				return usageError{fmt.Errorf("scenario %q has no values written as distributions: nothing to vary (see docs/montecarlo.md)", sc.Name)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			bar := e.progress(1+2*n, "runs")
			res, err := sensitivity.Run(ctx, sc, workers, bar.setOf)
			bar.finish()
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted: a tornado needs every run, nothing to show")
			}
			if err != nil {
				return err
			}
			if htmlOut != "" {
				m, err := sim.Compile(sc)
				if err != nil {
					return err
				}
				r := sim.Run(m, sim.NewController())
				if err := writeFileAtomic(htmlOut, func(w io.Writer) error { return report.HTMLWithTornado(w, sc, r, summary.Of(r), res) }); err != nil {
					return err
				}
			}
			doc := export.BuildSensitivity(res)
			if tables.any() {
				err := tables.write(export.SensitivityTables(doc), func() *export.Workbook {
					var text strings.Builder
					_ = report.SensitivityText(&text, res)
					return export.TablesWorkbook(fmt.Sprintf("gwf sensitivity — scenario %q, gwf %s", doc.Scenario, doc.Version), text.String(), export.SensitivityTables(doc))
				})
				if err != nil {
					return err
				}
			}
			if asJSON {
				return export.WriteSensitivity(e.stdout, doc)
			}
			return report.SensitivityText(e.stdout, res)
		},
	}
	cmd.Flags().IntVar(&workers, "workers", 0, "runs at once (default: one per CPU); never changes the results")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tornado as one JSON object")
	cmd.Flags().StringVar(&htmlOut, "report", "", "write an HTML report to `FILE`: the tornado chart, then the run at the medians")
	tables.addFlags(cmd)
	return cmd
}
