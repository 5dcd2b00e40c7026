package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gwf-project/gwf/backtest"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// The text and HTML of gwf backtest.

// BacktestHTML writes the backtest's simulated run as an HTML report, with
// each recorded series charted against the simulation at the end of each
// period.
func BacktestHTML(w io.Writer, rep *backtest.Report) error {
	sc, res := rep.Simulation()
	if sc == nil || res == nil {
		return fmt.Errorf("backtest %s: no simulation to chart", rep.Case)
	}
	m := res.Model
	var comps []Comparison
	index := map[string]int{}
	for _, row := range rep.Rows {
		to, err := time.Parse(time.DateOnly, row.To)
		if err != nil {
			return fmt.Errorf("backtest row %s %s: %w", row.Series, row.Period, err)
		}
		k, ok := index[row.Series]
		if !ok {
			k = len(comps)
			index[row.Series] = k
			comps = append(comps, Comparison{Name: row.Series, Unit: row.Unit})
		}
		c := &comps[k]
		c.Weeks = append(c.Weeks, min(max(0, m.WeekOf(to)), m.Weeks-1))
		c.Recorded = append(c.Recorded, float64(row.Recorded))
		c.Simulated = append(c.Simulated, float64(row.Simulated))
	}
	caption := fmt.Sprintf("Each recorded series (solid) against what the model simulated for the same period (dashed), plotted at the end of each period. Case %s; mean absolute percentage error %s in sample, %s out of sample. Sources and mappings: docs/backtest.md.",
		rep.Case, pct(rep.InSample), pct(rep.OutOfSample))
	return HTMLWithComparisons(w, sc, res, summary.Of(res), caption, comps)
}

func pct(s backtest.Score) string {
	if s.Rows == 0 {
		return "—"
	}
	return units.FormatNumber(float64(s.MAPE), 0) + "%"
}

// formatIn prints v in a series' unit.
func formatIn(unit string, v float64) string {
	switch unit {
	case "MW":
		return units.FormatMW(v)
	case "USD", "USD/GW":
		return units.FormatUSD(v)
	case "USD/accelerator-hour":
		return "$" + units.FormatNumber(v, 2)
	case "accelerators":
		if math.Abs(v) >= 1e6 {
			return units.FormatNumber(v/1e6, 2) + " M"
		}
		return units.FormatNumber(v/1e3, 0) + " k"
	}
	return units.FormatNumber(v, 3)
}

func signed(unit string, v float64) string {
	s := formatIn(unit, v)
	if v > 0 {
		return "+" + s
	}
	return strings.Replace(s, "$-", "-$", 1)
}

// BacktestText writes gwf backtest's text: the case, each series' rows
// recorded against simulated, the scores in and out of sample, and the
// record check.
func BacktestText(w io.Writer, rep *backtest.Report) error {
	fmt.Fprintf(w, "gwf backtest — case %s (scenario %q): from %s to %s\n", rep.Case, rep.Scenario, rep.From, rep.Until)
	fmt.Fprintf(w, "The model ran %d weeks before %s to fill its pipeline; only periods from then on are compared.\n", rep.WarmStartWeeks, rep.From)
	fmt.Fprintf(w, "In-sample: periods ending by %s (used to fit the parameters below); out-of-sample: later periods.\n\n", rep.FitCutoff)

	fmt.Fprintln(w, "Fitted parameters")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range rep.Fitted {
		how := "fitted on"
		if f.FitCase != rep.Case {
			how = "carried from the fit on"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s %s to %s\n", f.Path, f.Text, how, f.FitCase, strings.Join(f.Periods, ", "))
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  series\tperiod\trecorded\tsimulated\terror\terror %\tsample\tsimulated within the published range")
	for _, r := range rep.Rows {
		rec, inRange := formatIn(r.Unit, float64(r.Recorded)), ""
		if r.InRange != nil {
			lo, hi := r.Recorded, r.Recorded
			if r.Low != nil {
				lo = *r.Low
			}
			if r.High != nil {
				hi = *r.High
			}
			rec += fmt.Sprintf(" (%s–%s)", formatIn(r.Unit, float64(lo)), formatIn(r.Unit, float64(hi)))
			inRange = "no"
			if *r.InRange {
				inRange = "yes"
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%+.0f%%\t%s\t%s\n", r.Series, r.Period, rec, formatIn(r.Unit, float64(r.Simulated)),
			signed(r.Unit, float64(r.AbsError)), math.Round(float64(r.PctError))+0, r.Sample, inRange)
	}
	tw.Flush()
	fmt.Fprintln(w)

	fmt.Fprintln(w, "Score: mean absolute percentage error (rows compared)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  all series\tin-sample %s\tout-of-sample %s\n", scoreText(rep.InSample), scoreText(rep.OutOfSample))
	for _, s := range rep.Series {
		fmt.Fprintf(tw, "  %s\tin-sample %s\tout-of-sample %s\n", s.Series, scoreText(s.InSample), scoreText(s.OutOfSample))
	}
	tw.Flush()
	if len(rep.Skipped) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Not compared")
		for _, s := range rep.Skipped {
			fmt.Fprintf(w, "  %s %s: %s\n", s.Series, s.Period, s.Reason)
		}
	}
	if rc := rep.ReferenceRecord; rc != nil {
		printRecordCheck(w, rc)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Data and sources: backtest/data/*.csv and backtest/record/*.csv; how each series maps to the model: docs/backtest.md.")
	return nil
}

// printRecordCheck prints the reference's campuses and build times beside
// the record.
func printRecordCheck(w io.Writer, rc *backtest.RecordCheck) {
	fmt.Fprintln(w)
	fmt.Fprintf(w, "The %s scenario from its starting state, against the record of its campuses\n", rc.Scenario)
	fmt.Fprintf(w, "Announced completions (targets the record shows, not outturns): %d of %d campuses online within the announced window; mean error %+.1f weeks.\n", rc.WithinWindow, len(rc.Campuses), rc.MeanErrorWeeks)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  campus\tannounced\twindow\tsimulated\terror\tin window")
	for _, c := range rc.Campuses {
		sim, in := c.Simulated, "no"
		if sim == "" {
			sim = "not within the horizon"
		}
		if c.InWindow {
			in = "yes"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s – %s\t%s\t%+d weeks\t%s\n", c.Campus, c.Announced, c.Low, c.High, sim, c.ErrorWeeks, in)
	}
	tw.Flush()
	fmt.Fprintf(w, "Construction start to online: the model's new projects took %d weeks (P10), %d (P50), %d (P90); %d with every input on time. To the end of construction (energised): %d, %d, %d.\n",
		rc.ModelBuildWeeks[0], rc.ModelBuildWeeks[1], rc.ModelBuildWeeks[2], rc.UnimpededWeeks, rc.ModelEnergiseWeeks[0], rc.ModelEnergiseWeeks[1], rc.ModelEnergiseWeeks[2])
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  recorded build\tto\tweeks\tmodel P50\terror\twhat")
	for _, b := range rc.Builds {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%+d\t%s\n", b.Build, b.To, b.RecordedWeeks, b.SimulatedWeeks, b.ErrorWeeks, b.Note)
	}
	tw.Flush()
	if len(rc.Operator) > 0 {
		fmt.Fprintln(w, "What the operator published about itself after the start:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, o := range rc.Operator {
			in := ""
			if o.InRange != nil {
				in = "in the published range: no"
				if *o.InRange {
					in = "in the published range: yes"
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\trecorded %s\tsimulated %s\t%+.0f%%\t%s\n", o.Quantity, o.Date, formatIn("MW", float64(o.Recorded)), formatIn("MW", float64(o.Simulated)), math.Round(float64(o.PctError))+0, in)
		}
		tw.Flush()
	}
	if len(rc.Levels) > 0 {
		fmt.Fprintln(w, "Prices and costs inside the reference's horizon, through the backtest's series mappings:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range rc.Levels {
			fmt.Fprintf(tw, "  %s\t%s\trecorded %s\tsimulated %s\t%+.0f%%\n", r.Series, r.Period, formatIn(r.Unit, float64(r.Recorded)), formatIn(r.Unit, float64(r.Simulated)), math.Round(float64(r.PctError))+0)
		}
		tw.Flush()
	}
}

func scoreText(s backtest.Score) string {
	if s.Rows == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%% (%d)", float64(s.MAPE), s.Rows)
}

// RefitsText writes the calibration table of gwf backtest --fit.
func RefitsText(w io.Writer, rs []backtest.Refit) error {
	fmt.Fprintf(w, "Calibration on case %s, periods ending by %s; loss: mean absolute log error of the series named.\n\n", backtest.FitCase.Name, backtest.FitCutoff.Format("2006-01-02"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tin the scenario\tloss\tbest found\tloss\tfitted to")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4f\t%.4g\t%.4f\t%s\n", r.Path, r.Scenario, r.ScenarioLoss, r.Best, r.BestLoss, strings.Join(r.Series, ", "))
	}
	return tw.Flush()
}
