package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/sensitivity"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

func (e *env) sensitivityCommand() *cobra.Command {
	var (
		workers int
		asJSON  bool
		htmlOut string
	)
	cmd := &cobra.Command{
		Use:   "sensitivity [SCENARIO]",
		Short: "Which uncertain inputs move the target-rate (1 GW/week) date most (a tornado table)",
		Long: `Set each value SCENARIO writes as a distribution to its P10 and then its
P90, every other value at its median, and print how far each moves the week
the target rate (target.rate, 1 GW/week in the reference) is first reached
and sustained, largest swing first. Events are left out, as in "gwf run".
When no run reaches the target rate, inputs are ranked by the IT capacity
online at the end of the horizon instead.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if workers < 0 {
				return usageError{fmt.Errorf("--workers %d: want 0 (one per CPU) or more", workers)}
			}
			sc, err := e.load(args)
			if err != nil {
				return err
			}
			n := len(sc.UncertainValues())
			if n == 0 {
				return usageError{fmt.Errorf("scenario %q has no values written as distributions: nothing to vary (see docs/montecarlo.md)", sc.Name)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			bar := e.progress(1+2*n, "runs")
			res, err := sensitivity.Run(ctx, sc, workers, bar.setOf)
			bar.finish()
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted: a tornado needs every run, nothing to show")
			}
			if err != nil {
				return err
			}
			if htmlOut != "" {
				m, err := sim.Compile(sc)
				if err != nil {
					return err
				}
				r := sim.Run(m, sim.NewController())
				if err := writeFileAtomic(htmlOut, func(w io.Writer) error { return report.HTMLWithTornado(w, sc, r, summary.Of(r), res) }); err != nil {
					return err
				}
			}
			if asJSON {
				return writeSensitivityJSON(e.stdout, res)
			}
			return writeSensitivityText(e.stdout, res)
		},
	}
	cmd.Flags().IntVar(&workers, "workers", 0, "runs at once (default: one per CPU); never changes the results")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tornado as one JSON object")
	cmd.Flags().StringVar(&htmlOut, "report", "", "write an HTML report to `FILE`: the tornado chart, then the run at the medians")
	return cmd
}

func writeSensitivityText(w io.Writer, res *sensitivity.Result) error {
	var b strings.Builder
	date := func(wk int) string { return res.Start.AddDate(0, 0, 7*wk).Format(time.DateOnly) }
	dates := report.ByDate(res)
	rate := summary.RateLabel(res.RateMW)
	fmt.Fprintf(&b, "gwf sensitivity — scenario %q: each uncertain input at its P10 and P90, the others at their medians\n", res.Scenario)
	if dates {
		if res.Base.Week >= 0 {
			fmt.Fprintf(&b, "All at medians: %s from %s (week %d)\n\n", rate, date(res.Base.Week), res.Base.Week)
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
			return date(o.Week)
		}
		return fmt.Sprintf("%s (%+d wk)", date(o.Week), o.Week-res.Base.Week)
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
			formatQuantity(in.Unit, in.Low), outcome(in.AtLow),
			formatQuantity(in.Unit, in.High), outcome(in.AtHigh),
			text, strings.Repeat("█", bar))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The JSON form of a tornado.
type (
	sensitivityJSON struct {
		Scenario     string             `json:"scenario"`
		Version      string             `json:"gwf_version"`
		HorizonWeeks int                `json:"horizon_weeks"`
		StartDate    string             `json:"start_date"`
		Measure      string             `json:"measure"`
		Base         outcomeJSON        `json:"base"`
		Inputs       []sensitivityInput `json:"inputs"`
	}
	sensitivityInput struct {
		Path         string      `json:"path"`
		Distribution string      `json:"distribution"`
		Unit         string      `json:"unit"`
		P10          export.Num  `json:"p10"`
		P90          export.Num  `json:"p90"`
		AtP10        outcomeJSON `json:"at_p10"`
		AtP90        outcomeJSON `json:"at_p90"`
		SwingWeeks   int         `json:"swing_weeks"`
	}
	outcomeJSON struct {
		GWPerWeek   *export.Milestone `json:"gw_per_week"`
		OnlineMWEnd export.Num        `json:"online_mw_end"`
	}
)

func writeSensitivityJSON(w io.Writer, res *sensitivity.Result) error {
	outcome := func(o sensitivity.Outcome) outcomeJSON {
		out := outcomeJSON{OnlineMWEnd: export.Num(o.OnlineMW)}
		if o.Week >= 0 {
			out.GWPerWeek = &export.Milestone{Week: o.Week, Date: res.Start.AddDate(0, 0, 7*o.Week).Format(time.DateOnly)}
		}
		return out
	}
	out := sensitivityJSON{
		Scenario: res.Scenario, Version: version.Version,
		HorizonWeeks: res.Weeks, StartDate: res.Start.Format(time.DateOnly),
		Measure: "gw_per_week", Base: outcome(res.Base), Inputs: []sensitivityInput{},
	}
	if !report.ByDate(res) {
		out.Measure = "online_mw_end"
	}
	for _, in := range res.Inputs {
		out.Inputs = append(out.Inputs, sensitivityInput{
			Path: in.Path, Distribution: in.Text, Unit: unitName(in.Unit),
			P10: export.Num(in.Low), P90: export.Num(in.High),
			AtP10: outcome(in.AtLow), AtP90: outcome(in.AtHigh), SwingWeeks: in.Swing,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// unitName is the canonical unit values of q's kind are held in.
func unitName(q units.Quantity) string {
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

// formatQuantity prints v, in q's canonical unit, for a person.
// unitPlural is a unit name for many of it: "wafers", but "MWt" (a symbol)
// stays as it is.
func unitPlural(unit string) string {
	if strings.ToLower(unit) != unit {
		return unit
	}
	return unit + "s"
}

func formatQuantity(q units.Quantity, v float64) string {
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
