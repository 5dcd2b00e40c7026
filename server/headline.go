package server

import (
	"github.com/gwf-project/gwf/summary"
)

// headline is what a run answers first, at the top of the app and in the
// runs list: the target rate actually set and whether it was met, the
// first quarter at it, the best rate reached, what binds now and next, and
// what it costs.
type headline struct {
	TargetRateMW float64 `json:"target_rate_mw"`
	TargetRate   string  `json:"target_rate"` // "0.5 GW/week"
	// Sustained is the date the target rate is reached and held to the
	// end; "" when never.
	Sustained string `json:"sustained_date"`
	// FirstQuarter is the first calendar quarter whose mean rate reaches
	// the target ("2031 Q2"), FirstQuarterDate its first day; "" never.
	FirstQuarter     string  `json:"first_quarter"`
	FirstQuarterDate string  `json:"first_quarter_date"`
	BestRateMW       float64 `json:"best_rate_mw"` // best 13-week mean of MW added per week
	BestRateDate     string  `json:"best_rate_date"`
	// BindsNow and BindsNext are the supply lines binding most in the last
	// year of the run; "" when nothing binds.
	BindsNow      string  `json:"binds_now"`
	BindsNext     string  `json:"binds_next"`
	CapexUSD      float64 `json:"capex_usd"`
	PeakFundUSD   float64 `json:"peak_funding_usd"` // most outside money needed at once; 0 without finance
	TenGW         string  `json:"ten_gw_online_date"`
	FinalMW       float64 `json:"final_mw"`
	HorizonWeeks  int     `json:"horizon_weeks"`
	HorizonEnd    string  `json:"horizon_end"`
	PipelineMW    float64 `json:"pipeline_mw"`
	ProjectsStart int     `json:"projects_started"`
}

func headlineOf(out *outcome) headline {
	sum := out.sum
	h := headline{
		TargetRateMW:  sum.RateMW,
		TargetRate:    summary.RateLabel(sum.RateMW),
		Sustained:     milestoneDate(sum.GWPerWeek),
		BestRateMW:    sum.BestRate,
		CapexUSD:      sum.CapexUSD,
		TenGW:         milestoneDate(sum.OnlineGW[10]),
		FinalMW:       sum.FinalMW,
		PipelineMW:    sum.PipelineMW,
		ProjectsStart: sum.Started,
		HorizonWeeks:  len(out.res.Weeks),
	}
	if q := sum.FirstQuarter; q != nil {
		h.FirstQuarter, h.FirstQuarterDate = q.Quarter, q.Date.Format("2006-01-02")
	}
	if n := len(out.res.Weeks); n > 0 {
		h.HorizonEnd = out.res.Weeks[n-1].Date.Format("2006-01-02")
		if sum.BestRateAt >= 0 && sum.BestRateAt < n {
			h.BestRateDate = out.res.Weeks[sum.BestRateAt].Date.Format("2006-01-02")
		}
	}
	if len(sum.ShortAtEnd) > 0 {
		h.BindsNow = sum.ShortAtEnd[0]
	}
	if len(sum.ShortAtEnd) > 1 {
		h.BindsNext = sum.ShortAtEnd[1]
	}
	if sum.Money != nil {
		h.PeakFundUSD = sum.Money.PeakNeedUSD
	}
	return h
}
