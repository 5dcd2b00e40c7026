package export

import (
	"io"
	"strconv"
	"time"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/summary"
)

// MC is the JSON form of a Monte Carlo study: what gwf mc --json prints and
// what the web app's API returns as a job's result.
type MC struct {
	Scenario  string `json:"scenario"`
	Seed      int64  `json:"seed"`
	Version   string `json:"gwf_version"`
	Runs      int    `json:"runs"`
	Completed int    `json:"completed"`
	// Partial is set when the study stopped before all its runs finished:
	// every figure is over Completed runs only.
	Partial         bool         `json:"partial"`
	HorizonWeeks    int          `json:"horizon_weeks"`
	StartDate       string       `json:"start_date"`
	UncertainInputs int          `json:"uncertain_inputs"`
	Events          int          `json:"events"`
	Milestones      MCMilestones `json:"milestones"`
	ByTarget        *MCByTarget  `json:"by_target"`
	Binding         []MCYear     `json:"binding_by_year"`
	Never           MCNever      `json:"never_reach_gw_per_week"`
	Bands           MCBandsInfo  `json:"bands"`
	// CapexUSD is the band of a run's total capex, PeakFundUSD of its
	// peak funding need (0 without finance).
	CapexUSD        MCBand       `json:"capex_usd"`
	PeakFundUSD     MCBand       `json:"peak_funding_usd"`
	Weekly          []MCWeek     `json:"weekly"`
	PlanVsSimulated []MCPlanYear `json:"plan_vs_simulated,omitempty"`
}

// MCPlanYear is, for a study following a plan, the plan's MW online
// against the study's band at a year end, and the share of runs on plan:
// with at least the plan's MW online less the tolerance.
type MCPlanYear struct {
	At        string `json:"at"`
	Week      int    `json:"week"`
	PlannedMW Num    `json:"planned_mw"`
	OnlineMW  MCBand `json:"online_mw"`
	OnPlan    Num    `json:"on_plan_share"`
	Tolerance Num    `json:"tolerance"`
}

// MCMilestones are the study's milestones. RateMW is the target rate the
// rate milestones test; OnlineGW is keyed by GW ("1", "10", "100").
type MCMilestones struct {
	RateMW       Num                    `json:"rate_mw_per_week"`
	GWPerWeek    MCMilestone            `json:"gw_per_week"`
	FirstQuarter MCMilestone            `json:"first_quarter_at_target_rate"`
	FourQuarters MCMilestone            `json:"four_quarters_at_target_rate"`
	OnlineGW     map[string]MCMilestone `json:"online_gw"`
}

// MCMilestone is the spread of one milestone's week over the runs: the
// runs reaching it within the horizon, and P10/P50/P90 (null when that
// share of runs never reaches it).
type MCMilestone struct {
	Label   string     `json:"label"`
	Reached int        `json:"reached"`
	Share   Num        `json:"share"`
	P10     *Milestone `json:"p10"`
	P50     *Milestone `json:"p50"`
	P90     *Milestone `json:"p90"`
}

// MCByTarget gives the runs reaching each rate milestone by the target
// date (the first day of the target's week): Runs and Share the strict
// (gw_per_week) one.
type MCByTarget struct {
	Date         string  `json:"date"`
	Runs         int     `json:"runs"`
	Share        Num     `json:"share"`
	FirstQuarter MCCount `json:"first_quarter_at_target_rate"`
	FourQuarters MCCount `json:"four_quarters_at_target_rate"`
}

// MCCount is a number of runs and its share of the runs completed.
type MCCount struct {
	Runs  int `json:"runs"`
	Share Num `json:"share"`
}

// MCYear is a calendar year's most frequent binding lines.
type MCYear struct {
	Year  int       `json:"year"`
	Lines []MCShare `json:"lines"`
}

// MCShare is a line's share of weeks binding.
type MCShare struct {
	Line  string `json:"line"`
	Share Num    `json:"share"`
}

// MCNever describes the runs that never sustain the target rate.
type MCNever struct {
	Runs     int       `json:"runs"`
	Share    Num       `json:"share"`
	Examples []int     `json:"examples"`
	Binding  []MCShare `json:"binding_last_year"`
}

// MCBandsInfo says how exact the weekly bands are.
type MCBandsInfo struct {
	Exact         bool `json:"exact"`
	RelativeError Num  `json:"relative_error"`
}

// MCWeek is one week's bands over the runs, in MW.
type MCWeek struct {
	Week     int    `json:"week"`
	Date     string `json:"date"`
	OnlineMW MCBand `json:"online_mw"`
	AddedMW  MCBand `json:"added_mw"`
}

// MCBand is P10/P50/P90 over the runs.
type MCBand struct {
	P10 Num `json:"p10"`
	P50 Num `json:"p50"`
	P90 Num `json:"p90"`
}

func band(b mc.Band) MCBand { return MCBand{P10: Num(b.P10), P50: Num(b.P50), P90: Num(b.P90)} }

// BuildMC assembles the JSON form of a study; pl, when not nil, is the plan
// every run followed (gwf mc --plan).
func BuildMC(res *mc.Result, pl *plan.Plan) *MC {
	cal := calendar.New(res.Start)
	share := func(n int) Num {
		if res.Completed == 0 {
			return 0
		}
		return Num(float64(n) / float64(res.Completed))
	}
	at := func(wk int) *Milestone {
		if wk < 0 {
			return nil
		}
		return &Milestone{Week: wk, Date: cal.Day(wk)}
	}
	milestone := func(m mc.Milestone) MCMilestone {
		return MCMilestone{Label: m.Label, Reached: m.Reached, Share: share(m.Reached), P10: at(m.P10), P50: at(m.P50), P90: at(m.P90)}
	}
	shares := func(ls []mc.LineShare) []MCShare {
		out := []MCShare{}
		for _, l := range ls {
			out = append(out, MCShare{Line: l.Line, Share: Num(l.Share)})
		}
		return out
	}
	out := &MC{
		Scenario: res.Scenario, Seed: res.Seed, Version: version.Version,
		Runs: res.Runs, Completed: res.Completed, Partial: res.Completed < res.Runs,
		HorizonWeeks: res.Weeks, StartDate: res.Start.Format(time.DateOnly),
		UncertainInputs: res.Inputs, Events: res.Events,
		Milestones: MCMilestones{RateMW: Num(res.RateMW), GWPerWeek: milestone(res.GWPerWeek),
			FirstQuarter: milestone(res.FirstQuarter), FourQuarters: milestone(res.FourQuarters), OnlineGW: map[string]MCMilestone{}},
		ByTarget: &MCByTarget{Date: cal.Day(res.TargetWeek), Runs: res.ByTarget, Share: share(res.ByTarget),
			FirstQuarter: MCCount{Runs: res.FirstQuarterByTarget, Share: share(res.FirstQuarterByTarget)},
			FourQuarters: MCCount{Runs: res.FourQuartersByTarget, Share: share(res.FourQuartersByTarget)}},
		Binding: []MCYear{},
		Never: MCNever{Runs: res.Never.Runs, Share: share(res.Never.Runs),
			Examples: append([]int{}, res.Never.Examples...), Binding: shares(res.Never.Short)},
		Bands: MCBandsInfo{Exact: res.BandsExact}, CapexUSD: band(res.CapexUSD), PeakFundUSD: band(res.PeakFundUSD),
		Weekly: make([]MCWeek, len(res.Online)),
	}
	if !res.BandsExact {
		out.Bands.RelativeError = mc.RelativeError
	}
	for i, m := range res.OnlineGW {
		out.Milestones.OnlineGW[strconv.Itoa(summary.OnlineMilestonesGW[i])] = milestone(m)
	}
	for _, y := range res.Years {
		out.Binding = append(out.Binding, MCYear{Year: y.Year, Lines: shares(y.Binding)})
	}
	for wk := range res.Online {
		out.Weekly[wk] = MCWeek{Week: wk, Date: cal.Day(wk), OnlineMW: band(res.Online[wk]), AddedMW: band(res.Added[wk])}
	}
	if pl != nil {
		for k, y := range cal.YearEnds(len(res.Online)) {
			py := MCPlanYear{At: y.Label, Week: y.Week, PlannedMW: Num(pl.PlannedOnline(y.Week)), OnlineMW: band(res.Online[y.Week]), Tolerance: Num(plan.DivergenceTolerance)}
			if k < len(res.Checks) {
				py.OnPlan = share(res.Checks[k])
			}
			out.PlanVsSimulated = append(out.PlanVsSimulated, py)
		}
	}
	return out
}

// WriteMC writes a study's JSON form, indented, ending in a newline.
func WriteMC(w io.Writer, m *MC) error { return jsonout.Write(w, m) }
