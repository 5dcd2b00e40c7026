package export

import (
	"io"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/sensitivity"
	"github.com/gwf-project/gwf/units"
)

// Sensitivity is the JSON form of a tornado (gwf sensitivity --json).
// Measure is "gw_per_week" when inputs are ranked by the week the target
// rate is sustained, "online_mw_end" when no run reaches it.
type Sensitivity struct {
	Scenario     string             `json:"scenario"`
	Version      string             `json:"gwf_version"`
	HorizonWeeks int                `json:"horizon_weeks"`
	StartDate    string             `json:"start_date"`
	Measure      string             `json:"measure"`
	Base         Outcome            `json:"base"`
	Inputs       []SensitivityInput `json:"inputs"`
}

// SensitivityInput is one uncertain input at its P10 and P90, in Unit.
type SensitivityInput struct {
	Path         string  `json:"path"`
	Distribution string  `json:"distribution"`
	Unit         string  `json:"unit"`
	P10          Num     `json:"p10"`
	P90          Num     `json:"p90"`
	AtP10        Outcome `json:"at_p10"`
	AtP90        Outcome `json:"at_p90"`
	SwingWeeks   int     `json:"swing_weeks"`
}

// Outcome is what one run of a tornado reached: the week the target rate
// is sustained (null if never) and the MW online at the end.
type Outcome struct {
	GWPerWeek   *Milestone `json:"gw_per_week"`
	OnlineMWEnd Num        `json:"online_mw_end"`
}

// BuildSensitivity assembles the JSON form of a tornado.
func BuildSensitivity(res *sensitivity.Result) *Sensitivity {
	cal := calendar.New(res.Start)
	outcome := func(o sensitivity.Outcome) Outcome {
		out := Outcome{OnlineMWEnd: Num(o.OnlineMW)}
		if o.Week >= 0 {
			out.GWPerWeek = &Milestone{Week: o.Week, Date: cal.Day(o.Week)}
		}
		return out
	}
	out := &Sensitivity{
		Scenario: res.Scenario, Version: version.Version,
		HorizonWeeks: res.Weeks, StartDate: calendar.Day(res.Start),
		Measure: "gw_per_week", Base: outcome(res.Base), Inputs: []SensitivityInput{},
	}
	if !res.ByDate() {
		out.Measure = "online_mw_end"
	}
	for _, in := range res.Inputs {
		out.Inputs = append(out.Inputs, SensitivityInput{
			Path: in.Path, Distribution: in.Text, Unit: UnitName(in.Unit),
			P10: Num(in.Low), P90: Num(in.High),
			AtP10: outcome(in.AtLow), AtP90: outcome(in.AtHigh), SwingWeeks: in.Swing,
		})
	}
	return out
}

// WriteSensitivity writes a tornado's JSON form, indented, ending in a
// newline.
func WriteSensitivity(w io.Writer, s *Sensitivity) error { return jsonout.Write(w, s) }

// UnitName is the canonical unit values of q's kind are held in: "weeks",
// "MW", "USD", "wafer/week".
func UnitName(q units.Quantity) string {
	switch q.Dim {
	case units.Duration:
		return "weeks"
	case units.Power:
		return "MW"
	case units.Money:
		return "USD"
	case units.Fraction:
		return "fraction"
	case units.Growth:
		return "fraction/year"
	case units.Compute:
		return "FLOP/s"
	case units.Rate:
		return q.Of + "/week"
	case units.Intensity:
		return q.Of + "/" + q.Per
	case units.Count:
		return q.Of
	case units.Price:
		return "USD/" + q.Per
	}
	return ""
}
