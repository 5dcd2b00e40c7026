package report

import (
	"fmt"
	"strings"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// palette colours supply lines, most binding first, so the lines a reader
// needs to tell apart get the most distinct colours (Tableau 10, then
// ColorBrewer Dark2).
var palette = []string{
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
	"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
}

// noneColor marks weeks in which nothing held capacity back.
const noneColor = "#e9edf2"

// lineColors gives each supply line a colour: lines that held back the most
// MW first, then the rest in scenario order.
func lineColors(m *sim.Model, s *summary.Summary) []string {
	out := make([]string, len(m.Lines))
	next := 0
	for _, f := range s.Shortfalls {
		if i := m.LineIndex(f.Line); i >= 0 && out[i] == "" {
			out[i] = palette[next%len(palette)]
			next++
		}
	}
	for i := range out {
		if out[i] == "" {
			out[i] = palette[next%len(palette)]
			next++
		}
	}
	return out
}

func headline(in *input) []card {
	m, s := in.m, in.s
	var cards []card
	rate := summary.RateLabel(s.RateMW)
	if g := s.GWPerWeek; g != nil {
		cards = append(cards, card{Label: rate, Value: day(g.Date), Good: true,
			Detail: fmt.Sprintf("week %d, and sustained: every %d-week average after it is at least %s", g.Week, summary.SustainWindow, rate)})
	} else {
		d := fmt.Sprintf("best %d-week average %s/week, from %s", summary.SustainWindow, units.FormatMW(s.BestRate), day(m.Date(s.BestRateAt)))
		if len(s.ShortAtEnd) > 0 {
			d += "; short in the final year: " + strings.Join(s.ShortAtEnd, ", ")
		}
		cards = append(cards, card{Label: rate, Value: "not reached", Detail: d, Bad: true})
	}
	if q := s.FirstQuarter; q != nil {
		cards = append(cards, card{Label: "First quarter at " + rate, Value: q.Quarter, Good: true,
			Detail: fmt.Sprintf("the first calendar quarter whose weeks average at least %s; from week %d, %s", rate, q.Week, day(q.Date))})
	} else {
		cards = append(cards, card{Label: "First quarter at " + rate, Value: "not reached", Bad: true,
			Detail: fmt.Sprintf("no calendar quarter within the horizon averages %s", rate)})
	}
	if q := s.FourQuarters; q != nil {
		cards = append(cards, card{Label: "Four quarters in a row at " + rate, Value: "from " + q.Quarter, Good: true,
			Detail: fmt.Sprintf("%d consecutive calendar quarters each averaging at least %s; from week %d, %s", summary.QuartersInARow, rate, q.Week, day(q.Date))})
	} else {
		cards = append(cards, card{Label: "Four quarters in a row at " + rate, Value: "not reached", Bad: true,
			Detail: fmt.Sprintf("no %d consecutive calendar quarters within the horizon each average %s", summary.QuartersInARow, rate)})
	}
	for _, gw := range summary.OnlineMilestonesGW {
		label := fmt.Sprintf("%d GW online", gw)
		if ms := s.OnlineGW[gw]; ms != nil {
			cards = append(cards, card{Label: label, Value: day(ms.Date), Detail: fmt.Sprintf("week %d", ms.Week), Good: true})
		} else {
			cards = append(cards, card{Label: label, Value: "not reached", Detail: "within the horizon", Bad: true})
		}
	}
	cards = append(cards, card{Label: "At the end", Value: units.FormatMW(s.FinalMW) + " online",
		Detail: fmt.Sprintf("%s more in the pipeline; %d of %d projects online, %s from start to online on average",
			units.FormatMW(s.PipelineMW), s.Online, s.Started, units.FormatWeeks(s.MeanBuild))})
	if mo := s.Money; mo != nil {
		cards = append(cards, card{Label: "Capex", Value: units.FormatUSD(mo.CapexUSD),
			Detail: fmt.Sprintf("revenue %s; peak funding need %s; money held capacity back in %d of %d weeks",
				units.FormatUSD(mo.RevenueUSD), units.FormatUSD(mo.PeakNeedUSD), mo.CapitalBoundWeeks, m.Weeks)})
	} else {
		cards = append(cards, card{Label: "Capex", Value: units.FormatUSD(s.CapexUSD),
			Detail: "on deliveries and expansions; no finance section, so capital is unconstrained"})
	}
	return cards
}

// swatch is a name with its colour.
type swatch struct {
	Name  string
	Color string
}

type quarterRow struct {
	Period string
	Lines  []swatch // empty: nothing held back
	Layer  string
}

// quarterRows is the binding constraint by quarter, consecutive quarters
// bound by the same layer merged, as in the text summary.
func quarterRows(in *input) []quarterRow {
	var out []quarterRow
	for _, run := range runsOf(in.m, in.s.Quarters) {
		row := quarterRow{Period: run.first}
		if run.last != run.first {
			row.Period += " – " + run.last
		}
		for _, name := range run.names {
			if i := in.m.LineIndex(name); i >= 0 {
				row.Lines = append(row.Lines, swatch{Name: name, Color: in.colors[i]})
			}
		}
		if len(row.Lines) > 0 {
			row.Layer = in.m.Lines[in.m.LineIndex(row.Lines[0].Name)].Layer
		}
		out = append(out, row)
	}
	return out
}

type shortfallRow struct {
	Line    swatch
	Layer   string
	GWWeeks string
	Binding int
}

// shortfallRows lists the five lines that held back the most capacity.
func shortfallRows(in *input) []shortfallRow {
	var out []shortfallRow
	for _, f := range in.s.Shortfalls {
		if len(out) == 5 {
			break
		}
		i := in.m.LineIndex(f.Line)
		if i < 0 {
			continue
		}
		out = append(out, shortfallRow{
			Line:    swatch{Name: f.Line, Color: in.colors[i]},
			Layer:   f.Layer,
			GWWeeks: units.FormatNumber(f.MWWeeks/1000, 0),
			Binding: f.BindingWeeks,
		})
	}
	return out
}
