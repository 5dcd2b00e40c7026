package report

import (
	"math"
	"strconv"
)

// The chart specs below are the data the page's script (assets/report.js)
// turns into ECharts options. They say what to draw — series, units,
// colours — and leave how to the script, so a new section needs a builder
// in Go and, only for a new kind of chart, a renderer in the script.

// timeseries is drawn by the "timeseries" renderer: one or more panels
// stacked vertically on a shared week axis, optionally with a band on top.
type timeseries struct {
	Band   *band   `json:"band,omitempty"`
	Panels []panel `json:"panels"`
	Marks  []mark  `json:"marks,omitempty"`
	// Zoom adds a slider under the week axis.
	Zoom bool `json:"zoom,omitempty"`
}

// panel is one plot area with a left axis and optionally a right one.
type panel struct {
	Weight float64  `json:"weight"` // share of the chart's height
	Y      axis     `json:"y"`
	Y2     *axis    `json:"y2,omitempty"`
	Series []series `json:"series"`
}

// axis is a value axis: its title names the quantity and its unit.
type axis struct {
	Name string   `json:"name"`
	Unit string   `json:"unit"` // appended to values in tooltips
	Max  *float64 `json:"max,omitempty"`
}

// series is one line, area or set of bars over weeks.
type series struct {
	Name   string `json:"name"`
	Type   string `json:"type"` // "line", "area" or "bar"
	Color  string `json:"color"`
	Axis   int    `json:"axis,omitempty"` // 1: the panel's right axis
	Dash   bool   `json:"dash,omitempty"`
	Stack  string `json:"stack,omitempty"`
	Step   bool   `json:"step,omitempty"`
	Width  int    `json:"width,omitempty"` // line width, px
	Hidden bool   `json:"hidden,omitempty"`
	Points bool   `json:"points,omitempty"` // mark each value with a dot (sparse data)
	// Weeks gives each value's week; when empty the values are weeks 0, 1, 2, …
	Weeks  []int `json:"weeks,omitempty"`
	Values nums  `json:"values"`
}

// band colours each week by a category: the bottleneck timeline.
type band struct {
	Name  string    `json:"name"`
	Cats  []bandCat `json:"cats"`
	Weeks []int     `json:"weeks"` // per week, an index into Cats or -1
	Value nums      `json:"value"` // per week, the figure shown in the tooltip
	Unit  string    `json:"unit"`
	None  bandCat   `json:"none"` // how -1 is shown
}

type bandCat struct {
	Name  string `json:"name"`
	Layer string `json:"layer,omitempty"`
	Color string `json:"color"`
}

// mark is a labelled week drawn as a vertical line (a milestone).
type mark struct {
	Week  int    `json:"week"`
	Label string `json:"label"`
}

// gantt is drawn by the "gantt" renderer: one row per project, one bar per
// stage, with the weeks a ready stage waited drawn before it.
type gantt struct {
	Stages []bandCat  `json:"stages"`
	Lines  []string   `json:"lines"` // names for ganttStage.WaitedOn
	Rows   []ganttRow `json:"rows"`
	Wait   string     `json:"wait"` // colour of waits
	Life   string     `json:"life"` // colour of the start-to-online line
}

type ganttRow struct {
	ID     int          `json:"id"`
	MW     float64      `json:"mw"`
	Gen    string       `json:"gen"`
	Start  int          `json:"start"`
	Online int          `json:"online"` // -1: not online within the horizon
	Stages []ganttStage `json:"stages"`
}

// ganttStage is [stage, ready, start, end, waitedOn]; -1 for never (end:
// not finished within the horizon; waitedOn: none).
type ganttStage [5]int

// nums is a series of figures, written to JSON with five significant
// digits (a chart cannot show more, and it keeps the page small and its
// bytes stable); NaN and infinities are written as null (a gap).
type nums []float64

// MarshalJSON writes the numbers compactly.
func (xs nums) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 8*len(xs)+2)
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNum(b, x)
	}
	return append(b, ']'), nil
}

func appendNum(b []byte, x float64) []byte {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return append(b, "null"...)
	case x == 0:
		return append(b, '0')
	}
	// Round to five significant digits, then print the shortest form of
	// the rounded value ("1250", not "1.25e+03"; "0.00012", not "1.2e-04").
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 5, 64), 64)
	if err != nil || r == 0 {
		return append(b, '0')
	}
	if a := math.Abs(r); a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, r, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, r, 'g', -1, 64)
}

func ptr(v float64) *float64 { return &v }
