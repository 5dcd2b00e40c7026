package report

import (
	"embed"
	"fmt"
	"github.com/gwf-project/gwf/calendar"
	"html/template"
	"io"
	"strings"

	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// The page's template, style and script, and the chart library (Apache
// ECharts, installed from npm by report/web and copied here by its vendor
// script), are embedded so the report needs nothing but the gwf binary to
// write and nothing but a browser to read.
//
//go:embed assets/report.html assets/report.css assets/report.js assets/echarts.min.js
var assets embed.FS

var pageTemplate = template.Must(template.New("report.html").ParseFS(assets, "assets/report.html"))

// HTML writes the report of a run as one self-contained HTML page: the
// summary `gwf run` prints, charts of the ramp, the bottlenecks, the supply
// lines that bound, the projects and (when the scenario has them) money and
// missions, and the effective scenario with every value's source. The page
// loads nothing from the network; the same run always gives the same bytes.
func HTML(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary) error {
	p, err := newPage(sc, r, s)
	if err != nil {
		return err
	}
	return pageTemplate.Execute(w, p)
}

// Comparison is one recorded series set against the simulation, period by
// period: for a backtest. Weeks are the run's weeks at which each period
// ends.
type Comparison struct {
	Name      string
	Unit      string
	Weeks     []int
	Recorded  []float64
	Simulated []float64
}

// HTMLWithComparisons writes the report of a run, as HTML does, with a
// section setting recorded series against the simulated ones (a backtest).
func HTMLWithComparisons(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary, caption string, comps []Comparison) error {
	return htmlWithComparisons(w, sc, r, s, "backtest", "Backtest: simulated against recorded", "Recorded", caption, comps)
}

// HTMLWithPlan writes the report of a run that followed a plan, with the
// plan's series (the Recorded field of each comparison) set against the
// simulation's.
func HTMLWithPlan(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary, caption string, comps []Comparison) error {
	return htmlWithComparisons(w, sc, r, s, "plan", "Plan against simulation", "Planned", caption, comps)
}

func htmlWithComparisons(w io.Writer, sc *scenario.Scenario, r *sim.Result, s *summary.Summary, id, title, reference, caption string, comps []Comparison) error {
	p, err := newPage(sc, r, s)
	if err != nil {
		return err
	}
	if sec := comparisonSection(id, title, reference, caption, comps); sec != nil {
		p.Sections = append([]*section{sec}, p.Sections...)
		for _, c := range sec.Charts {
			p.Data.Charts = append([]chartData{{ID: c.ID, Kind: c.Kind, Spec: c.Spec}}, p.Data.Charts...)
		}
	}
	return pageTemplate.Execute(w, p)
}

func comparisonSection(id, title, reference, caption string, comps []Comparison) *section {
	var panels []panel
	for _, c := range comps {
		if len(c.Weeks) == 0 {
			continue
		}
		rec, sim := make(nums, len(c.Recorded)), make(nums, len(c.Simulated))
		copy(rec, c.Recorded)
		copy(sim, c.Simulated)
		panels = append(panels, panel{Weight: 1, Y: axis{Name: c.Name + ", " + c.Unit, Unit: c.Unit}, Series: []series{
			{Name: reference, Type: "line", Color: "#1f5fa8", Width: 2, Points: len(c.Weeks) < 60, Weeks: c.Weeks, Values: rec},
			{Name: "Simulated", Type: "line", Color: "#e07b28", Width: 2, Dash: true, Points: len(c.Weeks) < 60, Weeks: c.Weeks, Values: sim},
		}})
	}
	if len(panels) == 0 {
		return nil
	}
	return &section{ID: id, Title: title, Caption: caption, Wide: true,
		Charts: []*chart{{ID: "chart-" + id, Kind: "timeseries", Height: 170 * len(panels), Spec: timeseries{Panels: panels}}}}
}

// page is what the template renders.
type page struct {
	Title       string
	Scenario    string
	Description string
	Facts       []string // one-line facts under the title: horizon, target, definitions
	Version     string
	Answer      string // summary.Headline's sentence
	Headline    []card
	Quarters    []quarterRow
	Shortfalls  []shortfallRow
	Sections    []*section
	Table       scenarioTable

	CSS      template.CSS
	ChartLib template.JS
	Script   template.JS
	Data     payload // JSON for the charts, escaped by html/template
}

// card is one headline figure.
type card struct {
	Label  string
	Value  string
	Detail string
	Good   bool // reached: shown in the positive colour
	Bad    bool // not reached
}

// section is one part of the report: a title, a caption saying what it
// shows, and its charts. Charts whose data is absent are not built.
type section struct {
	ID      string
	Title   string
	Caption string
	Charts  []*chart
	// Wide lays the charts out one per row; otherwise small multiples.
	Wide bool
	// Notes are short lines under the charts (e.g. a table in words).
	Notes []string
}

// chart is one chart: its box on the page and its data for the script.
type chart struct {
	ID      string
	Title   string // for charts in a group; a lone chart uses its section's title
	Caption string
	Height  int // px
	Kind    string
	Spec    any
}

// payload is the JSON the page's script draws the charts from.
type payload struct {
	Start  string      `json:"start"` // the first day of week 0, YYYY-MM-DD
	Weeks  int         `json:"weeks"`
	Charts []chartData `json:"charts"`
}

type chartData struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Spec any    `json:"spec"`
}

// input is what every section builder reads.
type input struct {
	sc     *scenario.Scenario
	r      *sim.Result
	s      *summary.Summary
	m      *sim.Model
	colors []string // per line, in scenario order
}

// sectionBuilders build the report's sections in order. Each returns nil
// when its data is absent (money without a finance section, missions
// without missions), so sections for new analyses (Monte Carlo fan charts,
// tornado) are added here as they land.
var sectionBuilders = []func(*input) *section{
	rampSection,
	bottleneckSection,
	supplySection,
	ganttSection,
	moneySection,
	missionsSection,
}

func newPage(sc *scenario.Scenario, r *sim.Result, s *summary.Summary) (*page, error) {
	if sc == nil || r == nil || s == nil || r.Model == nil {
		return nil, fmt.Errorf("report: HTML needs a scenario, a result and its summary")
	}
	if len(r.Weeks) == 0 {
		return nil, fmt.Errorf("report: the run has no weeks")
	}
	lib, err := assets.ReadFile("assets/echarts.min.js")
	if err != nil {
		return nil, err
	}
	css, err := assets.ReadFile("assets/report.css")
	if err != nil {
		return nil, err
	}
	js, err := assets.ReadFile("assets/report.js")
	if err != nil {
		return nil, err
	}
	m := r.Model
	in := &input{sc: sc, r: r, s: s, m: m, colors: lineColors(m, s)}
	p := &page{
		Title:       fmt.Sprintf("gwf report — %s", m.Name),
		Scenario:    m.Name,
		Description: strings.TrimSpace(sc.Description),
		Version:     version.Version,
		CSS:         template.CSS(css),
		ChartLib:    template.JS(lib),
		Script:      template.JS(js),
		Data:        payload{Start: day(m.Start), Weeks: len(r.Weeks)},
	}
	end := calendar.New(m.Start).LastDay(m.Weeks - 1)
	p.Facts = []string{
		fmt.Sprintf("Seed %d · %d weeks, %s to %s · gwf %s", m.Seed, m.Weeks, day(m.Start), day(end), version.Version),
		fmt.Sprintf("Target: %s/week by %s (from %s/week at the start).",
			units.FormatMW(m.TargetMWpw), day(m.Date(m.TargetWeek)), units.FormatMW(m.InitialMWpw)),
		fmt.Sprintf("A gigawatt here is 1,000 MW of IT capacity brought online; grid power is IT × PUE %s.", units.FormatNumber(m.PUE, 2)),
	}
	p.Answer = summary.HeadlineOf(r, s).Sentence()
	p.Headline = headline(in)
	p.Quarters = quarterRows(in)
	p.Shortfalls = shortfallRows(in)
	for _, build := range sectionBuilders {
		sec := build(in)
		if sec == nil {
			continue
		}
		p.Sections = append(p.Sections, sec)
		for _, c := range sec.Charts {
			p.Data.Charts = append(p.Data.Charts, chartData{ID: c.ID, Kind: c.Kind, Spec: c.Spec})
		}
	}
	p.Table = newScenarioTable(sc)
	return p, nil
}
