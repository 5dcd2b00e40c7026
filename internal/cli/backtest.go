package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/backtest"
	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/report"
)

func (e *env) backtestCommand() *cobra.Command {
	var (
		asJSON, fit, show bool
		from              int
		htmlOut           string
		tables            tableOutputs
	)
	cmd := &cobra.Command{
		Use:   "backtest",
		Short: "Run gwf from 2022 or 2023 and compare it with what was recorded",
		Long: `Run the model from the AI data-centre build-out as it stood at the start of
2022 (or 2023, with --from 2023) and compare, period by period, what it builds
with recorded figures: accelerators shipped, NVIDIA data-centre revenue, IT
capacity started and brought online, capex per GW and GPU-hour prices. Each
row shows the simulated and recorded figure, the absolute and percentage
error, and whether the period was used to fit the calibrated parameters
(in-sample) or not (out-of-sample); the score is the mean absolute percentage
error of each. --fit re-runs the calibration and compares it with the
scenario's fitted values; --scenario prints the case's scenario with every
value's source. Method, data and caveats: docs/backtest.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if fit && show {
				return usageError{fmt.Errorf("--fit and --scenario cannot be used together")}
			}
			if err := tables.check(); err != nil {
				return err
			}
			c, err := backtest.CaseFor(from)
			if err != nil {
				return usageError{fmt.Errorf("--from: %w", err)}
			}
			if show {
				sc, err := c.Scenario()
				if err != nil {
					return err
				}
				return report.ScenarioText(e.stdout, sc, false)
			}
			if fit {
				refits, err := backtest.Fit(backtest.FitCase)
				if err != nil {
					return err
				}
				if asJSON {
					return jsonout.Write(e.stdout, export.Refits(refits))
				}
				return report.RefitsText(e.stdout, refits)
			}
			rep, err := backtest.Run(c)
			if err != nil {
				return err
			}
			if htmlOut != "" {
				if err := writeFileAtomic(htmlOut, func(w io.Writer) error { return report.BacktestHTML(w, rep) }); err != nil {
					return err
				}
			}
			if tables.any() {
				err := tables.write(export.BacktestTables(rep), func() *export.Workbook {
					var text strings.Builder
					_ = report.BacktestText(&text, rep)
					return export.TablesWorkbook(fmt.Sprintf("gwf backtest — case %s", rep.Case), text.String(), export.BacktestTables(rep))
				})
				if err != nil {
					return err
				}
			}
			if asJSON {
				return jsonout.Write(e.stdout, rep)
			}
			return report.BacktestText(e.stdout, rep)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as one JSON object")
	tables.addFlags(cmd)
	cmd.Flags().StringVar(&htmlOut, "report", "", "also write the simulated run's HTML report, with recorded series charted against it, to `FILE`")
	cmd.Flags().IntVar(&from, "from", 2022, "the year the run starts in: 2022 or 2023")
	cmd.Flags().BoolVar(&fit, "fit", false, "re-fit the calibrated parameters on the in-sample periods and compare with the scenario's values")
	cmd.Flags().BoolVar(&show, "scenario", false, "print the case's scenario with every value's source instead of running it")
	return cmd
}
