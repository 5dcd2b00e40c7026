package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gwf-project/gwf/summary"
)

// TestFormatsAgree writes one run as JSON, CSV, Parquet and XLSX and
// checks each carries the JSON's numbers and dates, week by week.
func TestFormatsAgree(t *testing.T) {
	r := reference(t)
	var js bytes.Buffer
	if err := WriteJSON(&js, r, summary.Of(r)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Weekly []struct {
			Week     int      `json:"week"`
			Date     string   `json:"date"`
			OnlineMW float64  `json:"online_mw"`
			CapexUSD float64  `json:"capex_usd"`
			CashUSD  *float64 `json:"cash_usd"`
		} `json:"weekly"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	tables := RunTables(Build(r, summary.Of(r)))
	weekly := tables[0]
	if weekly.Name != "weekly" {
		t.Fatalf("first table %s, want weekly", weekly.Name)
	}
	cDate, cOnline, cCapex, cCash := weekly.Col("date"), weekly.Col("online_mw"), weekly.Col("capex_usd"), weekly.Col("cash_usd")
	if cCash < 0 {
		t.Fatal("the reference has finance: want a cash_usd column")
	}

	// CSV.
	var cb bytes.Buffer
	if err := WriteTableCSV(&cb, weekly); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Parquet.
	var pb bytes.Buffer
	if err := WriteParquet(&pb, weekly); err != nil {
		t.Fatal(err)
	}
	prows, _ := readParquet(t, pb.Bytes(), weekly.Columns)
	// XLSX.
	var xb bytes.Buffer
	if err := WriteXLSX(&xb, RunWorkbook(Build(r, summary.Of(r)), "")); err != nil {
		t.Fatal(err)
	}
	xf, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	xrows, err := xf.GetRows("weekly", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}

	if len(recs) != len(doc.Weekly)+1 || len(prows) != len(doc.Weekly) || len(xrows) != len(doc.Weekly)+1 {
		t.Fatalf("rows: JSON %d, CSV %d+1, Parquet %d, XLSX %d+1", len(doc.Weekly), len(recs)-1, len(prows), len(xrows)-1)
	}
	if recs[0][cOnline] != "online_mw" || xrows[0][cOnline] != "online_mw (MW)" || xrows[0][cCapex] != "capex_usd (USD)" {
		t.Errorf("headers: CSV %q, XLSX %q %q", recs[0][cOnline], xrows[0][cOnline], xrows[0][cCapex])
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return v
	}
	excelEpoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	for i, w := range doc.Weekly {
		if got := recs[i+1][cDate]; got != w.Date {
			t.Errorf("week %d: CSV date %s, JSON %s", i, got, w.Date)
		}
		if got := prows[i][cDate].(time.Time).Format(time.DateOnly); got != w.Date {
			t.Errorf("week %d: Parquet date %s, JSON %s", i, got, w.Date)
		}
		if got := excelEpoch.AddDate(0, 0, int(num(xrows[i+1][cDate]))).Format(time.DateOnly); got != w.Date {
			t.Errorf("week %d: XLSX date %s, JSON %s", i, got, w.Date)
		}
		for _, c := range []struct {
			name string
			col  int
			want float64
		}{{"online_mw", cOnline, w.OnlineMW}, {"capex_usd", cCapex, w.CapexUSD}, {"cash_usd", cCash, *w.CashUSD}} {
			csvV, xV := num(recs[i+1][c.col]), num(xrows[i+1][c.col])
			pV := prows[i][c.col].(float64)
			if c.name == "online_mw" && (csvV != c.want || xV != c.want || pV != c.want) {
				t.Errorf("week %d %s: JSON %v, CSV %v, Parquet %v, XLSX %v", i, c.name, c.want, csvV, pV, xV)
			}
			// Money: the same to the cent (Parquet holds cents).
			if c.name != "online_mw" && (Cents(csvV) != Cents(c.want) || Cents(xV) != Cents(c.want) || Cents(pV) != Cents(c.want)) {
				t.Errorf("week %d %s: JSON %v, CSV %v, Parquet %v, XLSX %v", i, c.name, c.want, csvV, pV, xV)
			}
		}
	}
}

// TestWorkbook checks the workbook's sheets, frozen headers, number
// formats and chart.
func TestWorkbook(t *testing.T) {
	r := reference(t)
	run := Build(r, summary.Of(r))
	var b bytes.Buffer
	if err := WriteXLSX(&b, RunWorkbook(run, "line one\nline two\n")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{SummarySheet}
	for _, tb := range RunTables(run) {
		want = append(want, tb.Name)
	}
	if got := f.GetSheetList(); len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	if v, _ := f.GetCellValue(SummarySheet, "A3"); v != "line one" {
		t.Errorf("summary A3 = %q, want the text report's first line", v)
	}
	panes, err := f.GetPanes("weekly")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("weekly panes %+v (%v), want the header row frozen", panes, err)
	}
	if v, _ := f.GetCellValue("weekly", "B2"); v != "2026-01-05" {
		t.Errorf("weekly B2 shows %q, want the date formatted 2026-01-05", v)
	}
	capex := RunTables(run)[0].Col("capex_usd")
	cell, _ := excelize.CoordinatesToCellName(capex+1, 2)
	if v, _ := f.GetCellValue("weekly", cell); len(v) == 0 || v[0] != '$' {
		t.Errorf("weekly %s shows %q, want dollars", cell, v)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	chart := false
	for _, zf := range z.File {
		chart = chart || zf.Name == "xl/charts/chart1.xml"
	}
	if !chart {
		t.Error("no chart in the workbook")
	}
}
