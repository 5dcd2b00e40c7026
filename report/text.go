package report

import (
	"fmt"
	"github.com/gwf-project/gwf/calendar"

	"github.com/gwf-project/gwf/allocate"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// Text writes the summary of a run as a person would want to read it.
func Text(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary) error {
	m := r.Model
	b := &errWriter{w: w}
	end := calendar.New(m.Start).LastDay(m.Weeks - 1)
	b.printf("gwf run — scenario %q (seed %d)\n", m.Name, m.Seed)
	if d := strings.TrimSpace(sc.Description); d != "" {
		b.printf("%s\n", wrap(d, 78))
	}
	b.printf("Horizon: %d weeks, %s to %s. Target: %s/week by %s (from %s/week at the start).\n",
		m.Weeks, day(m.Start), day(end), units.FormatMW(m.TargetMWpw), day(m.Date(m.TargetWeek)), units.FormatMW(m.InitialMWpw))
	b.printf("A gigawatt here is 1,000 MW of IT capacity brought online; grid power is IT × PUE %s.\n", units.FormatNumber(m.PUE, 2))
	if sc.Uncertain() {
		b.printf("This run uses the median of each of the %d uncertain inputs and none of the %d disruption events; gwf mc gives the odds.\n", len(sc.UncertainValues()), len(sc.Events))
	}
	b.printf("\n%s\n\n", wrap(summary.HeadlineOf(r, s).Sentence(), 78))

	rate := summary.RateLabel(s.RateMW)
	b.printf("%s\n", rate)
	if g := s.GWPerWeek; g != nil {
		b.printf("  Reached in week %d (%s) and sustained: every %d-week average after it is at least %s.\n", g.Week, day(g.Date), summary.SustainWindow, rate)
	} else {
		b.printf("  Not reached within the horizon. Best %d-week average: %s/week (from week %d, %s).\n",
			summary.SustainWindow, units.FormatMW(s.BestRate), s.BestRateAt, day(m.Date(s.BestRateAt)))
		if len(s.ShortAtEnd) > 0 {
			b.printf("  Short in the final year: %s.\n", strings.Join(s.ShortAtEnd, ", "))
		}
	}
	b.printf("  First quarter at %s: %s.\n", rate, quarterText(s.FirstQuarter, ""))
	b.printf("  Four quarters in a row at %s: %s.\n", rate, quarterText(s.FourQuarters, "from "))
	b.printf("\nOnline IT capacity\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, gw := range summary.OnlineMilestonesGW {
		if ms := s.OnlineGW[gw]; ms != nil {
			fmt.Fprintf(tw, "  %d GW\tweek %d\t%s\n", gw, ms.Week, day(ms.Date))
		} else {
			fmt.Fprintf(tw, "  %d GW\tnot reached\t\n", gw)
		}
	}
	tw.Flush()
	b.printf("  At the end: %s online, %s more in the pipeline; %d projects started, %d online, %s from start to online on average.\n",
		units.FormatMW(s.FinalMW), units.FormatMW(s.PipelineMW), s.Started, s.Online, units.FormatWeeks(s.MeanBuild))

	b.printf("\nBinding constraint by quarter (the resource holding back the most MW)\n")
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, run := range runsOf(m, s.Quarters) {
		label := run.first
		if run.last != run.first {
			label += " – " + run.last
		}
		name := strings.Join(run.names, " / ")
		layer := layerOf(m, run.names[0])
		if name == "" {
			name, layer = "none", ""
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", label, name, layer)
	}
	tw.Flush()

	b.printf("\nLargest shortfalls (MW held back, summed over the weeks it lasted)\n")
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for i, f := range s.Shortfalls {
		if i == 5 {
			break
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s GW·weeks\tbinding %d weeks\n", f.Line, f.Layer, units.FormatNumber(f.MWWeeks/1000, 0), f.BindingWeeks)
	}
	tw.Flush()
	if s.Money == nil {
		b.printf("\nCapex on deliveries and expansions over the horizon: %s (no finance section: capital unconstrained).\n", units.FormatUSD(s.CapexUSD))
	} else {
		writeMoney(b, m, s)
	}
	if len(s.CapexByLayer) > 0 && s.CapexUSD > 0 {
		var parts []string
		for _, l := range s.CapexByLayer {
			parts = append(parts, fmt.Sprintf("%s %s (%s%%)", l.Layer, units.FormatUSD(l.USD), units.FormatNumber(100*l.USD/s.CapexUSD, 0)))
		}
		b.printf("  Capex by layer: %s.\n", strings.Join(parts, ", "))
	}
	if len(s.Missions) > 0 {
		writeMissions(b, m, s)
	}
	return b.err
}

func writeMoney(b *errWriter, m *sim.Model, s *summary.Summary) {
	mo := s.Money
	b.printf("\nMoney\n")
	b.printf("  Capex %s (%s of it financed by vendors and leases), running costs %s, revenue %s, interest %s.\n",
		units.FormatUSD(mo.CapexUSD), units.FormatUSD(mo.FinancedUSD), units.FormatUSD(mo.OpexUSD), units.FormatUSD(mo.RevenueUSD), units.FormatUSD(mo.InterestUSD))
	b.printf("  Funding: %s equity raised, %s debt drawn for cash; at the end %s of debt and %s in cash.\n",
		units.FormatUSD(mo.EquityUSD), units.FormatUSD(mo.DrawnUSD), units.FormatUSD(mo.EndDebtUSD), units.FormatUSD(mo.EndCashUSD))
	b.printf("  Peak funding need: %s in week %d (%s). ", units.FormatUSD(mo.PeakNeedUSD), mo.PeakNeedWeek, day(m.Date(mo.PeakNeedWeek)))
	if mo.PaybackWeek >= 0 {
		b.printf("Cumulative revenue covers all spending from week %d (%s).\n", mo.PaybackWeek, day(m.Date(mo.PaybackWeek)))
	} else {
		b.printf("Cumulative revenue does not cover all spending within the horizon.\n")
	}
	b.printf("  Money held capacity back in %d of %d weeks.\n", mo.CapitalBoundWeeks, m.Weeks)
	if mo.OverdrawnWeeks > 0 {
		b.printf("  In %d weeks running costs and debt service could not be funded (overdrawn by up to %s); all capex waited.\n", mo.OverdrawnWeeks, units.FormatUSD(mo.PeakOverdrawnUSD))
	}
	for _, gw := range summary.OnlineMilestonesGW {
		if v, ok := mo.AtMilestone[gw]; ok {
			b.printf("  To %d GW online: capex %s, running costs %s.\n", gw, units.FormatUSD(v[0]), units.FormatUSD(v[1]))
		}
	}
	var parts []string
	for _, y := range mo.CapexPerGW {
		if y.OK {
			parts = append(parts, fmt.Sprintf("%d %s", y.Year, units.FormatUSD(y.Value)))
		}
	}
	if len(parts) > 0 {
		b.printf("  Capex to date per GW online, at each year's end: %s.\n", strings.Join(parts, ", "))
	}
}

func writeMissions(b *errWriter, m *sim.Model, s *summary.Summary) {
	b.printf("\nWho the compute served (%s)\n", allocationName(m))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  mission\tkind\tserved at 1 GW\t10 GW\t100 GW\tfully met from\tover the run\tunmet\n")
	for _, o := range s.Missions {
		kind := "inference"
		if o.Training {
			kind = "training"
		}
		at := func(gw int) string {
			if v, ok := o.ServedAt[gw]; ok {
				return units.FormatNumber(v*100, 0) + "%"
			}
			return "—"
		}
		met := "never"
		if o.FullyMetWeek >= 0 {
			met = day(m.Date(o.FullyMetWeek))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s%%\t%.3g FLOP\n", o.Name, kind, at(1), at(10), at(100), met, units.FormatNumber(o.ServedShare*100, 0), o.UnmetFLOP)
	}
	tw.Flush()
}

func allocationName(m *sim.Model) string {
	switch m.Allocation {
	case allocate.StrictPriority:
		return "strict priority"
	case allocate.WeightedShare:
		return "weighted share"
	}
	return "max-min fair"
}

type quarterRun struct {
	first, last string
	names       []string // bottlenecks in the run, first seen first
	layer       string
}

// runsOf merges consecutive quarters whose bottlenecks share a layer, so a
// run of quarters where grid and nuclear take turns reads as one period
// limited by power.
func runsOf(m *sim.Model, qs []summary.Quarter) []quarterRun {
	var out []quarterRun
	for _, q := range qs {
		layer := "-"
		if i := m.LineIndex(q.Bottleneck); i >= 0 {
			layer = m.Lines[i].Layer
			if layer == "" {
				layer = q.Bottleneck
			}
		}
		if n := len(out); n > 0 && out[n-1].layer == layer {
			r := &out[n-1]
			r.last = q.Label
			if !slices.Contains(r.names, q.Bottleneck) {
				r.names = append(r.names, q.Bottleneck)
			}
			continue
		}
		out = append(out, quarterRun{first: q.Label, last: q.Label, names: []string{q.Bottleneck}, layer: layer})
	}
	return out
}

func layerOf(m *sim.Model, line string) string {
	if i := m.LineIndex(line); i >= 0 && m.Lines[i].Layer != "" {
		return "(" + m.Lines[i].Layer + ")"
	}
	return ""
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// quarterText is a quarterly milestone as the summaries print it:
// prefix+"2031 Q2 (week 275, 2031-04-07)", or "not within the horizon".
func quarterText(q *summary.QuarterMilestone, prefix string) string {
	if q == nil {
		return "not within the horizon"
	}
	return fmt.Sprintf("%s%s (week %d, %s)", prefix, q.Quarter, q.Week, day(q.Date))
}

func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}
