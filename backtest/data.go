package backtest

import (
	"embed"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gwf-project/gwf/scenario"
)

//go:embed data/*.csv
var dataFS embed.FS

// Record is one recorded figure of a series over a period, with its source.
type Record struct {
	Series string // the file's base name, e.g. "nvidia_dc_revenue"
	Period string // a label: "2023", "FY2024", "Nov 2024-Oct 2025"
	// From and To are the period's first and last day, inclusive.
	From, To time.Time
	Value    float64
	// Low and High are the published range around Value, or NaN.
	Low, High  float64
	Unit       string
	Source     string
	Confidence string
	Note       string
	// File and Line locate the row, for messages.
	File string
	Line int
}

// Columns are the header every data file starts with, in order.
var Columns = []string{"period", "from", "to", "value", "low", "high", "unit", "source", "confidence", "note"}

// maxDataFile bounds a data file; the embedded ones are a few kB.
const maxDataFile = 1 << 20

// ParseError is a problem with one field of a data file.
type ParseError struct {
	File   string
	Line   int
	Column string // "" when the problem is the whole row or file
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Msg)
}

// Records returns every recorded figure in the embedded data files, file by
// file in name order, rows in file order.
func Records() ([]Record, error) {
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, fmt.Errorf("backtest data missing from the binary: %w", err)
	}
	var out []Record
	for _, e := range entries {
		name := path.Join("data", e.Name())
		src, err := dataFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("backtest data: %w", err)
		}
		recs, err := ParseCSV("backtest/"+name, src)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// ParseCSV parses one series file. The series is the file's base name
// without ".csv" and must be one of Catalogue; every row must have a
// period, dates in order, a positive value inside its published range, the
// series' unit, a source and a confidence tag. All problems come back
// together, each as file:line: column: what is wrong.
func ParseCSV(file string, src []byte) ([]Record, error) {
	series := strings.TrimSuffix(path.Base(file), ".csv")
	def, known := SeriesNamed(series)
	if !known {
		return nil, &ParseError{File: file, Line: 1, Msg: fmt.Sprintf("unknown series %q (want a file named after one of: %s)", series, strings.Join(SeriesNames(), ", "))}
	}
	var out []Record
	seen := map[string]int{}
	err := readTable(file, src, Columns, func(f *fields) {
		rec, rowErrs := parseRow(file, f.line, series, def.Unit, f.row)
		if len(rowErrs) > 0 {
			f.errs = append(f.errs, rowErrs...)
			return
		}
		if prev, dup := seen[rec.Period]; dup {
			f.fail("period", "duplicate period %q (first on line %d)", rec.Period, prev)
			return
		}
		seen[rec.Period] = f.line
		out = append(out, rec)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func parseRow(file string, line int, series, unit string, row []string) (Record, []error) {
	var errs []error
	bad := func(col, format string, args ...any) {
		errs = append(errs, &ParseError{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
	}
	get := func(col string) string { return strings.TrimSpace(row[slices.Index(Columns, col)]) }
	rec := Record{Series: series, File: file, Line: line, Low: math.NaN(), High: math.NaN()}

	if rec.Period = get("period"); rec.Period == "" {
		bad("period", "missing (want a label such as 2023 or FY2024)")
	}
	date := func(col string) time.Time {
		s := get(col)
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			bad(col, "not a date (got %q, want YYYY-MM-DD)", s)
		}
		return t
	}
	rec.From, rec.To = date("from"), date("to")
	if !rec.From.IsZero() && !rec.To.IsZero() && rec.To.Before(rec.From) {
		bad("to", "before from (got %s, want on or after %s)", rec.To.Format(time.DateOnly), rec.From.Format(time.DateOnly))
	}
	number := func(col string, optional bool) float64 {
		s := get(col)
		if s == "" && optional {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		switch {
		case s == "":
			bad(col, "missing (want a number)")
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			bad(col, "not a number (got %q, want a plain number such as 15010000000)", s)
		case v <= 0:
			bad(col, "not positive (got %s, want more than 0: percentage errors divide by it)", s)
		case v > 1e15:
			bad(col, "too large (got %s, want at most 1e15)", s)
		default:
			return v
		}
		return math.NaN()
	}
	rec.Value = number("value", false)
	rec.Low = number("low", true)
	rec.High = number("high", true)
	if !math.IsNaN(rec.Value) {
		if !math.IsNaN(rec.Low) && rec.Low > rec.Value {
			bad("low", "above value (got %s, want at most %s)", get("low"), get("value"))
		}
		if !math.IsNaN(rec.High) && rec.High < rec.Value {
			bad("high", "below value (got %s, want at least %s)", get("high"), get("value"))
		}
	}
	if rec.Unit = get("unit"); rec.Unit != unit {
		bad("unit", "wrong unit for %s (got %q, want %q)", series, rec.Unit, unit)
	}
	if rec.Source = get("source"); rec.Source == "" {
		bad("source", "missing (want the publication and year)")
	}
	if rec.Confidence = get("confidence"); !slices.Contains(scenario.Confidences, rec.Confidence) {
		bad("confidence", "unknown tag (got %q, want one of: %s)", rec.Confidence, strings.Join(scenario.Confidences, ", "))
	}
	rec.Note = get("note")
	return rec, errs
}
