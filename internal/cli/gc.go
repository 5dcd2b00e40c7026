package cli

import (
	"runtime/debug"

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/scenario"
)

// The garbage collector's pace, set per command: the default suits the
// server; a study of many runs and a single run each have their own.

// batchGC sets the garbage collector for a study of many short runs: the
// default pace (the heap grows to twice its live data between
// collections) within a soft limit of 120 MB. Runs reuse their state and
// allocate little (a compiled model each), so collecting at the default
// pace costs no measurable time, and the heap stays near 80 MB where a
// looser pace (400%, as before runs reused their state) let it reach
// 130–170 MB for nothing. It returns a function restoring the settings.
func batchGC() func() {
	gc := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(120 << 20)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// oneRunGC sets the garbage collector for a command that reads one
// scenario, makes one run and exits (gwf run, gwf why). A run the size of
// the reference allocates a few tens of MB that stay live until the
// process ends, so collecting each time the heap doubles is work thrown
// away: letting it grow four times over (400%) takes about a fifth off
// gwf run's wall time for about 10 MB more memory. A soft limit of 256 MB
// keeps the heap near its live data however large the scenario being
// read; once it is read, fit puts the default pace back for a run
// estimated over oneRunLoose project-weeks, whose live data could come
// near the limit. restore puts back the settings found.
func oneRunGC() *gcPace {
	return &gcPace{gc: debug.SetGCPercent(400), limit: debug.SetMemoryLimit(256 << 20)}
}

// oneRunLoose is the largest run, in project-weeks, that oneRunGC's pace
// is kept for: about 20 times the reference, some 50 MB of live data.
const oneRunLoose = 20_000_000

// gcPace is the garbage collector's settings before a command changed
// them.
type gcPace struct {
	gc    int
	limit int64
}

// fit puts the settings found back for a run of sc too large for a loose
// pace.
func (g *gcPace) fit(sc *scenario.Scenario) {
	if budget.Estimate(sc).ProjectWeeks() > oneRunLoose {
		g.restore()
	}
}

func (g *gcPace) restore() {
	debug.SetGCPercent(g.gc)
	debug.SetMemoryLimit(g.limit)
}
