package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/sensitivity"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// SensitivityText writes a tornado as gwf sensitivity prints it: each
// uncertain input at its P10 and P90 and what it moves, largest swing
// first, with a bar.
func SensitivityText(w io.Writer, res *sensitivity.Result) error {
	var b strings.Builder
	cal := calendar.New(res.Start)
	dates := res.ByDate()
	rate := summary.RateLabel(res.RateMW)
	fmt.Fprintf(&b, "gwf sensitivity — scenario %q: each uncertain input at its P10 and P90, the others at their medians\n", res.Scenario)
	if dates {
		if res.Base.Week >= 0 {
			fmt.Fprintf(&b, "All at medians: %s from %s (week %d)\n\n", rate, cal.Day(res.Base.Week), res.Base.Week)
		} else {
			fmt.Fprintf(&b, "All at medians: %s is not reached\n\n", rate)
		}
	} else {
		fmt.Fprintf(&b, "No run reaches %s; inputs ranked by IT capacity online at the end instead.\nAll at medians: %s online\n\n", rate, units.FormatMW(res.Base.OnlineMW))
	}
	outcome := func(o sensitivity.Outcome) string {
		if !dates {
			return fmt.Sprintf("%s (%+.1f GW)", units.FormatMW(o.OnlineMW), (o.OnlineMW-res.Base.OnlineMW)/1000)
		}
		if o.Week < 0 {
			return "not reached"
		}
		if res.Base.Week < 0 {
			return cal.Day(o.Week)
		}
		return fmt.Sprintf("%s (%+d wk)", cal.Day(o.Week), o.Week-res.Base.Week)
	}
	swing := func(in *sensitivity.Input) (float64, string) {
		if dates {
			return float64(in.Swing), fmt.Sprintf("%d week%s", in.Swing, plural(in.Swing))
		}
		d := math.Abs(in.AtHigh.OnlineMW - in.AtLow.OnlineMW)
		return d, units.FormatMW(d)
	}
	most := 0.0
	for i := range res.Inputs {
		s, _ := swing(&res.Inputs[i])
		most = math.Max(most, s)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "input\tP10\t→\tP90\t→\tswing\t ")
	for i := range res.Inputs {
		in := &res.Inputs[i]
		s, text := swing(in)
		bar := 0
		if most > 0 {
			bar = int(math.Round(24 * s / most))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", in.Path,
			FormatQuantity(in.Unit, in.Low), outcome(in.AtLow),
			FormatQuantity(in.Unit, in.High), outcome(in.AtHigh),
			text, strings.Repeat("█", bar))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// unitPlural is a unit name for many of it: "wafers", but "MWt" (a symbol)
// stays as it is.
func unitPlural(unit string) string {
	if strings.ToLower(unit) != unit {
		return unit
	}
	return unit + "s"
}

// FormatQuantity prints v, in q's canonical unit, for a person: "18.0
// weeks", "2.5 years", "$1.2B", "12.5%".
func FormatQuantity(q units.Quantity, v float64) string {
	n := func(prec int) string { return units.FormatNumber(v, prec) }
	switch q.Dim {
	case units.Duration:
		if v >= 104 {
			return units.FormatNumber(v/units.WeeksPerYear, 1) + " years"
		}
		return n(1) + " weeks"
	case units.Power:
		if v > 0 && v < 1 { // an accelerator's power
			return units.FormatNumber(v*1000, 2) + " kW"
		}
		return units.FormatMW(v)
	case units.Money:
		return units.FormatUSD(v)
	case units.Fraction:
		return units.FormatNumber(100*v, 1) + "%"
	case units.Growth:
		return units.FormatNumber(100*v, 1) + "%/year"
	case units.Compute:
		return units.FormatNumber(v/1e15, 2) + " PFLOP/s"
	case units.Rate:
		if q.Of == "MW" {
			return units.FormatMW(v) + "/week"
		}
		return n(0) + " " + unitPlural(q.Of) + "/week"
	case units.Intensity:
		return n(3) + " " + unitPlural(q.Of) + "/" + q.Per
	case units.Count:
		return n(0) + " " + unitPlural(q.Of)
	case units.Price:
		return units.FormatUSD(v) + "/" + q.Per
	}
	return n(3)
}
