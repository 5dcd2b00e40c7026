// Package budget bounds the work a run may take, estimated from its
// scenario before anything runs, so that neither the CLI nor the server
// starts a simulation that would take minutes and gigabytes.
//
// The engine's work grows with the projects it tracks times the weeks it
// steps: a 50-year horizon of 1 MW campuses at 1 GW/week is some 2.6
// million projects over 2,609 weeks. Estimate bounds the projects by the
// most the target ramp can start (the larger of the initial and final
// target rate × the horizon ÷ the campus size, plus the projects under way
// at the start); Check compares projects × weeks with a limit.
package budget

import (
	"fmt"
	"math"

	"github.com/gwf-project/gwf/scenario"
)

// Limits in project-weeks. The reference scenario is about 1.1 million;
// 100 million takes about half a second and 150 MB.
const (
	// ServerRun bounds one run requested over HTTP.
	ServerRun = 100_000_000
	// ServerStudy bounds a Monte Carlo job over HTTP: runs × one run's work.
	ServerStudy = 20_000_000_000
	// CLIRun bounds one run started from the command line (about 10 s).
	CLIRun = 2_000_000_000
)

// Work is the estimated size of one run.
type Work struct {
	Projects float64 // projects the run may track
	Weeks    float64 // weeks it steps
}

// ProjectWeeks is Projects × Weeks.
func (w Work) ProjectWeeks() float64 { return w.Projects * w.Weeks }

// Estimate returns the work of one run of sc.
func Estimate(sc *scenario.Scenario) Work {
	weeks := math.Max(1, sc.Horizon.V)
	rate := math.Max(sc.Target.Rate.V, sc.Target.InitialRate.V) // MW/week
	size := math.Max(1, sc.Project.Size.V)                      // MW
	projects := math.Ceil(rate*weeks/size) + float64(len(sc.Initial.Projects))
	return Work{Projects: projects, Weeks: weeks}
}

// Error is a run (or study) over its budget.
type Error struct {
	Work  Work
	Runs  int     // runs in a study; 0 or 1 for one run
	Limit float64 // project-weeks allowed
}

func (e *Error) Error() string {
	what := "run"
	total := e.Work.ProjectWeeks()
	runs, fewer := "", ""
	if e.Runs > 1 {
		fewer = " or fewer runs"
		what = "study"
		total *= float64(e.Runs)
		runs = fmt.Sprintf(" × %d runs", e.Runs)
	}
	return fmt.Sprintf("%s too large to start: about %.0f projects × %.0f weeks%s = %s project-weeks, over the budget of %s "+
		"(want a shorter horizon, a larger project.size, a lower target.rate%s)",
		what, e.Work.Projects, e.Work.Weeks, runs, short(total), short(e.Limit), fewer)
}

// short prints a large count briefly: 6.8e+09 → "6.8 billion".
func short(x float64) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.3g billion", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.3g million", x/1e6)
	default:
		return fmt.Sprintf("%.0f", x)
	}
}

// Check returns an *Error when runs runs of sc (1 for a single run) would
// exceed limit project-weeks.
func Check(sc *scenario.Scenario, runs int, limit float64) error {
	w := Estimate(sc)
	if float64(max(runs, 1))*w.ProjectWeeks() > limit {
		return &Error{Work: w, Runs: runs, Limit: limit}
	}
	return nil
}
