package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/internal/safefile"
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
	b, err := safefile.ReadFile(path, plan.MaxFileSize)
	if err != nil {
		return nil, usageError{fmt.Errorf("--plan: %w", err)}
	}
	pl, err := plan.Parse(path, b)
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

// onPlanChecks asks each run of a study following pl whether, at each
// of the calendar's year ends, it has at least the plan's MW online less
// plan.DivergenceTolerance.
func onPlanChecks(pl *plan.Plan, m *sim.Model) func(r *sim.Result) []bool {
	ends := calendar.New(m.Start).YearEnds(m.Weeks)
	return func(r *sim.Result) []bool {
		out := make([]bool, len(ends))
		for k, y := range ends {
			w := y.Week
			out[k] = w < len(r.Weeks) && r.Weeks[w].OnlineMW >= (1-plan.DivergenceTolerance)*pl.PlannedOnline(w)
		}
		return out
	}
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
