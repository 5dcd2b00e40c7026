package plan

import (
	"fmt"
	"math"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/sim"
)

// DivergenceTolerance is how far the simulation following a plan may be
// from the plan's MW online at a year end, as a share of the plan's,
// before Compare names it a divergence.
const DivergenceTolerance = 0.10

// OnlineYear is the plan's MW online against a simulation's at one year
// end (or the horizon's last week).
type OnlineYear struct {
	At          string  `json:"at" yaml:"at"` // "end 2028", or "end (2035-12-17)"
	Week        int     `json:"week" yaml:"week"`
	PlannedMW   float64 `json:"planned_mw" yaml:"planned_mw"`
	SimulatedMW float64 `json:"simulated_mw" yaml:"simulated_mw"`
	// DiffShare is (simulated − planned) / planned, or 0 when nothing is
	// planned.
	DiffShare float64 `json:"diff_share" yaml:"diff_share"`
	// Debt outstanding then, the committed pipeline's included, in the
	// plan and in the run, when capital is in the plan.
	PlannedDebtUSD   float64 `json:"planned_debt_usd,omitempty" yaml:"planned_debt_usd,omitempty"`
	SimulatedDebtUSD float64 `json:"simulated_debt_usd,omitempty" yaml:"simulated_debt_usd,omitempty"`
}

// Divergence is the first year end at which the simulation is further
// from the plan than DivergenceTolerance, and its likely cause.
type Divergence struct {
	OnlineYear
	// Cause says why: the line that held the simulation back most over
	// the weeks since the previous year end, when the simulation is
	// behind; that it ran ahead, when it is ahead.
	Cause string `json:"cause" yaml:"cause"`
	// Line is that line ("" when the simulation ran ahead), and
	// HeldBackMWWeeks the MW it held back summed over those weeks.
	Line            string  `json:"line,omitempty" yaml:"line,omitempty"`
	HeldBackMWWeeks float64 `json:"held_back_mw_weeks,omitempty" yaml:"held_back_mw_weeks,omitempty"`
}

// Comparison is a plan against a simulation that followed it: MW online
// at each year end, capex by year, and the first divergence beyond the
// tolerance (nil when there is none).
type Comparison struct {
	Tolerance float64      `json:"tolerance" yaml:"tolerance"`
	Online    []OnlineYear `json:"online" yaml:"online"`
	Capex     []CapexYear  `json:"capex_by_year" yaml:"capex_by_year"`
	First     *Divergence  `json:"first_divergence" yaml:"first_divergence"`
}

// Compare sets r, a run that followed pl, against it.
func (pl *Plan) Compare(r *sim.Result) *Comparison {
	c := &Comparison{Tolerance: DivergenceTolerance, Capex: pl.CompareCapex(r)}
	n := len(r.Weeks)
	add := func(at string, w int) {
		y := OnlineYear{At: at, Week: w, PlannedMW: pl.PlannedOnline(w), SimulatedMW: r.Weeks[w].OnlineMW}
		if pl.Capital {
			y.PlannedDebtUSD, y.SimulatedDebtUSD = pl.DebtAt(w), r.Weeks[w].DebtUSD
		}
		if y.PlannedMW > 0 {
			y.DiffShare = (y.SimulatedMW - y.PlannedMW) / y.PlannedMW
		}
		c.Online = append(c.Online, y)
	}
	for _, e := range calendar.New(r.Model.Start).YearEnds(n) {
		add(e.Label, e.Week)
	}
	from := 0
	for _, y := range c.Online {
		if math.Abs(y.DiffShare) > DivergenceTolerance {
			c.First = divergence(r, y, from)
			break
		}
		from = y.Week + 1
	}
	return c
}

// divergence explains y from the weeks from..y.Week of r.
func divergence(r *sim.Result, y OnlineYear, from int) *Divergence {
	d := &Divergence{OnlineYear: y}
	if y.DiffShare > 0 {
		d.Cause = "the simulation ran ahead of the plan: projects came online before their planned period"
		return d
	}
	best, sum := -1, 0.0
	for l := range r.Model.Lines {
		s := 0.0
		for w := from; w <= y.Week; w++ {
			s += r.HeldBackMW(w, l)
		}
		if s > sum {
			best, sum = l, s
		}
	}
	if best < 0 {
		d.Cause = "the simulation fell behind the plan with nothing held back: projects came online after their planned period"
		return d
	}
	d.Line, d.HeldBackMWWeeks = r.Model.Lines[best].Name, sum
	d.Cause = fmt.Sprintf("%s held the simulation back most since the previous year end (%.0f MW·weeks)", d.Line, sum)
	return d
}

// DebtAt is the plan's debt outstanding at the end of the period holding
// week w (the committed pipeline's included): 0 without capital.
func (pl *Plan) DebtAt(w int) float64 {
	d := 0.0
	for _, p := range pl.Periods {
		if p.Week > w {
			break
		}
		d = p.DebtUSD
	}
	return d
}
