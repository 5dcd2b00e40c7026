package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/safefile"
	gwfplan "github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

func (e *env) runCommand() *cobra.Command {
	var (
		asJSON bool
		csvDir string
		seed   int64
		html   string
		plan   string
		tables tableOutputs
	)
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run one simulation and summarise it (the reference scenario by default)",
		Long: `Run one deterministic simulation of SCENARIO (a YAML file, or "reference",
the default) and print when the factory reaches 1 GW/week, when 1, 10 and
100 GW are online, the binding constraint by quarter and the largest
shortfalls. --json prints the full result for programs; --csv DIR writes the
weekly series and the project log; --report FILE writes a self-contained HTML
report with charts that opens offline in any browser. --plan FILE follows
a plan written by gwf plan --out instead of the built-in policy and adds
planned vs simulated MW online to the text.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := tables.check(); err != nil {
				return err
			}
			pace := oneRunGC()
			defer pace.restore()
			sc, err := e.load(args)
			if err != nil {
				return err
			}
			pace.fit(sc)
			if cmd.Flags().Changed("seed") {
				sc.Seed = seed
			}
			m, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			var pol sim.Policy = sim.NewController()
			var pl *gwfplan.Plan
			if plan != "" {
				if pl, err = loadPlanFor(plan, m); err != nil {
					return err
				}
				pol = gwfplan.NewFollower(pl)
			}
			res := sim.Run(m, pol)
			if len(res.Invariants) > 0 {
				return fmt.Errorf("the run broke a conservation law (a bug in gwf): %s", res.Invariants[0])
			}
			sum := summary.Of(res)
			if csvDir != "" {
				if err := writeCSV(csvDir, res); err != nil {
					return err
				}
			}
			if html != "" {
				write := func(w io.Writer) error { return report.HTML(w, sc, res, sum) }
				if pl != nil {
					write = func(w io.Writer) error { return report.PlanHTML(w, sc, res, sum, pl) }
				}
				if err := writeFileAtomic(html, write); err != nil {
					return err
				}
			}
			text := func() error {
				if err := report.Text(e.stdout, sc, res, sum); err != nil || pl == nil {
					return err
				}
				return report.PlanVsSimText(e.stdout, pl, res)
			}
			if !asJSON && !tables.any() {
				return text() // the text alone needs no export document
			}
			doc := export.Build(res, sum)
			if pl != nil {
				doc.PlanVsSimulated = pl.Compare(res)
			}
			if tables.any() {
				err := tables.write(export.RunTables(doc), func() *export.Workbook {
					var text strings.Builder
					if report.Text(&text, sc, res, sum) == nil && pl != nil {
						_ = report.PlanVsSimText(&text, pl, res)
					}
					return export.RunWorkbook(doc, text.String())
				})
				if err != nil {
					return err
				}
			}
			if asJSON {
				return export.WriteRun(e.stdout, doc)
			}
			return text()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as one JSON object")
	cmd.Flags().StringVar(&csvDir, "csv", "", "write weekly.csv and projects.csv into `DIR` (created if missing)")
	cmd.Flags().Int64Var(&seed, "seed", 0, "override the scenario's seed")
	cmd.Flags().StringVar(&html, "report", "", "write a self-contained HTML report with charts to `FILE`")
	cmd.Flags().StringVar(&plan, "plan", "", "follow the plan in `FILE` (written by gwf plan --out) instead of the built-in policy")
	tables.addFlags(cmd)
	return cmd
}

func writeCSV(dir string, res *sim.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating CSV directory: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, export.WeeklyCSVName), func(w io.Writer) error { return export.WriteWeeklyCSV(w, res) }); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, export.ProjectsCSVName), func(w io.Writer) error { return export.WriteProjectsCSV(w, res) }); err != nil {
		return err
	}
	if len(res.Model.Missions) == 0 {
		return nil
	}
	return writeFileAtomic(filepath.Join(dir, export.AllocationCSVName), func(w io.Writer) error { return export.WriteAllocationCSV(w, res) })
}

// writeFileAtomic writes path through a temporary file in the same
// directory, renamed into place only when complete, so a failure never
// leaves a partial file behind. A symbolic link is written through; a
// directory, device or pipe is refused (exit code 2).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if err := safefile.WriteFile(path, write); err != nil {
		if errors.Is(err, safefile.ErrNotRegular) {
			return usageError{err}
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
