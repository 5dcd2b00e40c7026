package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook is what WriteXLSX writes: a summary sheet of text lines (the
// text report, line by line), one sheet per table and, when Chart is set,
// a native line chart on the summary sheet.
type Workbook struct {
	Title   string
	Summary []string
	Tables  []*Table
	Chart   *Chart
}

// Chart is a line chart of some of a table's columns against another
// (dates, usually).
type Chart struct {
	Title  string
	Table  string   // the table's name
	X      string   // the column along the x axis
	Series []string // the columns drawn
	YTitle string
}

// SummarySheet is the name of a workbook's first sheet.
const SummarySheet = "summary"

// Number formats of the columns' kinds.
const (
	dateFormat  = "yyyy-mm-dd"
	moneyFormat = `"$"#,##0.00`
	floatFormat = "#,##0.###"
	intFormat   = "0"
)

// Header is a column's header in a workbook: its name, and its unit in
// brackets when it has one: "online_mw (MW)".
func Header(c Column) string {
	if c.Unit == "" {
		return c.Name
	}
	return c.Name + " (" + c.Unit + ")"
}

// WriteXLSX writes wb as one Excel workbook.
func WriteXLSX(w io.Writer, wb *Workbook) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return err
	}
	styles := map[Kind]int{}
	for k, nf := range map[Kind]string{KindDate: dateFormat, KindMoney: moneyFormat, KindFloat: floatFormat, KindInt: intFormat} {
		nf := nf
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &nf})
		if err != nil {
			return err
		}
		styles[k] = id
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	mono, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Courier New", Size: 10}})
	if err != nil {
		return err
	}
	if err := writeSummary(f, wb, bold, mono); err != nil {
		return err
	}
	for _, t := range wb.Tables {
		if err := writeSheet(f, t, styles, bold); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	if wb.Chart != nil {
		if err := addChart(f, wb); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func writeSummary(f *excelize.File, wb *Workbook, bold, mono int) error {
	sw, err := f.NewStreamWriter(SummarySheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 110); err != nil {
		return err
	}
	row := 1
	put := func(s string, style int) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, []any{excelize.Cell{Value: s, StyleID: style}})
	}
	if err := put(wb.Title, bold); err != nil {
		return err
	}
	row++
	for _, l := range wb.Summary {
		if err := put(l, mono); err != nil {
			return err
		}
	}
	if len(wb.Tables) > 0 {
		row++
		if err := put("Sheets", bold); err != nil {
			return err
		}
		for _, t := range wb.Tables {
			if err := put(fmt.Sprintf("%s: %s, %d rows (%s)", sheetName(t.Name), t.Title, len(t.Rows), t.Source), 0); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

// sheetName is a table's sheet: Excel allows 31 characters.
func sheetName(s string) string {
	if len(s) > 31 {
		return s[:31]
	}
	return s
}

func writeSheet(f *excelize.File, t *Table, styles map[Kind]int, bold int) error {
	name := sheetName(t.Name)
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, c := range t.Columns {
		if err := sw.SetColWidth(i+1, i+1, float64(max(10, min(40, len(Header(c))+2)))); err != nil {
			return err
		}
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{Value: Header(c), StyleID: bold}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	vals := make([]any, len(t.Columns))
	for r, row := range t.Rows {
		for i, c := range t.Columns {
			if row[i] == nil {
				vals[i] = nil
				continue
			}
			vals[i] = excelize.Cell{Value: row[i], StyleID: styles[c.Kind]}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func addChart(f *excelize.File, wb *Workbook) error {
	ch := wb.Chart
	var t *Table
	for _, x := range wb.Tables {
		if x.Name == ch.Table {
			t = x
		}
	}
	if t == nil || len(t.Rows) == 0 {
		return fmt.Errorf("no table %q with rows", ch.Table)
	}
	ref := func(col string, header bool) (string, error) {
		i := t.Col(col)
		if i < 0 {
			return "", fmt.Errorf("table %s has no column %s", t.Name, col)
		}
		c, _ := excelize.ColumnNumberToName(i + 1)
		q := "'" + strings.ReplaceAll(sheetName(t.Name), "'", "''") + "'!"
		if header {
			return fmt.Sprintf("%s$%s$1", q, c), nil
		}
		return fmt.Sprintf("%s$%s$2:$%s$%d", q, c, c, len(t.Rows)+1), nil
	}
	cats, err := ref(ch.X, false)
	if err != nil {
		return err
	}
	var series []excelize.ChartSeries
	for _, s := range ch.Series {
		name, err := ref(s, true)
		if err != nil {
			return err
		}
		vals, _ := ref(s, false)
		series = append(series, excelize.ChartSeries{Name: name, Categories: cats, Values: vals, Marker: excelize.ChartMarker{Symbol: "none"}})
	}
	return f.AddChart(SummarySheet, "C2", &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: ch.Title}}},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
		XAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "yyyy"}, TickLabelSkip: 52},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: ch.YTitle}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
	})
}
