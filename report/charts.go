package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// Charts are a run's report charts as data, for a page that loads the chart
// library and ChartScript as files (the web app) instead of the report's
// one self-contained file. Sections say where each chart goes; Start,
// Weeks and List are what ChartScript's window.gwfReport.draw takes.
type Charts struct {
	Start    string         `json:"start"` // the first day of week 0, YYYY-MM-DD
	Weeks    int            `json:"weeks"`
	List     []chartData    `json:"charts"`
	Sections []ChartSection `json:"sections"`
}

// ChartSection is one part of the report: its title, caption and the boxes
// its charts are drawn in.
type ChartSection struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Caption string     `json:"caption"`
	Wide    bool       `json:"wide,omitempty"`
	Notes   []string   `json:"notes,omitempty"`
	Boxes   []ChartBox `json:"boxes"`
}

// ChartBox is where one chart is drawn: the element id the chart's data
// names, its height in px, and its title and caption if any.
type ChartBox struct {
	ID      string `json:"id"`
	Title   string `json:"title,omitempty"`
	Caption string `json:"caption,omitempty"`
	Height  int    `json:"height"`
}

// ChartsOf returns the charts the HTML report of a run draws, built by the
// same code.
func ChartsOf(sc *scenario.Scenario, r *sim.Result, s *summary.Summary) (*Charts, error) {
	if sc == nil || r == nil || s == nil || r.Model == nil {
		return nil, fmt.Errorf("report: charts need a scenario, a result and its summary")
	}
	if len(r.Weeks) == 0 {
		return nil, fmt.Errorf("report: the run has no weeks")
	}
	in := &input{sc: sc, r: r, s: s, m: r.Model, colors: lineColors(r.Model, s)}
	out := &Charts{Start: day(r.Model.Start), Weeks: len(r.Weeks), List: []chartData{}, Sections: []ChartSection{}}
	for _, build := range sectionBuilders {
		sec := build(in)
		if sec == nil {
			continue
		}
		cs := ChartSection{ID: sec.ID, Title: sec.Title, Caption: sec.Caption, Wide: sec.Wide, Notes: sec.Notes}
		for _, c := range sec.Charts {
			cs.Boxes = append(cs.Boxes, ChartBox{ID: c.ID, Title: c.Title, Caption: c.Caption, Height: c.Height})
			out.List = append(out.List, chartData{ID: c.ID, Kind: c.Kind, Spec: c.Spec})
		}
		out.Sections = append(out.Sections, cs)
	}
	return out, nil
}

// ChartLibrary returns the chart library the report embeds (Apache
// ECharts, minified) and a short content hash of it, for serving it as a
// file that never changes under its name.
func ChartLibrary() (js []byte, hash string) { return asset("assets/echarts.min.js") }

// ChartScript returns the report's chart script and a short content hash
// of it. Loaded after ChartLibrary, it defines window.gwfReport.draw(charts,
// onDone), which draws a Charts' charts into the elements their ids name.
func ChartScript() (js []byte, hash string) { return asset("assets/report.js") }

func asset(name string) ([]byte, string) {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:6])
}
