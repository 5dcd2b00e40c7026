package sweep

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
)

// Heatmap is the mean odds by the target date over two axes' values (the
// other axes averaged out).
type Heatmap struct {
	X, Y       string   // axis paths
	XAxis      []string // values, in study order
	YAxis      []string
	Odds       [][]float64 // [y][x]; NaN where no cell has runs
	MedianRate [][]string  // [y][x]: the cell's P50 target-rate date when one cell maps here
}

// HeatmapOf builds the heatmap of axes x and y (indices into the study's
// axes; they must differ). It returns nil if the study has fewer than two
// axes.
func (tb *Table) HeatmapOf(s *Study, x, y int) *Heatmap {
	if len(s.Axes) < 2 || x == y || x < 0 || y < 0 || x >= len(s.Axes) || y >= len(s.Axes) {
		return nil
	}
	h := &Heatmap{X: s.Axes[x].Path, Y: s.Axes[y].Path, XAxis: distinct(s.Axes[x].Values), YAxis: distinct(s.Axes[y].Values)}
	sum := make([][]float64, len(h.YAxis))
	n := make([][]int, len(h.YAxis))
	h.Odds = make([][]float64, len(h.YAxis))
	h.MedianRate = make([][]string, len(h.YAxis))
	for i := range h.YAxis {
		sum[i], n[i] = make([]float64, len(h.XAxis)), make([]int, len(h.XAxis))
		h.Odds[i], h.MedianRate[i] = make([]float64, len(h.XAxis)), make([]string, len(h.XAxis))
	}
	for _, r := range tb.Rows {
		if r.Runs == 0 {
			continue
		}
		xi, yi := slices.Index(h.XAxis, r.Inputs[x]), slices.Index(h.YAxis, r.Inputs[y])
		sum[yi][xi] += r.OddsByTarget
		n[yi][xi]++
		h.MedianRate[yi][xi] = r.Rate[1]
	}
	for i := range h.YAxis {
		for j := range h.XAxis {
			h.Odds[i][j] = -1
			if n[i][j] > 0 {
				h.Odds[i][j] = sum[i][j] / float64(n[i][j])
			}
			if n[i][j] != 1 {
				h.MedianRate[i][j] = ""
			}
		}
	}
	return h
}

func distinct(vs []string) []string {
	var out []string
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// ByOdds returns the rows sorted by odds by the target date, best first
// (ties by cell).
func (tb *Table) ByOdds() []Row {
	rows := slices.Clone(tb.Rows)
	slices.SortStableFunc(rows, func(a, b Row) int {
		switch {
		case a.OddsByTarget > b.OddsByTarget:
			return -1
		case a.OddsByTarget < b.OddsByTarget:
			return 1
		}
		return a.Cell - b.Cell
	})
	return rows
}

// WriteHTML writes a self-contained HTML report: the heatmap of axes x and
// y (if the study has two axes) and every cell sorted by odds.
func (tb *Table) WriteHTML(w io.Writer, s *Study, x, y int) error {
	return reportTemplate.Execute(w, map[string]any{"T": tb, "H": tb.HeatmapOf(s, x, y), "Rows": tb.ByOdds()})
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(v float64) string {
		if v < 0 {
			return "–"
		}
		return strconv.FormatFloat(100*v, 'f', 0, 64) + "%"
	},
	"heat": func(v float64) template.CSS {
		if v < 0 {
			return "background:#eee"
		}
		// Red (no chance) through yellow to green (certain).
		return template.CSS(fmt.Sprintf("background:hsl(%.0f,70%%,%.0f%%)", 120*v, 75-15*v))
	},
	"usd": func(v float64) string { return "$" + strconv.FormatFloat(v/1e9, 'f', 0, 64) + "B" },
	"or":  func(s string) string { return map[bool]string{true: "never", false: s}[s == ""] },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gwf sweep — {{.T.Study}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f4f4f4}
td.l,th.l{text-align:left}
#heatmap td{min-width:5em;text-align:center}
</style></head><body>
<h1>Sweep: {{.T.Study}}</h1>
<p>Base scenario <b>{{.T.Base}}</b>, seed {{.T.Seed}}, {{.T.Runs}} runs per cell, {{len .T.Rows}} cells{{if not .T.Complete}} — <b>incomplete: some chunks are missing</b>{{end}}. Study id {{.T.ID}}.</p>
{{with .H}}
<h2>Odds of the target rate by the target date</h2>
<p>Rows: <code>{{.Y}}</code>; columns: <code>{{.X}}</code>. Each square is the share of runs sustaining the target rate by the target date (the mean over the other axes), with the cell's median date when one cell maps there.</p>
<table id="heatmap"><tr><th class="l">{{.Y}} \ {{.X}}</th>{{range .XAxis}}<th>{{.}}</th>{{end}}</tr>
{{range $i, $y := .YAxis}}<tr><th class="l">{{$y}}</th>{{range $j, $v := index $.H.Odds $i}}<td class="cell" data-odds="{{$v}}" style="{{heat $v}}">{{pct $v}}{{with index (index $.H.MedianRate $i) $j}}<br><small>{{.}}</small>{{end}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
<h2>Cells by odds</h2>
<table id="cells"><tr><th>cell</th>{{range .T.Axes}}<th class="l">{{.}}</th>{{end}}<th>runs</th><th>odds by {{with index .Rows 0}}{{.TargetDate}}{{end}}</th><th>target rate P10</th><th>P50</th><th>P90</th><th>10 GW P50</th><th>100 GW P50</th><th class="l">binding</th><th>capex P50</th></tr>
{{range .Rows}}<tr><td>{{.Cell}}</td>{{range .Inputs}}<td class="l">{{.}}</td>{{end}}<td>{{.Runs}}</td><td>{{pct .OddsByTarget}}</td><td>{{or (index .Rate 0)}}</td><td>{{or (index .Rate 1)}}</td><td>{{or (index .Rate 2)}}</td><td>{{or (index (index .OnlineGW 1) 1)}}</td><td>{{or (index (index .OnlineGW 2) 1)}}</td><td class="l">{{.Binding}}</td><td>{{usd (index .Capex 1)}}</td></tr>
{{end}}</table>
</body></html>
`))
