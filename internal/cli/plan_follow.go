package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// loadPlanFor reads a plan file and checks it was made for m; a plan that
// cannot be read or does not fit is a usage error (exit 2).
func loadPlanFor(path string, m *sim.Model) (*plan.Plan, error) {
	pl, err := plan.Load(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--plan: %w", err)}
	}
	if err := plan.Check(pl, m); err != nil {
		return nil, usageError{fmt.Errorf("--plan %s: %w", path, err)}
	}
	return pl, nil
}

// writePlanVsSim prints the plan's MW online against the run's at each
// year end and at the end of the horizon, capex by year, and the first
// divergence beyond the tolerance (plan.Compare).
func writePlanVsSim(w io.Writer, pl *plan.Plan, res *sim.Result) error {
	c := pl.Compare(res)
	var b strings.Builder
	b.WriteString("\nPlan vs simulated (MW online, following the plan):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if pl.Capital {
		fmt.Fprintln(tw, "at\tplanned\tsimulated\tdifference\tdebt planned\tdebt simulated\t")
	} else {
		fmt.Fprintln(tw, "at\tplanned\tsimulated\tdifference\t")
	}
	for _, y := range c.Online {
		if pl.Capital {
			fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%+.0f\t%s\t%s\t\n", y.At, y.PlannedMW, y.SimulatedMW, y.SimulatedMW-y.PlannedMW, units.FormatUSD(y.PlannedDebtUSD), units.FormatUSD(y.SimulatedDebtUSD))
			continue
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%+.0f\t\n", y.At, y.PlannedMW, y.SimulatedMW, y.SimulatedMW-y.PlannedMW)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := len(res.Weeks); n > 0 {
		fmt.Fprintf(&b, "Projects of %s; MW started: %s simulated.\n", units.FormatMW(res.Model.SizeMW), units.FormatMW(res.Weeks[n-1].StartedMW))
	}
	if d := c.First; d != nil {
		fmt.Fprintf(&b, "Warning: the simulation differs from the plan by more than %.0f%% first at %s (%+.1f%%): %s.\n", 100*c.Tolerance, d.At, 100*d.DiffShare, d.Cause)
	} else {
		fmt.Fprintf(&b, "The simulation stays within %.0f%% of the plan's MW online at every year end.\n", 100*c.Tolerance)
	}
	writeCapexVsSim(&b, c.Capex)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCapexVsSim prints the plan's capex against the run's, undiscounted,
// by calendar year (plan.CompareCapex).
func writeCapexVsSim(b *strings.Builder, years []plan.CapexYear) {
	if len(years) == 0 {
		return
	}
	b.WriteString("\nCapex by year, undiscounted (the plan's new MW and expansions plus the committed pipeline's, against the simulation's):\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "year\tplanned\tsimulated\tdifference\t")
	for _, y := range years {
		d := "—"
		if y.PlanUSD != 0 {
			d = units.FormatNumber(100*(y.SimUSD-y.PlanUSD)/y.PlanUSD, 1) + "%"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\n", y.Year, units.FormatUSD(y.PlanUSD), units.FormatUSD(y.SimUSD), d)
	}
	_ = tw.Flush()
}

// planYearEnds is the last week of each calendar year of a horizon of n
// weeks from start, and its last week, with their labels: where a study
// following a plan is compared with it.
func planYearEnds(start time.Time, n int) (weeks []int, labels []string) {
	date := func(wk int) time.Time { return start.AddDate(0, 0, 7*wk) }
	for i := 0; i+1 < n; i++ {
		if date(i).Year() != date(i+1).Year() {
			weeks, labels = append(weeks, i), append(labels, fmt.Sprintf("end %d", date(i).Year()))
		}
	}
	if n > 0 {
		weeks, labels = append(weeks, n-1), append(labels, "end ("+date(n-1).Format(time.DateOnly)+")")
	}
	return weeks, labels
}

// onPlanChecks asks each run of a study following pl whether, at each
// of planYearEnds, it has at least the plan's MW online less
// plan.DivergenceTolerance.
func onPlanChecks(pl *plan.Plan, m *sim.Model) func(r *sim.Result) []bool {
	weeks, _ := planYearEnds(m.Start, m.Weeks)
	return func(r *sim.Result) []bool {
		out := make([]bool, len(weeks))
		for k, w := range weeks {
			out[k] = w < len(r.Weeks) && r.Weeks[w].OnlineMW >= (1-plan.DivergenceTolerance)*pl.PlannedOnline(w)
		}
		return out
	}
}

// writePlanVsStudy prints the plan's MW online against the study's
// P10/P50/P90 at each year end and at the end of the horizon, and the
// share of runs on plan then (at least the plan's MW less the
// divergence tolerance).
func writePlanVsStudy(w io.Writer, pl *plan.Plan, res *mc.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nPlan vs simulated (MW online, every run following the plan; on plan: runs with at least the plan's MW less %.0f%%):\n", 100*plan.DivergenceTolerance)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "at\tplanned\tP10\tP50\tP90\ton plan\t")
	weeks, labels := planYearEnds(res.Start, len(res.Online))
	for k, wk := range weeks {
		o := res.Online[wk]
		on := "—"
		if k < len(res.Checks) && res.Completed > 0 {
			on = units.FormatNumber(100*float64(res.Checks[k])/float64(res.Completed), 1) + "%"
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t\n", labels[k], pl.PlannedOnline(wk), o.P10, o.P50, o.P90, on)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// planReport writes the HTML report of a run that followed pl, with the
// plan's MW online and MW online per week charted against the run's.
func planReport(w io.Writer, sc *scenario.Scenario, res *sim.Result, sum *summary.Summary, pl *plan.Plan) error {
	n := len(res.Weeks)
	online := report.Comparison{Name: "IT capacity online", Unit: "MW"}
	for wk := 0; wk < n; wk++ {
		online.Weeks = append(online.Weeks, wk)
		online.Recorded = append(online.Recorded, pl.PlannedOnline(wk))
		online.Simulated = append(online.Simulated, res.Weeks[wk].OnlineMW)
	}
	caption := fmt.Sprintf("The plan's IT capacity online (solid) against the simulation that followed it (dashed), week by week. At the end: %s planned, %s simulated.",
		units.FormatMW(pl.PlannedOnline(n-1)), units.FormatMW(res.Weeks[n-1].OnlineMW))
	return report.HTMLWithPlan(w, sc, res, sum, caption, []report.Comparison{online})
}
