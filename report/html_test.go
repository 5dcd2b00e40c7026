package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sensitivity"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// referenceRun runs the embedded reference scenario.
func referenceRun(t testing.TB) (*scenario.Scenario, *sim.Result, *summary.Summary) {
	t.Helper()
	sc, err := scenario.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	r := sim.Run(m, sim.NewController())
	return sc, r, summary.Of(r)
}

// referenceHTML is the report of the reference run.
func referenceHTML(t testing.TB) []byte {
	t.Helper()
	sc, r, s := referenceRun(t)
	var b bytes.Buffer
	if err := HTML(&b, sc, r, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHTMLHasEverySectionChartAndCaption(t *testing.T) {
	sc, r, s := referenceRun(t)
	var b bytes.Buffer
	if err := HTML(&b, sc, r, s); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	t.Logf("report: %d bytes", len(page))

	sections := []struct{ id, title string }{
		{"summary", "Summary"},
		{"ramp", "The ramp: capacity online against the target"},
		{"bottlenecks", "Bottlenecks, week by week"},
		{"supply", "Supply lines that bound"},
		{"projects", "Projects, stage by stage"},
		{"money", "Money: spending, revenue, cash and debt"},
		{"missions", "Who the compute served"},
		{"scenario", "The effective scenario, with sources"},
	}
	for _, sec := range sections {
		if !strings.Contains(page, `<section id="`+sec.id+`" class="panel">`) {
			t.Errorf("no section %q", sec.id)
		}
		if !strings.Contains(page, "<h2>"+sec.title) {
			t.Errorf("section %q: no title %q", sec.id, sec.title)
		}
		if !strings.Contains(page, `href="#`+sec.id+`"`) {
			t.Errorf("section %q: not in the contents", sec.id)
		}
	}
	// Every chart section has a caption, and every chart a container.
	captions := regexp.MustCompile(`</h2>\s*<p class="caption">[^<]{40,}`).FindAllString(page, -1)
	if want := len(sections) - 1; len(captions) < want { // the summary has no caption line
		t.Errorf("%d sections with a caption, want at least %d", len(captions), want)
	}
	for _, id := range []string{"chart-ramp", "chart-bottlenecks", "chart-gantt", "chart-money", "chart-missions"} {
		if !strings.Contains(page, `<div class="chart" id="`+id+`"`) {
			t.Errorf("no chart container %q", id)
		}
	}
	if n := strings.Count(page, `<div class="chart" id="chart-supply-`); n < 1 || n > supplyLines {
		t.Errorf("%d supply-line charts, want 1 to %d", n, supplyLines)
	}
	// Each supply-line chart has its own title and a caption with figures.
	if n := len(regexp.MustCompile(`<figcaption class="chart-title">[^<]+</figcaption>\s*<div class="chart" id="chart-supply-[^"]+" style="height: \d+px"></div>\s*<p class="chart-caption">Held back [0-9.,]+ GW·weeks`).FindAllString(page, -1)); n == 0 {
		t.Errorf("supply charts lack their titles or captions")
	}

	// The summary states the same facts as gwf run.
	var text bytes.Buffer
	if err := Text(&text, sc, r, s); err != nil {
		t.Fatal(err)
	}
	for _, gw := range summary.OnlineMilestonesGW {
		if ms := s.OnlineGW[gw]; ms != nil {
			if want := day(ms.Date); !strings.Contains(text.String(), want) || !strings.Contains(page, want) {
				t.Errorf("%d GW online on %s: missing from the text or the report", gw, want)
			}
		}
	}
	if s.GWPerWeek == nil {
		for _, want := range append([]string{"not reached"}, s.ShortAtEnd...) {
			if !strings.Contains(page, want) {
				t.Errorf("1 GW/week not reached, but the report does not say %q", want)
			}
		}
	}
	// Both give the quarterly milestones at the target rate, by quarter
	// or as not reached.
	rate := summary.RateLabel(s.RateMW)
	for _, label := range []string{"First quarter at " + rate, "Four quarters in a row at " + rate} {
		if !strings.Contains(text.String(), label) || !strings.Contains(page, label) {
			t.Errorf("%q missing from the text or the report", label)
		}
	}
	for _, q := range []*summary.QuarterMilestone{s.FirstQuarter, s.FourQuarters} {
		if q != nil && (!strings.Contains(text.String(), q.Quarter) || !strings.Contains(page, q.Quarter)) {
			t.Errorf("quarter %s missing from the text or the report", q.Quarter)
		}
	}
	for _, q := range s.Quarters {
		if !strings.Contains(page, q.Label) && strings.Contains(text.String(), q.Label) {
			t.Errorf("quarter %s is in the text summary but not in the report", q.Label)
		}
	}
	// The Gantt chart says how it sampled the projects.
	if !regexp.MustCompile(`(Every \d+(st|nd|rd|th) of the \d+ projects \(\d+ shown\)|All \d+ projects), in the order they were started`).MatchString(page) {
		t.Errorf("the Gantt chart's caption does not say which projects it shows")
	}
	// The scenario table lists every value with its source, overrides marked.
	entries := sc.Entries()
	if n := strings.Count(page, `<td class="path">`); n != len(entries) {
		t.Errorf("scenario table has %d rows, want %d", n, len(entries))
	}
	for _, en := range entries[:5] {
		if !strings.Contains(page, `<td class="path">`+en.Path+`</td>`) {
			t.Errorf("scenario table lacks %s", en.Path)
		}
	}
}

func TestHTMLMarksOverrides(t *testing.T) {
	read := func(name string) ([]byte, error) {
		if name == "mine.yaml" {
			return []byte("base: reference\nname: mine\nresources:\n  grid:\n    lead_time: {value: 60 weeks, source: \"utility quote, 2026\", confidence: analyst}\n"), nil
		}
		return nil, os.ErrNotExist
	}
	sc, err := scenario.Load("mine.yaml", read)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	r := sim.Run(m, sim.NewController())
	var b bytes.Buffer
	if err := HTML(&b, sc, r, summary.Of(r)); err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`<tr class="overridden"><td class="mark">\*</td><td class="path">resources\.grid\.lead_time</td><td class="value">60 weeks</td><td>utility quote, 2026</td><td><span class="conf conf-analyst">analyst</span></td></tr>`)
	if !row.Match(b.Bytes()) {
		t.Errorf("the overridden grid lead time is not marked with its source")
	}
	if n := bytes.Count(b.Bytes(), []byte(`<tr class="overridden">`)); n != 1 {
		t.Errorf("%d rows marked overridden, want 1", n)
	}
	if !bytes.Contains(b.Bytes(), []byte("Rows marked <span class=\"over-mark\">*</span> (1) are set in mine.yaml")) {
		t.Errorf("the table's caption does not say which file overrides")
	}
}

// TestHTMLIsSelfContained checks the page fetches nothing: no src or href
// to another file, no stylesheet links or imports, and no web address
// except XML namespace names and the licence addresses in the embedded
// library's comments, which a browser never fetches.
func TestHTMLIsSelfContained(t *testing.T) {
	page := string(referenceHTML(t))
	// The markup checks look at the page without the inlined library, whose
	// code builds markup in strings for features the report does not use
	// (ECharts' "save as image" writes an <img src=…> into a new window).
	// The library is checked for web addresses below, and the browser test
	// checks that the page asks the network for nothing.
	const libStart = "<script>/*! echarts "
	i := strings.Index(page, libStart)
	if i < 0 {
		t.Fatal("the chart library is not inlined")
	}
	j := strings.Index(page[i:], "</script>")
	if j < 0 {
		t.Fatal("the chart library's script element is not closed")
	}
	markup := page[:i] + page[i+j:]
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<(script|img|iframe|audio|video|source|embed)\b[^>]*\ssrc\s*=`),
		regexp.MustCompile(`(?i)<link\b`),
		regexp.MustCompile(`(?i)@import`),
		regexp.MustCompile(`(?i)url\(\s*['"]?(https?:)?//`),
		regexp.MustCompile(`(?i)href\s*=\s*["']?(https?:)?//`),
		regexp.MustCompile(`//cdn\.|jsdelivr|unpkg|cdnjs|googleapis`),
	} {
		if m := bad.FindString(markup); m != "" {
			t.Errorf("the page refers outside itself: %q", m)
		}
	}
	allowed := map[string]bool{
		"http://www.w3.org/2000/svg":                            true,
		"http://www.w3.org/1999/xlink":                          true,
		"http://www.w3.org/2000/xmlns/":                         true,
		"http://www.w3.org/XML/1998/namespace":                  true,
		"http://www.apache.org/licenses/LICENSE-2.0":            true, // ECharts' licence header
		"https://github.com/ecomfe/zrender/blob/master/LICENSE": true, // zrender's licence note
	}
	for _, u := range regexp.MustCompile(`https?://[^\s"'<>()\\]+`).FindAllString(page, -1) {
		if !allowed[strings.TrimRight(u, ".,;")] {
			t.Errorf("the page holds a web address: %s", u)
		}
	}
	if n := strings.Count(markup, "<script"); n != 2 {
		t.Errorf("%d script elements besides the library, want 2 (the chart data and the report's script)", n)
	}
}

func TestHTMLIsDeterministic(t *testing.T) {
	a, b := referenceHTML(t), referenceHTML(t)
	if !bytes.Equal(a, b) {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Fatalf("two reports of the same run differ from byte %d: %q vs %q", i, a[i:min(len(a), i+80)], b[i:min(len(b), i+80)])
	}
}

// TestHTMLEscapesNames puts markup into names that reach both the HTML and
// the chart data, and checks it stays text.
func TestHTMLEscapesNames(t *testing.T) {
	sc, r, s := referenceRun(t)
	evil := `grid</script><script>alert("x")</script>`
	sc.Description = `<b>bold</b> & "quoted"`
	l := r.Model.LineIndex("grid")
	if l < 0 {
		t.Skip("the reference has no grid line")
	}
	r.Model.Lines[l].Name = evil
	short := false
	for i := range s.Shortfalls {
		if s.Shortfalls[i].Line == "grid" {
			s.Shortfalls[i].Line, short = evil, true
		}
	}
	var b bytes.Buffer
	if err := HTML(&b, sc, r, s); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, `<script>alert`) || strings.Contains(page, "<b>bold</b>") {
		t.Fatalf("markup from names reached the page unescaped")
	}
	if !strings.Contains(page, "&lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;") {
		t.Errorf("the description is not shown as text")
	}
	raw := dataJSON(t, page)
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("the chart data is not valid JSON: %v", err)
	}
	if short && !strings.Contains(raw, `grid\u003c/script\u003e\u003cscript\u003ealert(\"x\")`) {
		t.Errorf("the line's name is not in the chart data, escaped")
	}
}

// dataJSON returns the chart data embedded in page.
func dataJSON(t *testing.T, page string) string {
	t.Helper()
	const open = `<script id="gwf-data" type="application/json">`
	i := strings.Index(page, open)
	if i < 0 {
		t.Fatal("no chart data in the page")
	}
	rest := page[i+len(open):]
	j := strings.Index(rest, "</script>")
	if j < 0 {
		t.Fatal("chart data not closed")
	}
	return rest[:j]
}

func TestHTMLChartDataMatchesContainers(t *testing.T) {
	page := referenceHTML(t)
	var raw struct {
		Start  string `json:"start"`
		Weeks  int    `json:"weeks"`
		Charts []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"charts"`
	}
	if err := json.Unmarshal([]byte(dataJSON(t, string(page))), &raw); err != nil {
		t.Fatal(err)
	}
	ids := chartIDs(page)
	if len(raw.Charts) != len(ids) {
		t.Fatalf("%d charts in the data, %d containers", len(raw.Charts), len(ids))
	}
	for i, c := range raw.Charts {
		if c.ID != ids[i] {
			t.Errorf("chart %d: data for %q, container %q", i, c.ID, ids[i])
		}
		if c.Kind != "timeseries" && c.Kind != "gantt" {
			t.Errorf("chart %s: kind %q has no renderer", c.ID, c.Kind)
		}
	}
	if raw.Start == "" || raw.Weeks == 0 {
		t.Errorf("start %q, %d weeks", raw.Start, raw.Weeks)
	}
}

// TestHTMLWithoutMoneyOrMissions: sections whose data is absent are left out.
func TestHTMLWithoutMoneyOrMissions(t *testing.T) {
	sc, r, s := referenceRun(t)
	m := *r.Model
	m.Finance, m.Missions = nil, nil
	r.Model, r.Missions = &m, nil
	s.Money, s.Missions = nil, nil
	var b bytes.Buffer
	if err := HTML(&b, sc, r, s); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, id := range []string{"money", "missions"} {
		if strings.Contains(page, `<section id="`+id+`"`) || strings.Contains(page, `"chart-`+id+`"`) {
			t.Errorf("section %s present without its data", id)
		}
	}
	if !strings.Contains(page, "no finance section, so capital is unconstrained") {
		t.Errorf("the summary does not say capital is unconstrained")
	}
}

func TestHTMLRefusesEmptyInput(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, nil, nil, nil); err == nil {
		t.Error("HTML(nil, nil, nil) did not fail")
	}
	if b.Len() != 0 {
		t.Errorf("HTML wrote %d bytes before failing", b.Len())
	}
}

func TestNumsJSON(t *testing.T) {
	tests := []struct {
		name string
		in   nums
		want string
	}{
		{"empty", nums{}, `[]`},
		{"integers", nums{0, 1, 250, 1000000}, `[0,1,250,1000000]`},
		{"five significant digits", nums{97.754321, 0.000123456, 123456789}, `[97.754,0.00012346,123460000]`},
		{"negative and negative zero", nums{-2.5, math.Copysign(0, -1)}, `[-2.5,0]`},
		{"gaps", nums{math.NaN(), math.Inf(1), math.Inf(-1)}, `[null,null,null]`},
		{"huge and tiny", nums{4.55e23, 1e-9}, `[4.55e+23,1e-09]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestEmbeddedEChartsMatchesPackageLock fails when the committed chart
// library and the npm files that pin it disagree: update them together
// (cd report/web && npm install echarts@X --save-exact && npm run vendor).
func TestEmbeddedEChartsMatchesPackageLock(t *testing.T) {
	lib, err := assets.ReadFile("assets/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	header := regexp.MustCompile(`^/\*! echarts (\d+\.\d+\.\d+) `).FindSubmatch(lib)
	if header == nil {
		t.Fatalf("assets/echarts.min.js does not start with the vendor header %q", "/*! echarts X.Y.Z")
	}
	version := string(header[1])
	if inner := regexp.MustCompile(`version="(\d+\.\d+\.\d+)"`).FindSubmatch(lib); inner == nil || string(inner[1]) != version {
		t.Errorf("the header says echarts %s but the library's own version string is %q", version, inner)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	readJSON(t, "web/package.json", &pkg)
	if got := pkg.Dependencies["echarts"]; got != version {
		t.Errorf("web/package.json pins echarts %q, the embedded file is %s", got, version)
	}
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	readJSON(t, "web/package-lock.json", &lock)
	if got := lock.Packages["node_modules/echarts"]; got.Version != version || got.Integrity == "" {
		t.Errorf("web/package-lock.json locks echarts %q (integrity %q), the embedded file is %s", got.Version, got.Integrity, version)
	}
	if bytes.Contains(lib, []byte("</script")) {
		t.Errorf("the library contains </script and cannot be inlined")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func BenchmarkHTML(b *testing.B) {
	sc, r, s := referenceRun(b)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := HTML(&buf, sc, r, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/report")
}

func ExampleHTML() {
	sc, err := scenario.Load("", nil) // the embedded reference
	if err != nil {
		panic(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		panic(err)
	}
	r := sim.Run(m, sim.NewController())
	var page bytes.Buffer
	if err := HTML(&page, sc, r, summary.Of(r)); err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(page.String(), "<!DOCTYPE html>"), strings.Contains(page.String(), `id="chart-ramp"`))
	// Output: true true
}

// A comparison section (a backtest) comes first, with its chart's data.
func TestHTMLWithComparisons(t *testing.T) {
	sc, r, s := referenceRun(t)
	var b strings.Builder
	comps := []Comparison{{Name: "accelerators_shipped", Unit: "accelerators", Weeks: []int{52, 104}, Recorded: []float64{1, 2}, Simulated: []float64{1.5, 2.5}}}
	if err := HTMLWithComparisons(&b, sc, r, s, "recorded against simulated", comps); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`id="backtest"`, "Backtest: simulated against recorded", "recorded against simulated", "chart-backtest"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Index(page, `id="backtest"`) > strings.Index(page, `id="ramp"`) {
		t.Error("the backtest section should come before the ramp")
	}
}

// A Monte Carlo study's fan chart and milestone histograms come first.
func TestHTMLWithStudy(t *testing.T) {
	sc, r, s := referenceRun(t)
	st, err := mc.Run(context.Background(), sc, mc.Config{Runs: 20, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := HTMLWithStudy(&b, sc, r, s, st); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`id="montecarlo"`, `id="milestones"`, "chart-fan", "chart-milestones", fmt.Sprintf("Over 20 runs drawing %d uncertain inputs", len(sc.UncertainValues())),
		"First quarter at 1 GW/week: reached in", "Four quarters in a row at 1 GW/week: reached in"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Index(page, `id="montecarlo"`) > strings.Index(page, `id="ramp"`) {
		t.Error("the Monte Carlo sections should come before the ramp")
	}
}

// A tornado measured by capacity online when no run reaches 1 GW/week.
func TestHTMLWithTornado(t *testing.T) {
	sc, r, s := referenceRun(t)
	tor := &sensitivity.Result{Scenario: sc.Name, Start: sc.StartDate.Time, Weeks: r.Model.Weeks, Base: sensitivity.Outcome{Week: -1, OnlineMW: 99e3},
		Inputs: []sensitivity.Input{{Path: "resources.grid.lead_time", Low: 130, High: 340, AtLow: sensitivity.Outcome{Week: -1, OnlineMW: 103e3}, AtHigh: sensitivity.Outcome{Week: -1, OnlineMW: 79e3}}}}
	var b strings.Builder
	if err := HTMLWithTornado(&b, sc, r, s, tor); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`id="tornado"`, "chart-tornado", "ranked by IT capacity online", `"low":4`, `"high":-20`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// The headline cards give the quarterly milestones next to the strict one,
// at the target rate the run tested.
func TestHeadlineQuarterMilestones(t *testing.T) {
	m := &sim.Model{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Weeks: 520, TargetMWpw: 500}
	s := &summary.Summary{RateMW: 500, OnlineGW: map[int]*summary.Milestone{},
		FirstQuarter: &summary.QuarterMilestone{Quarter: "2031 Q2", Week: 274, Date: m.Date(274)}}
	cards := headline(&input{m: m, s: s})
	want := []card{
		{Label: "0.5 GW/week", Value: "not reached", Bad: true},
		{Label: "First quarter at 0.5 GW/week", Value: "2031 Q2", Good: true},
		{Label: "Four quarters in a row at 0.5 GW/week", Value: "not reached", Bad: true},
	}
	if len(cards) < len(want) {
		t.Fatalf("%d cards, want at least %d", len(cards), len(want))
	}
	for i, w := range want {
		c := cards[i]
		if c.Label != w.Label || c.Value != w.Value || c.Good != w.Good || c.Bad != w.Bad {
			t.Errorf("card %d = %+v, want %+v", i, c, w)
		}
	}
	if d := cards[1].Detail; !strings.Contains(d, "week 274, 2031-04-07") {
		t.Errorf("first-quarter card detail %q lacks its week and date", d)
	}
	s.FourQuarters = &summary.QuarterMilestone{Quarter: "2032 Q1", Week: 313, Date: m.Date(313)}
	if c := headline(&input{m: m, s: s})[2]; c.Value != "from 2032 Q1" || !c.Good {
		t.Errorf("four-quarter card = %+v, want from 2032 Q1", c)
	}
}
