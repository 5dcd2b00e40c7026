package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
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
// year end and at the end of the horizon.
func writePlanVsSim(w io.Writer, pl *plan.Plan, res *sim.Result) error {
	var b strings.Builder
	b.WriteString("\nPlan vs simulated (MW online, following the plan):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "at\tplanned\tsimulated\tdifference\t")
	row := func(label string, wk int) {
		p, s := pl.PlannedOnline(wk), res.Weeks[wk].OnlineMW
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%+.0f\t\n", label, p, s, s-p)
	}
	n := len(res.Weeks)
	for i := 0; i+1 < n; i++ {
		if res.Weeks[i].Date.Year() != res.Weeks[i+1].Date.Year() {
			row(fmt.Sprintf("end %d", res.Weeks[i].Date.Year()), i)
		}
	}
	if n > 0 {
		row("end ("+res.Weeks[n-1].Date.Format("2006-01-02")+")", n-1)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(&b, "Projects of %s; MW started: %s simulated.\n", units.FormatMW(res.Model.SizeMW), units.FormatMW(res.Weeks[n-1].StartedMW))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writePlanVsStudy prints the plan's MW online against the study's
// P10/P50/P90 at each year end and at the end of the horizon.
func writePlanVsStudy(w io.Writer, pl *plan.Plan, res *mc.Result) error {
	var b strings.Builder
	b.WriteString("\nPlan vs simulated (MW online, every run following the plan):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "at\tplanned\tP10\tP50\tP90\t")
	row := func(label string, wk int) {
		o := res.Online[wk]
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t\n", label, pl.PlannedOnline(wk), o.P10, o.P50, o.P90)
	}
	n := len(res.Online)
	date := func(wk int) time.Time { return res.Start.AddDate(0, 0, 7*wk) }
	for i := 0; i+1 < n; i++ {
		if date(i).Year() != date(i+1).Year() {
			row(fmt.Sprintf("end %d", date(i).Year()), i)
		}
	}
	if n > 0 {
		row("end ("+date(n-1).Format(time.DateOnly)+")", n-1)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
