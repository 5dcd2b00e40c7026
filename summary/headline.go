package summary

import (
	"fmt"
	"strings"
	"time"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// Headline is what a run answers first, the same on every surface (gwf
// run's text, the HTML report, the web app and its runs list): the target
// rate actually set and whether it was met, the first quarter at it, the
// best rate reached, what binds now and next, and what it costs.
type Headline struct {
	TargetRateMW float64 `json:"target_rate_mw"`
	TargetRate   string  `json:"target_rate"` // "0.5 GW/week"
	// Sustained is the date the target rate is reached and held to the
	// end; "" when never.
	Sustained string `json:"sustained_date"`
	// FirstQuarter is the first calendar quarter whose mean rate reaches
	// the target ("2031 Q2"), FirstQuarterDate its first day; "" never.
	FirstQuarter     string  `json:"first_quarter"`
	FirstQuarterDate string  `json:"first_quarter_date"`
	BestRateMW       float64 `json:"best_rate_mw"` // best SustainWindow-week mean of MW added per week
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
	// Answer is the headline in one sentence (Sentence).
	Answer string `json:"answer"`
}

// HeadlineOf returns the headline of run r, whose summary is s.
func HeadlineOf(r *sim.Result, s *Summary) Headline {
	h := Headline{
		TargetRateMW:  s.RateMW,
		TargetRate:    RateLabel(s.RateMW),
		Sustained:     dateOf(s.GWPerWeek),
		BestRateMW:    s.BestRate,
		CapexUSD:      s.CapexUSD,
		TenGW:         dateOf(s.OnlineGW[10]),
		FinalMW:       s.FinalMW,
		PipelineMW:    s.PipelineMW,
		ProjectsStart: s.Started,
		HorizonWeeks:  len(r.Weeks),
	}
	if q := s.FirstQuarter; q != nil {
		h.FirstQuarter, h.FirstQuarterDate = q.Quarter, q.Date.Format(time.DateOnly)
	}
	if n := len(r.Weeks); n > 0 {
		h.HorizonEnd = r.Weeks[n-1].Date.Format(time.DateOnly)
		if r.Model != nil {
			// The horizon's last day, as gwf run's text says it.
			h.HorizonEnd = calendar.New(r.Model.Start).LastDay(n - 1).Format(time.DateOnly)
		}
		if s.BestRateAt >= 0 && s.BestRateAt < n {
			h.BestRateDate = r.Weeks[s.BestRateAt].Date.Format(time.DateOnly)
		}
	}
	if len(s.ShortAtEnd) > 0 {
		h.BindsNow = s.ShortAtEnd[0]
	}
	if len(s.ShortAtEnd) > 1 {
		h.BindsNext = s.ShortAtEnd[1]
	}
	if s.Money != nil {
		h.PeakFundUSD = s.Money.PeakNeedUSD
	}
	h.Answer = h.Sentence()
	return h
}

// Sentence says the headline in words, e.g. "Target 1 GW/week: not met by
// 2035-12-17; first quarter at it: never; best 13-week average 826.9
// MW/week (2034-11-27). Binds now: engines; next: network. Capex $5.1
// trillion; peak funding need $3.5 trillion."
func (h Headline) Sentence() string {
	var b strings.Builder
	if h.Sustained != "" {
		fmt.Fprintf(&b, "Target %s: met, sustained from %s", h.TargetRate, h.Sustained)
	} else {
		fmt.Fprintf(&b, "Target %s: not met by %s", h.TargetRate, h.HorizonEnd)
	}
	q := h.FirstQuarter
	if q == "" {
		q = "never"
	}
	fmt.Fprintf(&b, "; first quarter at it: %s; best %d-week average %s/week", q, SustainWindow, units.FormatMW(h.BestRateMW))
	if h.BestRateDate != "" {
		fmt.Fprintf(&b, " (%s)", h.BestRateDate)
	}
	switch {
	case h.BindsNow == "":
		b.WriteString(". Nothing binds at the end.")
	case h.BindsNext == "":
		fmt.Fprintf(&b, ". Binds now: %s; nothing next.", h.BindsNow)
	default:
		fmt.Fprintf(&b, ". Binds now: %s; next: %s.", h.BindsNow, h.BindsNext)
	}
	fmt.Fprintf(&b, " Capex %s", units.FormatUSD(h.CapexUSD))
	if h.PeakFundUSD > 0 {
		fmt.Fprintf(&b, "; peak funding need %s.", units.FormatUSD(h.PeakFundUSD))
	} else {
		b.WriteString("; no finance section, so no funding need is modelled.")
	}
	return b.String()
}

func dateOf(m *Milestone) string {
	if m == nil {
		return ""
	}
	return m.Date.Format(time.DateOnly)
}
