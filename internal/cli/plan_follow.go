package cli

import (
	"fmt"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/internal/safefile"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
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
