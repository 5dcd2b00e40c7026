package report

import (
	"fmt"
	"github.com/gwf-project/gwf/calendar"
	"io"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sensitivity"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// tornadoSpec is drawn by the "tornado" renderer: one row per input, a bar
// from zero to the change with the input at its P10 and another at its P90.
type tornadoSpec struct {
	Measure string       `json:"measure"` // what the bars change, with its unit
	Unit    string       `json:"unit"`
	Rows    []tornadoRow `json:"rows"`
	Low     string       `json:"low"` // colours
	High    string       `json:"high"`
}

type tornadoRow struct {
	Name     string  `json:"name"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
	LowText  string  `json:"lowText"`
	HighText string  `json:"highText"`
}

// HTMLWithTornado writes the report of the run at the medians with a
// sensitivity tornado first.
func HTMLWithTornado(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary, t *sensitivity.Result) error {
	p, err := newPage(sc, r, s)
	if err != nil {
		return err
	}
	if sec := tornadoSection(t); sec != nil {
		p.Sections = append([]*section{sec}, p.Sections...)
		c := sec.Charts[0]
		p.Data.Charts = append([]chartData{{ID: c.ID, Kind: c.Kind, Spec: c.Spec}}, p.Data.Charts...)
	}
	return pageTemplate.Execute(w, p)
}

// ByDate reports whether a tornado is measured by the date the target rate
// (1 GW/week in the reference) is sustained
// (some run reaches it) or, failing that, by the capacity online at the end.
func ByDate(t *sensitivity.Result) bool { return t.ByDate() }

func tornadoSection(t *sensitivity.Result) *section {
	if len(t.Inputs) == 0 {
		return nil
	}
	dates := ByDate(t)
	weekOf := func(o sensitivity.Outcome) int {
		if o.Week < 0 {
			return t.Weeks // not reached: counted at the end of the horizon
		}
		return o.Week
	}
	spec := tornadoSpec{Low: "#1f5fa8", High: "#e07b28"}
	rate := summary.RateLabel(t.RateMW)
	var caption string
	if dates {
		spec.Measure, spec.Unit = "change in the "+rate+" date, weeks (later is positive)", "weeks"
		base := "is not reached"
		if t.Base.Week >= 0 {
			base = "comes on " + calendar.New(t.Start).Day(t.Base.Week)
		}
		caption = fmt.Sprintf("Each uncertain input set to its P10 (blue) and its P90 (orange) with every other input at its median: how many weeks earlier or later %s is reached and sustained (a run that never reaches it counts as reaching it at the end of the horizon). With every input at its median it %s. Sorted by swing.", rate, base)
	} else {
		spec.Measure, spec.Unit = "change in IT capacity online at the end, GW", "GW"
		caption = fmt.Sprintf("No run reaches %s, so inputs are ranked by IT capacity online at the end of the horizon: each uncertain input at its P10 (blue) and P90 (orange), every other at its median. At the medians: %s online.", rate, units.FormatMW(t.Base.OnlineMW))
	}
	for _, in := range t.Inputs {
		row := tornadoRow{Name: in.Path}
		if dates {
			row.Low = float64(weekOf(in.AtLow) - weekOf(t.Base))
			row.High = float64(weekOf(in.AtHigh) - weekOf(t.Base))
		} else {
			row.Low = (in.AtLow.OnlineMW - t.Base.OnlineMW) / 1000
			row.High = (in.AtHigh.OnlineMW - t.Base.OnlineMW) / 1000
		}
		row.LowText = "P10 " + units.FormatNumber(in.Low, 3) + " " + unitOf(in)
		row.HighText = "P90 " + units.FormatNumber(in.High, 3) + " " + unitOf(in)
		spec.Rows = append(spec.Rows, row)
	}
	return &section{ID: "tornado", Title: "What moves it most: sensitivity", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-tornado", Kind: "tornado", Height: 80 + 28*len(spec.Rows), Spec: spec}}}
}

// unitOf names an input's canonical unit for the tornado's labels.
func unitOf(in sensitivity.Input) string {
	switch in.Unit.Dim {
	case units.Duration:
		return "weeks"
	case units.Power:
		return "MW"
	case units.Money:
		return "USD"
	case units.Fraction:
		return "(share)"
	case units.Growth:
		return "(per year)"
	case units.Rate:
		return in.Unit.Of + "/week"
	case units.Intensity:
		return in.Unit.Of + "/" + in.Unit.Per
	}
	return ""
}
