package cli

import (
	"fmt"
	"io"

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
