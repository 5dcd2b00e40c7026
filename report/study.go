package report

import (
	"fmt"
	"github.com/gwf-project/gwf/calendar"
	"io"
	"math"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// HTMLWithStudy writes the report of a run (the scenario at its medians, as
// HTML does) with a Monte Carlo study's fan charts and milestone
// histograms first.
func HTMLWithStudy(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary, st *mc.Result) error {
	p, err := newPage(sc, r, s)
	if err != nil {
		return err
	}
	var secs []*section
	if sec := fanSection(r, st); sec != nil {
		secs = append(secs, sec)
	}
	if sec := histogramSection(st); sec != nil {
		secs = append(secs, sec)
	}
	var data []chartData
	for _, sec := range secs {
		for _, c := range sec.Charts {
			data = append(data, chartData{ID: c.ID, Kind: c.Kind, Spec: c.Spec})
		}
	}
	p.Sections = append(secs, p.Sections...)
	p.Data.Charts = append(data, p.Data.Charts...)
	return pageTemplate.Execute(w, p)
}

const (
	fanColor    = "#9cc3e6"
	medianColor = "#1f5fa8"
	runColor    = "#e07b28"
)

// fanSection draws the P10–P90 band and the P50 of capacity online and of
// capacity added per week, with the median-input run for comparison.
func fanSection(r *sim.Result, st *mc.Result) *section {
	n := min(len(st.Online), len(r.Weeks))
	if n == 0 || st.Completed == 0 {
		return nil
	}
	fan := func(bands []mc.Band, run func(w int) float64, name, unit string, weight float64) panel {
		lo, width, mid, one := make(nums, n), make(nums, n), make(nums, n), make(nums, n)
		for w := 0; w < n; w++ {
			b := bands[w]
			lo[w], width[w], mid[w] = b.P10/1000, math.Max(0, b.P90-b.P10)/1000, b.P50/1000
			one[w] = run(w) / 1000
		}
		return panel{Weight: weight, Y: axis{Name: name, Unit: unit}, Series: []series{
			{Name: "P10", Type: "area", Stack: "fan-" + name, Color: "rgba(0,0,0,0)", Values: lo},
			{Name: "P10 to P90", Type: "area", Stack: "fan-" + name, Color: fanColor, Values: width},
			{Name: "P50", Type: "line", Color: medianColor, Width: 2, Values: mid},
			{Name: "Run at the medians", Type: "line", Color: runColor, Dash: true, Values: one},
		}}
	}
	online := fan(st.Online, func(w int) float64 { return r.Weeks[w].OnlineMW }, "online, GW", "GW", 3)
	added := fan(st.Added, func(w int) float64 { return r.Weeks[w].AddedMW }, "brought online, GW/week", "GW/week", 2)
	caption := fmt.Sprintf("Over %d runs drawing %d uncertain inputs and %d possible disruption events: the shaded band holds the middle 80%% of runs (P10 to P90) week by week, the solid line their median (P50), the dashed line the single run with every input at its median (the rest of this report). Bands are %s.",
		st.Completed, st.Inputs, st.Events, exactness(st))
	return &section{ID: "montecarlo", Title: "How sure: Monte Carlo fan chart", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-fan", Kind: "timeseries", Height: 460, Spec: timeseries{Zoom: true, Panels: []panel{online, added}}}}}
}

func exactness(st *mc.Result) string {
	if st.BandsExact {
		return "exact quantiles"
	}
	return fmt.Sprintf("within %s%% of the exact quantiles", units.FormatNumber(mc.RelativeError*100, 2))
}

// histogramSection draws, for each milestone (the three rate milestones, then
// the GW online), the share of runs reaching it
// in each week.
func histogramSection(st *mc.Result) *section {
	if st.Completed == 0 {
		return nil
	}
	var panels []panel
	var notes []string
	palette := []string{"#1f5fa8", "#2e9e6a", "#e07b28", "#a04fb0", "#6b7b8c", "#c0392b"}
	all := append([]mc.Milestone{st.GWPerWeek, st.FirstQuarter, st.FourQuarters}, st.OnlineGW...)
	for k, ms := range all {
		if len(ms.Counts) == 0 {
			continue
		}
		var weeks []int
		var share nums
		for w, c := range ms.Counts[:len(ms.Counts)-1] {
			if c > 0 {
				weeks = append(weeks, w)
				share = append(share, 100*float64(c)/float64(st.Completed))
			}
		}
		never := 100 * float64(ms.Counts[len(ms.Counts)-1]) / float64(st.Completed)
		notes = append(notes, fmt.Sprintf("%s: reached in %s%% of runs; P10/P50/P90 %s / %s / %s.", ms.Label, units.FormatNumber(100-never, 1), weekText(st, ms.P10), weekText(st, ms.P50), weekText(st, ms.P90)))
		if len(weeks) == 0 {
			continue
		}
		panels = append(panels, panel{Weight: 1, Y: axis{Name: ms.Label + ", % of runs", Unit: "%"}, Series: []series{
			{Name: ms.Label, Type: "bar", Color: palette[k%len(palette)], Weeks: weeks, Values: share},
		}})
	}
	if len(panels) == 0 {
		return &section{ID: "milestones", Title: "When the milestones come", Caption: "No run reached any milestone within the horizon.", Notes: notes}
	}
	return &section{ID: "milestones", Title: "When the milestones come", Wide: true,
		Caption: "For each milestone, the share of runs reaching it in each week; runs that never reach it within the horizon are not drawn (their share is in the notes).",
		Notes:   notes,
		Charts:  []*chart{{ID: "chart-milestones", Kind: "timeseries", Height: 150 * len(panels), Spec: timeseries{Panels: panels}}}}
}

func weekText(st *mc.Result, w int) string {
	if w < 0 {
		return "not reached"
	}
	return calendar.New(st.Start).Day(w)
}
