package backtest

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// Every embedded data file parses, every row has a source and a confidence
// tag, and every series the backtest knows has at least one row.
func TestRecordsAreSourced(t *testing.T) {
	recs, err := Records()
	if err != nil {
		t.Fatal(err)
	}
	perSeries := map[string]int{}
	for _, r := range recs {
		perSeries[r.Series]++
		where := r.File + ":" + r.Period
		if strings.TrimSpace(r.Source) == "" {
			t.Errorf("%s has no source", where)
		}
		if !slices.Contains(scenario.Confidences, r.Confidence) {
			t.Errorf("%s: confidence %q", where, r.Confidence)
		}
		if !(r.Value > 0) || r.To.Before(r.From) {
			t.Errorf("%s: value %g from %s to %s", where, r.Value, r.From, r.To)
		}
	}
	for _, s := range Catalogue {
		if perSeries[s.Name] == 0 {
			t.Errorf("series %s has no recorded rows", s.Name)
		}
	}
}

const header = "period,from,to,value,low,high,unit,source,confidence,note\n"

func TestParseCSV(t *testing.T) {
	src := header +
		`2023,2023-01-01,2023-12-31,10,8,12,USD/accelerator-hour,"Someone, 2024",secondary,"a note, with a comma"` + "\n" +
		`Oct 2025,2025-10-01,2025-10-31,1.7,,,USD/accelerator-hour,Another 2025,analyst,` + "\n"
	recs, err := ParseCSV("gpu_hour_price.csv", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	r := recs[0]
	if r.Series != "gpu_hour_price" || r.Period != "2023" || r.Value != 10 || r.Low != 8 || r.High != 12 ||
		r.Source != "Someone, 2024" || r.Note != "a note, with a comma" || r.Line != 2 {
		t.Errorf("first record: %+v", r)
	}
	if !math.IsNaN(recs[1].Low) || !math.IsNaN(recs[1].High) || recs[1].Line != 3 {
		t.Errorf("second record: low %g high %g line %d, want NaN, NaN, 3", recs[1].Low, recs[1].High, recs[1].Line)
	}
}

// Bad rows are refused with file:line: column: what is wrong, every problem
// at once.
func TestParseCSVErrors(t *testing.T) {
	row := func(fields string) string { return header + fields + "\n" }
	good := "2023,2023-01-01,2023-12-31,100,,,MW,JLL 2024,analyst,"
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{"unknown series", "gigawatts.csv", row(good), []string{"gigawatts.csv:1: unknown series \"gigawatts\""}},
		{"empty file", "it_capacity_added.csv", "", []string{"it_capacity_added.csv:1: empty file"}},
		{"bad header", "it_capacity_added.csv", "year,value\n" + good, []string{"it_capacity_added.csv:1: bad header (got \"year,value\""}},
		{"too few fields", "it_capacity_added.csv", row("2023,2023-01-01,100"), []string{"it_capacity_added.csv:2: wrong number of fields (got 3, want 10"}},
		{"missing period", "it_capacity_added.csv", row(strings.Replace(good, "2023,", ",", 1)), []string{"it_capacity_added.csv:2: period: missing"}},
		{"bad date", "it_capacity_added.csv", row(strings.Replace(good, "2023-01-01", "2023-13-01", 1)), []string{"it_capacity_added.csv:2: from: not a date (got \"2023-13-01\", want YYYY-MM-DD)"}},
		{"dates out of order", "it_capacity_added.csv", row(strings.Replace(good, "2023-12-31", "2022-12-31", 1)), []string{"it_capacity_added.csv:2: to: before from"}},
		{"value not a number", "it_capacity_added.csv", row(strings.Replace(good, ",100,", ",1e3x,", 1)), []string{"it_capacity_added.csv:2: value: not a number (got \"1e3x\""}},
		{"value missing", "it_capacity_added.csv", row(strings.Replace(good, ",100,", ",,", 1)), []string{"it_capacity_added.csv:2: value: missing"}},
		{"value zero", "it_capacity_added.csv", row(strings.Replace(good, ",100,", ",0,", 1)), []string{"it_capacity_added.csv:2: value: not positive"}},
		{"value NaN", "it_capacity_added.csv", row(strings.Replace(good, ",100,", ",NaN,", 1)), []string{"value: not a number"}},
		{"value huge", "it_capacity_added.csv", row(strings.Replace(good, ",100,", ",1e300,", 1)), []string{"value: too large"}},
		{"low above value", "it_capacity_added.csv", row(strings.Replace(good, ",100,,,", ",100,120,,", 1)), []string{"it_capacity_added.csv:2: low: above value (got 120, want at most 100)"}},
		{"high below value", "it_capacity_added.csv", row(strings.Replace(good, ",100,,,", ",100,,90,", 1)), []string{"it_capacity_added.csv:2: high: below value (got 90, want at least 100)"}},
		{"wrong unit", "it_capacity_added.csv", row(strings.Replace(good, ",MW,", ",GW,", 1)), []string{"it_capacity_added.csv:2: unit: wrong unit for it_capacity_added (got \"GW\", want \"MW\")"}},
		{"no source", "it_capacity_added.csv", row(strings.Replace(good, "JLL 2024", " ", 1)), []string{"it_capacity_added.csv:2: source: missing (want the publication and year)"}},
		{"bad confidence", "it_capacity_added.csv", row(strings.Replace(good, "analyst", "sure", 1)), []string{"it_capacity_added.csv:2: confidence: unknown tag (got \"sure\""}},
		{"duplicate period", "it_capacity_added.csv", header + good + "\n" + good + "\n", []string{"it_capacity_added.csv:3: period: duplicate period \"2023\" (first on line 2)"}},
		{"bad quoting", "it_capacity_added.csv", header + `2023,"2023-01-01,` + "\n", []string{"it_capacity_added.csv:2: bad CSV"}},
		{"several problems", "it_capacity_added.csv", row("2023,2023-01-01,2023-12-31,-5,,,GW,,maybe,"), []string{
			"it_capacity_added.csv:2: value: not positive",
			"it_capacity_added.csv:2: unit: wrong unit",
			"it_capacity_added.csv:2: source: missing",
			"it_capacity_added.csv:2: confidence: unknown tag",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCSV(tc.file, []byte(tc.src))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

// FuzzParseCSV: whatever the bytes, the loader returns records or errors
// that name the file and a line, and never panics; what it accepts obeys
// the rules it states.
func FuzzParseCSV(f *testing.F) {
	recs, _ := dataFS.ReadDir("data")
	for _, e := range recs {
		b, _ := dataFS.ReadFile("data/" + e.Name())
		f.Add(b)
	}
	f.Add([]byte(header + "x,2023-01-01,2023-12-31,1,,,MW,s,primary,\n"))
	f.Add([]byte(header + "\"unterminated\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := ParseCSV("it_capacity_added.csv", src)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "it_capacity_added.csv:") {
					t.Fatalf("error line %q does not start with the file name", line)
				}
			}
			return
		}
		for _, r := range out {
			if !(r.Value > 0) || r.To.Before(r.From) || r.Source == "" || r.Unit != "MW" || r.Period == "" {
				t.Fatalf("accepted a bad record: %+v", r)
			}
			if !math.IsNaN(r.Low) && r.Low > r.Value || !math.IsNaN(r.High) && r.High < r.Value {
				t.Fatalf("accepted a value outside its range: %+v", r)
			}
		}
	})
}
