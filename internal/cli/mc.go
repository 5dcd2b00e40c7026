package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/mc"
	gwfplan "github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

func (e *env) mcCommand() *cobra.Command {
	var (
		runs, workers int
		seed          int64
		asJSON        bool
		htmlOut       string
		planFile      string
		tables        tableOutputs
	)
	cmd := &cobra.Command{
		Use:   "mc [SCENARIO]",
		Short: "Monte Carlo: how sure is the 1 GW/week date? (P10/P50/P90 over many runs)",
		Long: `Run SCENARIO (the reference by default) many times, each run drawing every
value written as a distribution and the scenario's disruption events from
its own random stream, and print P10/P50/P90 of the dates the target rate
(target.rate, 1 GW/week in the reference) is reached — sustained to the end,
in a first calendar quarter, and four quarters in a row — and of the 1, 10
and 100 GW dates, the chance of reaching each rate milestone by the target
date, the constraint that binds most often each year and the runs that never
sustain the target rate. --json adds weekly P10/P50/P90 bands of MW online
and MW added.

Results depend only on the scenario, --seed and --runs, never on --workers.
A progress bar shows on a terminal. Ctrl-C stops the study and prints what
the finished runs show.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runs < 1 || runs > mc.MaxRuns {
				return usageError{fmt.Errorf("--runs %d: want 1 to %d", runs, mc.MaxRuns)}
			}
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
			if !cmd.Flags().Changed("seed") {
				seed = sc.Seed
			}
			cfg := mc.Config{Runs: runs, Seed: seed, Workers: workers}
			var pl *gwfplan.Plan
			if planFile != "" {
				m, err := sim.Compile(sc)
				if err != nil {
					return err
				}
				if pl, err = loadPlanFor(planFile, m); err != nil {
					return err
				}
				cfg.Policy = func() sim.Policy { return gwfplan.NewFollower(pl) }
				cfg.Checks = onPlanChecks(pl, m)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			bar := e.progress(runs, "runs")
			defer batchGC()()
			cfg.Progress = bar.set
			res, err := mc.Run(ctx, sc, cfg)
			bar.finish()
			stopped := errors.Is(err, context.Canceled)
			if err != nil && !stopped {
				return err
			}
			if stopped && res.Completed == 0 {
				return fmt.Errorf("interrupted before any run finished")
			}
			if htmlOut != "" && !stopped {
				if err := writeStudyReport(htmlOut, sc, res); err != nil {
					return err
				}
			}
			doc := export.BuildMC(res, pl)
			if tables.any() {
				err := tables.write(export.MCTables(doc), func() *export.Workbook {
					var text strings.Builder
					if report.MCText(&text, res) == nil && pl != nil {
						_ = report.PlanVsStudyText(&text, pl, res)
					}
					return export.MCWorkbook(doc, text.String())
				})
				if err != nil {
					return err
				}
			}
			if asJSON {
				err = export.WriteMC(e.stdout, doc)
			} else {
				err = report.MCText(e.stdout, res)
				if err == nil && pl != nil {
					err = report.PlanVsStudyText(e.stdout, pl, res)
				}
			}
			if err != nil {
				return err
			}
			if stopped {
				return fmt.Errorf("interrupted: %d of %d runs finished (the results above are theirs)", res.Completed, res.Runs)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 1000, "number of runs")
	cmd.Flags().Int64Var(&seed, "seed", 0, "seed of the study (default: the scenario's seed)")
	cmd.Flags().IntVar(&workers, "workers", 0, "runs at once (default: one per CPU); never changes the results")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results, with weekly bands, as one JSON object")
	cmd.Flags().StringVar(&planFile, "plan", "", "stress-test the plan in `FILE` (written by gwf plan --out): every run follows it instead of the built-in policy")
	cmd.Flags().StringVar(&htmlOut, "report", "", "write an HTML report to `FILE`: fan charts and milestone histograms, then the run at the medians")
	tables.addFlags(cmd)
	return cmd
}

// writeStudyReport writes the HTML report of a study: its fan charts and
// milestone histograms, then the report of the run at the medians.
func writeStudyReport(path string, sc *scenario.Scenario, res *mc.Result) error {
	m, err := sim.Compile(sc)
	if err != nil {
		return err
	}
	r := sim.Run(m, sim.NewController())
	return writeFileAtomic(path, func(w io.Writer) error { return report.HTMLWithStudy(w, sc, r, summary.Of(r), res) })
}

// progressBar draws "412/1000 runs  41% [#####-----]  205 runs/s  3s left"
// on a terminal, a few times a second; elsewhere it draws nothing.
type progressBar struct {
	w     io.Writer
	total int
	unit  string
	start time.Time
	done  atomic.Int64
	quit  chan struct{}
	wg    sync.WaitGroup
}

// progress starts a bar on stderr if stderr is a terminal; otherwise it
// returns a bar that draws nothing.
func (e *env) progress(total int, unit string) *progressBar {
	p := &progressBar{total: total, unit: unit, start: time.Now()}
	if !isTerminal(e.stderr) {
		return p
	}
	p.w, p.quit = e.stderr, make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-tick.C:
				fmt.Fprintf(p.w, "\r%s\x1b[K", p.line(time.Since(p.start)))
			}
		}
	}()
	return p
}

// set records that done units are finished; safe for concurrent use.
func (p *progressBar) set(done int) { p.done.Store(int64(done)) }

// setOf is set for callbacks that also pass the total.
func (p *progressBar) setOf(done, _ int) { p.set(done) }

// finish stops the bar, leaving a line saying what was done.
func (p *progressBar) finish() {
	if p.quit == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
	d := time.Since(p.start)
	n := p.done.Load()
	fmt.Fprintf(p.w, "\r\x1b[K%d %s in %.1f s (%.0f %s/s)\n", n, p.unit, d.Seconds(), float64(n)/d.Seconds(), p.unit)
}

// line renders the bar after elapsed time.
func (p *progressBar) line(elapsed time.Duration) string {
	done := int(p.done.Load())
	const width = 30
	fill := 0
	if p.total > 0 {
		fill = width * done / p.total
	}
	s := fmt.Sprintf("%d/%d %s %3d%% [%s%s]", done, p.total, p.unit, 100*done/max(1, p.total),
		strings.Repeat("#", fill), strings.Repeat("-", width-fill))
	if secs := elapsed.Seconds(); done > 0 && secs > 0 {
		rate := float64(done) / secs
		left := time.Duration(float64(p.total-done) / rate * float64(time.Second)).Round(time.Second)
		s += fmt.Sprintf("  %.0f %s/s  %s left", rate, p.unit, left)
	}
	return s
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
