package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/version"
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
			if asJSON {
				err = writeMCJSON(e.stdout, sc, res, pl)
			} else {
				err = writeMCText(e.stdout, sc, res)
				if err == nil && pl != nil {
					err = writePlanVsStudy(e.stdout, pl, res)
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

// weekText is "2030-01-21 (week 212)", or "not reached" for -1.
func weekText(res *mc.Result, w int) string {
	if w < 0 {
		return "not reached"
	}
	return fmt.Sprintf("%s (week %d)", res.Start.AddDate(0, 0, 7*w).Format(time.DateOnly), w)
}

func percent(n, of int) string {
	if of == 0 {
		return "–"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

func sharesText(ls []mc.LineShare) string {
	if len(ls) == 0 {
		return "nothing binding"
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%s %.0f%%", l.Line, 100*l.Share)
	}
	return strings.Join(parts, ", ")
}

func writeMCText(w io.Writer, sc *scenario.Scenario, res *mc.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "gwf mc — scenario %q, %s runs, seed %d\n", res.Scenario, groupDigits(res.Completed), res.Seed)
	if res.Completed < res.Runs {
		fmt.Fprintf(&b, "Interrupted: %s of %s runs finished; the figures below are theirs.\n", groupDigits(res.Completed), groupDigits(res.Runs))
	}
	fmt.Fprintf(&b, "Each run draws %d uncertain input%s; %d disruption event%s may happen.\n",
		res.Inputs, plural(res.Inputs), res.Events, plural(res.Events))
	if res.Inputs == 0 && res.Events == 0 {
		b.WriteString("The scenario has no distributions or events: every run is the same.\n")
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "Milestone\tP10\tP50\tP90\treached in")
	for _, m := range append([]mc.Milestone{res.GWPerWeek, res.FirstQuarter, res.FourQuarters}, res.OnlineGW...) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s of runs\n", m.Label, weekText(res, m.P10), weekText(res, m.P50), weekText(res, m.P90), percent(m.Reached, res.Completed))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	rate := summary.RateLabel(res.RateMW)
	if sc.Target.By.Set {
		fmt.Fprintf(&b, "\n%s by the target date %s: %s of runs.\n", rate, sc.Target.By, percent(res.ByTarget, res.Completed))
		fmt.Fprintf(&b, "First quarter at %s by the target date: %s of runs.\n", rate, percent(res.FirstQuarterByTarget, res.Completed))
		fmt.Fprintf(&b, "Four quarters in a row at %s, starting by the target date: %s of runs.\n", rate, percent(res.FourQuartersByTarget, res.Completed))
	}
	b.WriteString("\nBinding constraint by year (share of the year's weeks over all runs; in the rest nothing held capacity back)\n")
	for _, y := range res.Years {
		fmt.Fprintf(&b, "  %d  %s\n", y.Year, sharesText(y.Binding))
	}
	b.WriteString("\n")
	if res.Never.Runs == 0 {
		fmt.Fprintf(&b, "Every run reaches %s within the horizon.\n", rate)
	} else {
		ex := make([]string, len(res.Never.Examples))
		for i, r := range res.Never.Examples {
			ex[i] = strconv.Itoa(r)
		}
		fmt.Fprintf(&b, "Never reach %s: %s of %s runs (%s), e.g. runs %s\n", rate, groupDigits(res.Never.Runs), groupDigits(res.Completed), percent(res.Never.Runs, res.Completed), strings.Join(ex, ", "))
		fmt.Fprintf(&b, "  binding in their last year: %s\n", sharesText(res.Never.Short))
	}
	if res.BandsExact {
		b.WriteString("\nWeekly bands (--json) are exact.\n")
	} else {
		fmt.Fprintf(&b, "\nWeekly bands (--json) are within %s%% of the exact quantiles.\n", strconv.FormatFloat(100*mc.RelativeError, 'f', -1, 64))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// groupDigits prints n with thousands separators: 10,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// The JSON form of a Monte Carlo study.
type (
	mcJSON struct {
		Scenario        string           `json:"scenario"`
		Seed            int64            `json:"seed"`
		Version         string           `json:"gwf_version"`
		Runs            int              `json:"runs"`
		Completed       int              `json:"completed"`
		HorizonWeeks    int              `json:"horizon_weeks"`
		StartDate       string           `json:"start_date"`
		UncertainInputs int              `json:"uncertain_inputs"`
		Events          int              `json:"events"`
		Milestones      mcMilestonesJSON `json:"milestones"`
		ByTarget        *mcTargetJSON    `json:"by_target"`
		Binding         []mcYearJSON     `json:"binding_by_year"`
		Never           mcNeverJSON      `json:"never_reach_gw_per_week"`
		Bands           mcBandsJSON      `json:"bands"`
		Weekly          []mcWeekJSON     `json:"weekly"`
		// PlanVsSimulated is, with --plan, the plan's MW online against the
		// study's bands at each year end, and the share of runs on plan.
		PlanVsSimulated []mcPlanYearJSON `json:"plan_vs_simulated,omitempty"`
	}
	mcPlanYearJSON struct {
		At        string     `json:"at"`
		Week      int        `json:"week"`
		PlannedMW export.Num `json:"planned_mw"`
		OnlineMW  mcBandJSON `json:"online_mw"`
		// OnPlan is the share of runs with at least the plan's MW online
		// less the tolerance.
		OnPlan    export.Num `json:"on_plan_share"`
		Tolerance export.Num `json:"tolerance"`
	}
	mcMilestonesJSON struct {
		// RateMW is the target rate the rate milestones test.
		RateMW       export.Num                 `json:"rate_mw_per_week"`
		GWPerWeek    mcMilestoneJSON            `json:"gw_per_week"`
		FirstQuarter mcMilestoneJSON            `json:"first_quarter_at_target_rate"`
		FourQuarters mcMilestoneJSON            `json:"four_quarters_at_target_rate"`
		OnlineGW     map[string]mcMilestoneJSON `json:"online_gw"`
	}
	mcMilestoneJSON struct {
		Reached int               `json:"reached"`
		Share   export.Num        `json:"share"`
		P10     *export.Milestone `json:"p10"`
		P50     *export.Milestone `json:"p50"`
		P90     *export.Milestone `json:"p90"`
	}
	// mcTargetJSON gives the runs reaching each rate milestone by the
	// target date: Runs and Share the strict (gw_per_week) one.
	mcTargetJSON struct {
		Date         string      `json:"date"`
		Runs         int         `json:"runs"`
		Share        export.Num  `json:"share"`
		FirstQuarter mcCountJSON `json:"first_quarter_at_target_rate"`
		FourQuarters mcCountJSON `json:"four_quarters_at_target_rate"`
	}
	mcCountJSON struct {
		Runs  int        `json:"runs"`
		Share export.Num `json:"share"`
	}
	mcYearJSON struct {
		Year  int           `json:"year"`
		Lines []mcShareJSON `json:"lines"`
	}
	mcShareJSON struct {
		Line  string     `json:"line"`
		Share export.Num `json:"share"`
	}
	mcNeverJSON struct {
		Runs     int           `json:"runs"`
		Share    export.Num    `json:"share"`
		Examples []int         `json:"examples"`
		Binding  []mcShareJSON `json:"binding_last_year"`
	}
	mcBandsJSON struct {
		Exact         bool       `json:"exact"`
		RelativeError export.Num `json:"relative_error"`
	}
	mcWeekJSON struct {
		Week     int        `json:"week"`
		Date     string     `json:"date"`
		OnlineMW mcBandJSON `json:"online_mw"`
		AddedMW  mcBandJSON `json:"added_mw"`
	}
	mcBandJSON struct {
		P10 export.Num `json:"p10"`
		P50 export.Num `json:"p50"`
		P90 export.Num `json:"p90"`
	}
)

func writeMCJSON(w io.Writer, sc *scenario.Scenario, res *mc.Result, pl *gwfplan.Plan) error {
	date := func(wk int) string { return res.Start.AddDate(0, 0, 7*wk).Format(time.DateOnly) }
	share := func(n int) export.Num {
		if res.Completed == 0 {
			return 0
		}
		return export.Num(float64(n) / float64(res.Completed))
	}
	at := func(wk int) *export.Milestone {
		if wk < 0 {
			return nil
		}
		return &export.Milestone{Week: wk, Date: date(wk)}
	}
	milestone := func(m mc.Milestone) mcMilestoneJSON {
		return mcMilestoneJSON{Reached: m.Reached, Share: share(m.Reached), P10: at(m.P10), P50: at(m.P50), P90: at(m.P90)}
	}
	shares := func(ls []mc.LineShare) []mcShareJSON {
		out := []mcShareJSON{}
		for _, l := range ls {
			out = append(out, mcShareJSON{Line: l.Line, Share: export.Num(l.Share)})
		}
		return out
	}
	out := mcJSON{
		Scenario: res.Scenario, Seed: res.Seed, Version: version.Version,
		Runs: res.Runs, Completed: res.Completed,
		HorizonWeeks: res.Weeks, StartDate: res.Start.Format(time.DateOnly),
		UncertainInputs: res.Inputs, Events: res.Events,
		Milestones: mcMilestonesJSON{RateMW: export.Num(res.RateMW), GWPerWeek: milestone(res.GWPerWeek),
			FirstQuarter: milestone(res.FirstQuarter), FourQuarters: milestone(res.FourQuarters), OnlineGW: map[string]mcMilestoneJSON{}},
		Binding: []mcYearJSON{},
		Never: mcNeverJSON{Runs: res.Never.Runs, Share: share(res.Never.Runs),
			Examples: append([]int{}, res.Never.Examples...), Binding: shares(res.Never.Short)},
		Bands:  mcBandsJSON{Exact: res.BandsExact},
		Weekly: make([]mcWeekJSON, len(res.Online)),
	}
	if !res.BandsExact {
		out.Bands.RelativeError = mc.RelativeError
	}
	for i, m := range res.OnlineGW {
		out.Milestones.OnlineGW[strconv.Itoa(summary.OnlineMilestonesGW[i])] = milestone(m)
	}
	if sc.Target.By.Set {
		out.ByTarget = &mcTargetJSON{Date: sc.Target.By.String(), Runs: res.ByTarget, Share: share(res.ByTarget),
			FirstQuarter: mcCountJSON{Runs: res.FirstQuarterByTarget, Share: share(res.FirstQuarterByTarget)},
			FourQuarters: mcCountJSON{Runs: res.FourQuartersByTarget, Share: share(res.FourQuartersByTarget)}}
	}
	for _, y := range res.Years {
		out.Binding = append(out.Binding, mcYearJSON{Year: y.Year, Lines: shares(y.Binding)})
	}
	band := func(b mc.Band) mcBandJSON {
		return mcBandJSON{P10: export.Num(b.P10), P50: export.Num(b.P50), P90: export.Num(b.P90)}
	}
	for wk := range res.Online {
		out.Weekly[wk] = mcWeekJSON{Week: wk, Date: date(wk), OnlineMW: band(res.Online[wk]), AddedMW: band(res.Added[wk])}
	}
	if pl != nil {
		weeks, labels := planYearEnds(res.Start, len(res.Online))
		for k, wk := range weeks {
			y := mcPlanYearJSON{At: labels[k], Week: wk, PlannedMW: export.Num(pl.PlannedOnline(wk)), OnlineMW: band(res.Online[wk]), Tolerance: export.Num(gwfplan.DivergenceTolerance)}
			if k < len(res.Checks) {
				y.OnPlan = share(res.Checks[k])
			}
			out.PlanVsSimulated = append(out.PlanVsSimulated, y)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
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

// batchGC tunes the garbage collector for a study of many short runs: it
// lets the heap grow four times past live data between collections (runs
// allocate and drop their state quickly), within a soft limit of 180 MB so
// memory stays bounded. It returns a function restoring the settings.
func batchGC() func() {
	gc := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(180 << 20)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}
