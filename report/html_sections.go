package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// Colours of the ramp, money and mission charts (the supply lines have
// their own, from lineColors).
const (
	colorOnline   = "#2a6fb0"
	colorPipeline = "#9fbbd8"
	colorTarget   = "#5b6470"
	colorAverage  = "#e07b39"
	colorAdded    = "#7fa7cf"
	colorWait     = "#d7dbe1"
	colorLife     = "#9aa5b1"
)

var stagePalette = []string{"#8c6d4f", "#e8a33d", "#4f86c6", "#9b6bb5", "#3f9e6e", "#d1615d", "#6a8caf", "#c9a227"}

var missionPalette = []string{"#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d"}

// rampSection: online GW and GW added per week against the target ramp.
func rampSection(in *input) *section {
	r, s := in.r, in.s
	n := len(r.Weeks)
	online, pipeline, targetCum := make(nums, n), make(nums, n), make(nums, n)
	added, avg, target := make(nums, n), make(nums, n), make(nums, n)
	cum, window := 0.0, 0.0
	for i, w := range r.Weeks {
		online[i] = w.OnlineMW / 1000
		pipeline[i] = w.PipelineMW / 1000
		cum += w.TargetMW / 1000
		targetCum[i] = cum
		added[i] = w.AddedMW / 1000
		target[i] = w.TargetMW / 1000
		window += w.AddedMW
		if i >= summary.SustainWindow {
			window -= r.Weeks[i-summary.SustainWindow].AddedMW
		}
		avg[i] = window / float64(min(i+1, summary.SustainWindow)) / 1000
	}
	var marks []mark
	for _, gw := range summary.OnlineMilestonesGW {
		if ms := s.OnlineGW[gw]; ms != nil {
			marks = append(marks, mark{Week: ms.Week, Label: fmt.Sprintf("%d GW online", gw)})
		}
	}
	rate := summary.RateLabel(s.RateMW)
	if g := s.GWPerWeek; g != nil {
		marks = append(marks, mark{Week: g.Week, Label: rate})
	}
	spec := timeseries{
		Marks: marks,
		Zoom:  true,
		Panels: []panel{
			{Weight: 3, Y: axis{Name: "online, GW (cumulative)", Unit: "GW"}, Series: []series{
				{Name: "Online", Type: "area", Color: colorOnline, Values: online, Width: 2},
				{Name: "In the pipeline (started, not online)", Type: "line", Color: colorPipeline, Values: pipeline},
				{Name: "Target, cumulative", Type: "line", Color: colorTarget, Dash: true, Values: targetCum},
			}},
			{Weight: 2, Y: axis{Name: "brought online, GW/week", Unit: "GW/week"}, Series: []series{
				{Name: "Added this week", Type: "bar", Color: colorAdded, Values: added},
				{Name: fmt.Sprintf("%d-week average", summary.SustainWindow), Type: "line", Color: colorAverage, Values: avg, Width: 2},
				{Name: "Target ramp", Type: "line", Color: colorTarget, Dash: true, Values: target},
			}},
		},
	}
	caption := fmt.Sprintf("Above: IT capacity online and in the pipeline against the cumulative target. Below: GW brought online each week, its trailing %d-week average (the %s milestone asks that every %d-week window from the milestone on averages at least %s) and the target ramp. Vertical lines mark the milestones reached.",
		summary.SustainWindow, rate, summary.SustainWindow, rate)
	return &section{ID: "ramp", Title: "The ramp: capacity online against the target", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-ramp", Kind: "timeseries", Height: 520, Spec: spec}}}
}

// bottleneckSection: the bottleneck week by week as a coloured band, and
// the MW each line held back below it.
func bottleneckSection(in *input) *section {
	r, m := in.r, in.m
	n := len(r.Weeks)
	b := &band{Name: "Bottleneck", Unit: "MW held back", None: bandCat{Name: "nothing held back", Color: noneColor},
		Weeks: make([]int, n), Value: make(nums, n)}
	catOf := map[int]int{}
	// Categories in the order of the summary's shortfalls (most first), so
	// the legend reads as a ranking.
	for _, f := range in.s.Shortfalls {
		l := m.LineIndex(f.Line)
		if l < 0 || f.BindingWeeks == 0 {
			continue
		}
		catOf[l] = len(b.Cats)
		b.Cats = append(b.Cats, bandCat{Name: f.Line, Layer: f.Layer, Color: in.colors[l]})
	}
	for i, w := range r.Weeks {
		b.Weeks[i] = -1
		if w.Bottleneck >= 0 {
			if c, ok := catOf[w.Bottleneck]; ok {
				b.Weeks[i] = c
				b.Value[i] = r.HeldBackMW(i, w.Bottleneck)
			}
		}
	}
	var held []series
	for _, f := range in.s.Shortfalls {
		l := m.LineIndex(f.Line)
		if l < 0 {
			continue
		}
		v := make(nums, n)
		for i := range v {
			v[i] = r.HeldBackMW(i, l)
		}
		held = append(held, series{Name: f.Line, Type: "line", Step: true, Color: in.colors[l], Values: v})
	}
	spec := timeseries{Band: b, Zoom: true, Panels: []panel{
		{Weight: 1, Y: axis{Name: "held back, MW", Unit: "MW"}, Series: held},
	}}
	caption := "The band shows, week by week, the resource that held back the most MW — the bottleneck — " +
		"in the colour of its line below, which plots the MW each resource held back (a project lacking two things counts against both). " +
		"Pale grey: nothing held back that week."
	if len(held) == 0 {
		caption = "Nothing held capacity back in any week of the run."
	}
	return &section{ID: "bottlenecks", Title: "Bottlenecks, week by week", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-bottlenecks", Kind: "timeseries", Height: 400, Spec: spec}}}
}

// supplyLines is how many lines the supply section shows.
const supplyLines = 4

// supplySection: for the lines that held back the most, supply against
// deliveries and the backlog of orders.
func supplySection(in *input) *section {
	r, m := in.r, in.m
	var picks []int
	for _, f := range in.s.Shortfalls {
		l := m.LineIndex(f.Line)
		if l < 0 || m.Lines[l].Kind == sim.Capital || len(picks) == supplyLines {
			continue
		}
		picks = append(picks, l)
	}
	if len(picks) == 0 && m.Accel >= 0 {
		picks = append(picks, m.Accel)
	}
	sec := &section{ID: "supply", Title: "Supply lines that bound: capacity against demand"}
	sec.Caption = "For each resource that held back the most capacity: what its line could supply the factory each week (the dashed line is the part the factory paid to add), what it delivered (bars), and the backlog of orders waiting for it (shaded, right axis). A backlog that keeps growing is demand the line cannot meet; its length in weeks of supply is the queue a new order joins."
	if m.Capital >= 0 {
		sec.Caption += " Capital is shown with the money, below."
	}
	n := len(r.Weeks)
	for _, l := range picks {
		line, ls := m.Lines[l], r.Lines[l]
		unit := line.Unit
		supply, delivered, backlog, dedicated := make(nums, n), make(nums, n), make(nums, n), make(nums, n)
		anyBacklog, anyDedicated := false, false
		for i := 0; i < n && i < len(ls.Supply); i++ {
			supply[i], delivered[i], backlog[i], dedicated[i] = ls.Supply[i], ls.Delivered[i], ls.Backlog[i], ls.Dedicated[i]
			anyBacklog = anyBacklog || ls.Backlog[i] > 0
			anyDedicated = anyDedicated || ls.Dedicated[i] > 0
		}
		supplyName, deliveredName := "Supply", "Delivered"
		switch line.Kind {
		case sim.Crew:
			supplyName, deliveredName = "Workforce", "Held by stages"
		case sim.Robot:
			supplyName, deliveredName = "Robots produced", "Robots at work"
		case sim.Upstream:
			supplyName, deliveredName = "Capacity", "Used"
		}
		p := panel{Weight: 1, Y: axis{Name: unit + " per week", Unit: unit + "/week"}}
		p.Series = append(p.Series,
			series{Name: deliveredName, Type: "bar", Color: "#a9b4c2", Values: delivered},
			series{Name: supplyName, Type: "line", Color: in.colors[l], Values: supply, Width: 2})
		if anyDedicated {
			p.Series = append(p.Series, series{Name: "Paid for by the factory", Type: "line", Dash: true, Color: in.colors[l], Values: dedicated})
		}
		if anyBacklog {
			p.Y2 = &axis{Name: "backlog, " + unit, Unit: unit}
			p.Series = append(p.Series, series{Name: "Backlog", Type: "area", Axis: 1, Color: "#c4a3d6", Values: backlog})
		}
		var facts []string
		for _, f := range in.s.Shortfalls {
			if f.Line == line.Name {
				facts = append(facts, fmt.Sprintf("held back %s GW·weeks; the bottleneck in %d weeks", units.FormatNumber(f.MWWeeks/1000, 1), f.BindingWeeks))
			}
		}
		if last := n - 1; anyBacklog && supply[last] > 0 {
			facts = append(facts, fmt.Sprintf("at the end %s %s on order, %s weeks of supply",
				units.FormatNumber(backlog[last], 0), unit, units.FormatNumber(backlog[last]/supply[last], 0)))
		}
		title := line.Name
		if line.Layer != "" {
			title += " (" + line.Layer + ")"
		}
		caption := strings.Join(facts, "; ")
		if caption != "" {
			caption = strings.ToUpper(caption[:1]) + caption[1:] + "."
		}
		sec.Charts = append(sec.Charts, &chart{ID: fmt.Sprintf("chart-supply-%d-%s", l, htmlID(line.Name)), Kind: "timeseries", Height: 300,
			Title: title, Caption: caption, Spec: timeseries{Panels: []panel{p}}})
	}
	sec.Wide = len(sec.Charts) == 1
	return sec
}

// ganttRows is about how many projects the Gantt chart shows; a run with
// more shows every Nth.
const ganttRows = 120

// ganttSection: the projects' stages over time.
func ganttSection(in *input) *section {
	r, m := in.r, in.m
	g := gantt{Wait: colorWait, Life: colorLife}
	for i, st := range m.Stages {
		g.Stages = append(g.Stages, bandCat{Name: st.Name, Color: stagePalette[i%len(stagePalette)]})
	}
	lineIndex := map[string]int{}
	for i, l := range m.Lines {
		g.Lines = append(g.Lines, l.Name)
		lineIndex[l.Name] = i
	}
	total := len(r.Projects)
	step := max(1, int(math.Ceil(float64(total)/ganttRows)))
	for k, p := range r.Projects {
		if k%step != 0 {
			continue
		}
		row := ganttRow{ID: p.ID, MW: p.MW, Gen: p.Generation, Start: p.StartWeek, Online: p.OnlineWeek}
		for _, st := range p.Stages {
			i := m.StageIndex(st.Stage)
			if i < 0 {
				continue
			}
			waited := -1
			if j, ok := lineIndex[st.WaitedOn]; ok {
				waited = j
			}
			row.Stages = append(row.Stages, ganttStage{i, st.ReadyWeek, st.StartWeek, st.EndWeek, waited})
		}
		g.Rows = append(g.Rows, row)
	}
	shown := fmt.Sprintf("All %d projects", total)
	if step > 1 {
		shown = fmt.Sprintf("Every %s of the %d projects (%d shown)", ordinal(step), total, len(g.Rows))
	}
	caption := shown + ", in the order they were started. Each bar is a stage; grey before a stage is time it was ready but waited for an input or a crew (hover for which); the thin line runs from the start (when orders are placed) to online. Stages are planned as late as their successors allow, so early weeks with no bar are lead time, not delay."
	if total == 0 {
		caption = "No project was started within the horizon."
	}
	height := min(760, max(320, 90+5*len(g.Rows)))
	return &section{ID: "projects", Title: "Projects, stage by stage", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-gantt", Kind: "gantt", Height: height, Spec: g}}}
}

// moneySection: spending, revenue, cash and debt, when the scenario has a
// finance section.
func moneySection(in *input) *section {
	r, s, m := in.r, in.s, in.m
	mo := s.Money
	if m.Finance == nil || mo == nil {
		return nil
	}
	var weeks []int
	var capex, opex, interest, revenue nums
	for qi, q := range s.Quarters {
		end := len(r.Weeks)
		if qi+1 < len(s.Quarters) {
			end = s.Quarters[qi+1].FirstWeek
		}
		var c, o, it, rev float64
		for w := q.FirstWeek; w < end; w++ {
			wk := r.Weeks[w]
			c += wk.CapexUSD
			o += wk.OpexUSD
			it += wk.InterestUSD
			rev += wk.RevenueUSD
		}
		weeks = append(weeks, (q.FirstWeek+end)/2)
		capex = append(capex, c/1e9)
		opex = append(opex, o/1e9)
		interest = append(interest, it/1e9)
		revenue = append(revenue, rev/1e9)
	}
	n := len(r.Weeks)
	cash, debt := make(nums, n), make(nums, n)
	for i, w := range r.Weeks {
		cash[i], debt[i] = w.CashUSD/1e9, w.DebtUSD/1e9
	}
	spec := timeseries{Zoom: true, Panels: []panel{
		{Weight: 3, Y: axis{Name: "per quarter, $B", Unit: "$B"}, Series: []series{
			{Name: "Capex", Type: "bar", Color: "#4e79a7", Weeks: weeks, Values: capex},
			{Name: "Running costs", Type: "bar", Color: "#f28e2b", Weeks: weeks, Values: opex},
			{Name: "Interest", Type: "bar", Color: "#e15759", Weeks: weeks, Values: interest},
			{Name: "Revenue", Type: "bar", Color: "#59a14f", Weeks: weeks, Values: revenue},
		}},
		{Weight: 2, Y: axis{Name: "at the end of the week, $B", Unit: "$B"}, Series: []series{
			{Name: "Debt outstanding", Type: "line", Color: "#b07aa1", Values: debt, Width: 2},
			{Name: "Cash", Type: "area", Color: "#17a2b8", Values: cash},
		}},
	}}
	payback := "cumulative revenue does not cover all spending within the horizon"
	if mo.PaybackWeek >= 0 {
		payback = "cumulative revenue covers all spending from " + day(m.Date(mo.PaybackWeek))
	}
	caption := fmt.Sprintf("Above: capex, running costs, interest and revenue per calendar quarter. Below: cash and debt outstanding. Over the run: capex %s (%s financed by vendors and leases), running costs %s, revenue %s, interest %s; %s equity raised and %s debt drawn; peak funding need %s in %s; %s. Money held capacity back in %d of %d weeks.",
		units.FormatUSD(mo.CapexUSD), units.FormatUSD(mo.FinancedUSD), units.FormatUSD(mo.OpexUSD), units.FormatUSD(mo.RevenueUSD), units.FormatUSD(mo.InterestUSD),
		units.FormatUSD(mo.EquityUSD), units.FormatUSD(mo.DrawnUSD), units.FormatUSD(mo.PeakNeedUSD), day(m.Date(mo.PeakNeedWeek)), payback, mo.CapitalBoundWeeks, m.Weeks)
	return &section{ID: "money", Title: "Money: spending, revenue, cash and debt", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-money", Kind: "timeseries", Height: 460, Spec: spec}}}
}

// missionsSection: the online compute split among missions, with the
// demand left unmet, when the scenario lists missions.
func missionsSection(in *input) *section {
	r, s, m := in.r, in.s, in.m
	if len(m.Missions) == 0 || len(r.Missions) != len(m.Missions) {
		return nil
	}
	n := len(r.Weeks)
	peak := 0.0
	for w := 0; w < n; w++ {
		d := 0.0
		for k := range r.Missions {
			d += r.Missions[k].Demand[w]
		}
		peak = math.Max(peak, d)
	}
	scale, prefix := flopScale(peak)
	unit := prefix + "FLOP/s"
	served := panel{Weight: 3, Y: axis{Name: "compute, " + unit, Unit: unit}}
	share := panel{Weight: 2, Y: axis{Name: "demand served, %", Unit: "%", Max: ptr(100)}}
	unmet := make(nums, n)
	for k, mi := range m.Missions {
		ser := r.Missions[k]
		color := missionPalette[k%len(missionPalette)]
		v, sh := make(nums, n), make(nums, n)
		for w := 0; w < n; w++ {
			v[w] = ser.Served[w] / scale
			unmet[w] += math.Max(0, ser.Demand[w]-ser.Served[w]) / scale
			sh[w] = math.NaN()
			if ser.Demand[w] > 0 {
				sh[w] = 100 * ser.Served[w] / ser.Demand[w]
			}
		}
		served.Series = append(served.Series, series{Name: mi.Name, Type: "area", Stack: "served", Color: color, Values: v})
		share.Series = append(share.Series, series{Name: mi.Name, Type: "line", Color: color, Values: sh})
	}
	served.Series = append(served.Series, series{Name: "Unmet demand", Type: "area", Stack: "served", Color: "#d5d9df", Values: unmet})
	var parts []string
	for _, o := range s.Missions {
		parts = append(parts, fmt.Sprintf("%s %s%%", o.Name, units.FormatNumber(o.ServedShare*100, 0)))
	}
	caption := fmt.Sprintf("Above: the online compute each mission was served (stacked), with the demand left unmet on top; below: the share of each mission's demand served. Allocation: %s. Share of demand served over the run: %s.",
		allocationName(m), strings.Join(parts, ", "))
	spec := timeseries{Zoom: true, Panels: []panel{served, share}}
	return &section{ID: "missions", Title: "Who the compute served", Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-missions", Kind: "timeseries", Height: 480, Spec: spec}}}
}

// flopScale picks an SI prefix for FLOP/s figures up to peak.
func flopScale(peak float64) (float64, string) {
	for _, p := range []struct {
		scale  float64
		prefix string
	}{{1e24, "Y"}, {1e21, "Z"}, {1e18, "E"}, {1e15, "P"}, {1e12, "T"}} {
		if peak >= p.scale {
			return p.scale, p.prefix
		}
	}
	return 1e9, "G"
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// htmlID makes a name safe as part of an element id.
func htmlID(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
