package plan

import (
	"time"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/sim"
)

// CapexYear is one calendar year's capex, undiscounted: the plan's (its
// new MW and expansions, Period.CapexUSD, plus the committed pipeline's,
// Period.CommittedCapexUSD) against what a simulation booked
// (sim.Week.CapexUSD summed over the year's weeks).
type CapexYear struct {
	Year      int     `json:"year" yaml:"year"`
	PlanUSD   float64 `json:"plan_usd" yaml:"plan_usd"`
	SimUSD    float64 `json:"simulated_usd" yaml:"simulated_usd"`
	Committed float64 `json:"committed_usd,omitempty" yaml:"committed_usd,omitempty"`
}

// CompareCapex lists, per calendar year of the horizon, the plan's capex
// and the capex r booked. A period's capex counts in the year of its first
// week (a simulated week's in the year of its date), so with months or
// quarters a period straddling New Year counts wholly in the year it
// begins. r may be nil (the simulated column is then 0).
func (pl *Plan) CompareCapex(r *sim.Result) []CapexYear {
	start, err := time.Parse(time.DateOnly, pl.StartDate)
	if err != nil {
		return nil
	}
	var out []CapexYear
	at := func(d time.Time) *CapexYear {
		y := d.Year()
		for i := range out {
			if out[i].Year == y {
				return &out[i]
			}
		}
		out = append(out, CapexYear{Year: y})
		return &out[len(out)-1]
	}
	for _, p := range pl.Periods {
		cy := at(calendar.New(start).Date(p.Week))
		cy.PlanUSD += p.CapexUSD + p.CommittedCapexUSD
		cy.Committed += p.CommittedCapexUSD
	}
	if r != nil {
		for _, wk := range r.Weeks {
			at(wk.Date).SimUSD += wk.CapexUSD
		}
	}
	return out
}
