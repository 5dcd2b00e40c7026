package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// MCText writes the summary of a Monte Carlo study as gwf mc prints it:
// the milestones' P10/P50/P90, the odds by the target date, the binding
// constraint by year and the runs that never reach the target rate.
func MCText(w io.Writer, res *mc.Result) error {
	cal := calendar.New(res.Start)
	at := func(wk int) string {
		if wk < 0 {
			return "not reached"
		}
		return fmt.Sprintf("%s (week %d)", cal.Day(wk), wk)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gwf mc — scenario %q, %s runs, seed %d\n", res.Scenario, groupDigits(res.Completed), res.Seed)
	if res.Completed < res.Runs {
		fmt.Fprintf(&b, "Interrupted: %s of %s runs finished; the figures below are theirs.\n", groupDigits(res.Completed), groupDigits(res.Runs))
	}
	fmt.Fprintf(&b, "Each run draws %d uncertain input%s; %d disruption event%s may happen.\n",
		res.Inputs, plural(res.Inputs), res.Events, plural(res.Events))
	if res.Inputs == 0 && res.Events == 0 {
		b.WriteString("The scenario has no distributions or events: every run is the same.\n")
	}
	b.WriteString("\n" + wrap(mcAnswer(res), 78) + "\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "Milestone\tP10\tP50\tP90\treached in")
	for _, m := range append([]mc.Milestone{res.GWPerWeek, res.FirstQuarter, res.FourQuarters}, res.OnlineGW...) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s of runs\n", m.Label, at(m.P10), at(m.P50), at(m.P90), percent(m.Reached, res.Completed))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	rate := summary.RateLabel(res.RateMW)
	// The target date is the first day of its week, as gwf run prints it:
	// the week the runs are tested in.
	by := cal.Day(res.TargetWeek)
	fmt.Fprintf(&b, "\n%s by the target date %s: %s of runs.\n", rate, by, percent(res.ByTarget, res.Completed))
	fmt.Fprintf(&b, "First quarter at %s by the target date: %s of runs.\n", rate, percent(res.FirstQuarterByTarget, res.Completed))
	fmt.Fprintf(&b, "Four quarters in a row at %s, starting by the target date: %s of runs.\n", rate, percent(res.FourQuartersByTarget, res.Completed))
	b.WriteString("\nBinding constraint by year (share of the year's weeks over all runs; in the rest nothing held capacity back)\n")
	for _, y := range res.Years {
		fmt.Fprintf(&b, "  %d  %s\n", y.Year, sharesText(y.Binding))
	}
	b.WriteString("\n")
	if res.Never.Runs == 0 {
		fmt.Fprintf(&b, "Every run reaches %s within the horizon.\n", rate)
	} else {
		ex := make([]string, len(res.Never.Examples))
		for i, r := range res.Never.Examples {
			ex[i] = strconv.Itoa(r)
		}
		fmt.Fprintf(&b, "Never reach %s: %s of %s runs (%s), e.g. runs %s\n", rate, groupDigits(res.Never.Runs), groupDigits(res.Completed), percent(res.Never.Runs, res.Completed), strings.Join(ex, ", "))
		fmt.Fprintf(&b, "  binding in their last year: %s\n", sharesText(res.Never.Short))
	}
	if res.BandsExact {
		b.WriteString("\nWeekly bands (--json) are exact.\n")
	} else {
		fmt.Fprintf(&b, "\nWeekly bands (--json) are within %s%% of the exact quantiles.\n", strconv.FormatFloat(100*mc.RelativeError, 'f', -1, 64))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mcAnswer is a study's headline in words, as summary.Headline's sentence
// is a run's: the target rate set, the odds of meeting it by the target
// date, when half the runs sustain it and reach their first quarter at it,
// and what binds in the last year.
func mcAnswer(res *mc.Result) string {
	cal := calendar.New(res.Start)
	rate := summary.RateLabel(res.RateMW)
	var b strings.Builder
	fmt.Fprintf(&b, "Target %s: met by the target date %s in %s of runs", rate, cal.Day(res.TargetWeek), percent(res.ByTarget, res.Completed))
	if w := res.GWPerWeek.P50; w >= 0 {
		fmt.Fprintf(&b, "; half the runs sustain it by %s", cal.Day(w))
	} else {
		fmt.Fprintf(&b, "; fewer than half ever sustain it (%s do within the horizon)", percent(res.GWPerWeek.Reached, res.Completed))
	}
	if w := res.FirstQuarter.P50; w >= 0 {
		fmt.Fprintf(&b, "; first quarter at it: %s in half the runs", quarterOf(cal.Day(w)))
	} else {
		b.WriteString("; first quarter at it: never in most runs")
	}
	if best, at := bestMedianRate(res.Added); at >= 0 {
		fmt.Fprintf(&b, "; best %d-week average of the median band %s/week (%s)", summary.SustainWindow, units.FormatMW(best), cal.Day(at))
	}
	if n := len(res.Years); n > 0 && len(res.Years[n-1].Binding) > 0 {
		bind := res.Years[n-1].Binding
		fmt.Fprintf(&b, ". Binds in the last year (%d): %s", res.Years[n-1].Year, bind[0].Line)
		if len(bind) > 1 {
			fmt.Fprintf(&b, "; next: %s", bind[1].Line)
		}
	}
	fmt.Fprintf(&b, ". Capex %s (P10 %s, P90 %s)", units.FormatUSD(res.CapexUSD.P50), units.FormatUSD(res.CapexUSD.P10), units.FormatUSD(res.CapexUSD.P90))
	if res.PeakFundUSD.P90 > 0 {
		fmt.Fprintf(&b, "; peak funding need %s (P10 %s, P90 %s)", units.FormatUSD(res.PeakFundUSD.P50), units.FormatUSD(res.PeakFundUSD.P10), units.FormatUSD(res.PeakFundUSD.P90))
	}
	b.WriteString(".")
	return b.String()
}

// bestMedianRate is the best summary.SustainWindow-week mean of the P50 of
// MW added per week, and the week that window starts (-1 if too short).
func bestMedianRate(added []mc.Band) (float64, int) {
	best, at := 0.0, -1
	sum := 0.0
	for i := range added {
		sum += added[i].P50
		if i >= summary.SustainWindow {
			sum -= added[i-summary.SustainWindow].P50
		}
		if i >= summary.SustainWindow-1 {
			if mean := sum / summary.SustainWindow; at < 0 || mean > best+1e-9 {
				best, at = mean, i-summary.SustainWindow+1
			}
		}
	}
	return best, at
}

// quarterOf names the calendar quarter of a YYYY-MM-DD date: "2031 Q2".
func quarterOf(date string) string {
	if len(date) < 7 {
		return date
	}
	month, err := strconv.Atoi(date[5:7])
	if err != nil {
		return date
	}
	return fmt.Sprintf("%s Q%d", date[:4], (month-1)/3+1)
}

// PlanVsStudyText writes the plan's MW online against the study's
// P10/P50/P90 at each year end and at the end of the horizon, and the
// share of runs on plan then (at least the plan's MW less the divergence
// tolerance), for a study whose runs followed pl.
func PlanVsStudyText(w io.Writer, pl *plan.Plan, res *mc.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nPlan vs simulated (MW online, every run following the plan; on plan: runs with at least the plan's MW less %.0f%%):\n", 100*plan.DivergenceTolerance)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "at\tplanned\tP10\tP50\tP90\ton plan\t")
	for k, y := range calendar.New(res.Start).YearEnds(len(res.Online)) {
		o := res.Online[y.Week]
		on := "—"
		if k < len(res.Checks) && res.Completed > 0 {
			on = units.FormatNumber(100*float64(res.Checks[k])/float64(res.Completed), 1) + "%"
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t\n", y.Label, pl.PlannedOnline(y.Week), o.P10, o.P50, o.P90, on)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func percent(n, of int) string {
	if of == 0 {
		return "–"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

func sharesText(ls []mc.LineShare) string {
	if len(ls) == 0 {
		return "nothing binding"
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%s %.0f%%", l.Line, 100*l.Share)
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// groupDigits prints n with thousands separators: 10,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
