package report

import (
	"fmt"
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
	end := m.Date(m.Weeks-1).AddDate(0, 0, 6)
	b.printf("gwf run — scenario %q (seed %d)\n", m.Name, m.Seed)
	if d := strings.TrimSpace(sc.Description); d != "" {
		b.printf("%s\n", wrap(d, 78))
	}
	b.printf("Horizon: %d weeks, %s to %s. Target: %s/week by %s (from %s/week at the start).\n",
		m.Weeks, day(m.Start), day(end), units.FormatMW(m.TargetMWpw), day(m.Date(m.TargetWeek)), units.FormatMW(m.InitialMWpw))
	b.printf("A gigawatt here is 1,000 MW of IT capacity brought online; grid power is IT × PUE %s.\n\n", units.FormatNumber(m.PUE, 2))

	b.printf("1 GW/week\n")
	if g := s.GWPerWeek; g != nil {
		b.printf("  Reached in week %d (%s) and sustained: every %d-week average after it is at least 1 GW/week.\n", g.Week, day(g.Date), summary.SustainWindow)
	} else {
		b.printf("  Not reached within the horizon. Best %d-week average: %s/week (from week %d, %s).\n",
			summary.SustainWindow, units.FormatMW(s.BestRate), s.BestRateAt, day(m.Date(s.BestRateAt)))
		if len(s.ShortAtEnd) > 0 {
			b.printf("  Short in the final year: %s.\n", strings.Join(s.ShortAtEnd, ", "))
		}
	}
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
	b.printf("\nCapex on deliveries and expansions over the horizon: %s.\n", units.FormatUSD(s.CapexUSD))
	return b.err
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
