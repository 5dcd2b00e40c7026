package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// Kind is the type of a table column's values, which decides how each
// format stores them.
type Kind int

// The kinds of column. A value of a row is int for KindInt, float64 for
// KindFloat and KindMoney, string for KindString, time.Time for KindDate,
// bool for KindBool, or nil for a null in a Nullable column.
const (
	KindInt    Kind = iota // a count or a week number: INT64
	KindFloat              // a quantity in the column's unit: DOUBLE
	KindMoney              // US dollars: DECIMAL(18,2) in Parquet (int64 cents)
	KindString             // a name: STRING
	KindDate               // a calendar day: DATE
	KindBool               // a yes or no: BOOLEAN
)

// Column describes one column of a table: its name, kind, unit ("MW",
// "USD", "" for names and dates) and what it holds.
type Column struct {
	Name     string
	Kind     Kind
	Unit     string
	Doc      string
	Nullable bool
}

// Table is one result table: the tabular form every machine format
// (CSV, Parquet, XLSX) writes. Name is a file or sheet name
// ("weekly"), Source says what produced it ("gwf run, scenario
// reference, seed 1, gwf 0.9.0").
type Table struct {
	Name    string
	Title   string
	Source  string
	Columns []Column
	Rows    [][]any
}

// Col returns the index of the column called name, or -1.
func (t *Table) Col(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// add appends a row, checking its length (a programming error if wrong).
// Numbers are rounded as the JSON prints them (Num), so every format
// carries the JSON's figures; a number that is not finite is null.
func (t *Table) add(row ...any) {
	if len(row) != len(t.Columns) {
		panic(fmt.Sprintf("table %s: row of %d values for %d columns", t.Name, len(row), len(t.Columns)))
	}
	for i, v := range row {
		if x, ok := v.(float64); ok {
			row[i] = rounded(x)
		}
	}
	t.Rows = append(t.Rows, row)
}

// rounded is x as the JSON prints it, or nil when x is not finite.
func rounded(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	v, _ := strconv.ParseFloat(f(x), 64)
	return v
}

// Cents converts US dollars to whole cents, as Parquet stores money.
func Cents(usd float64) int64 { return int64(math.Round(usd * 100)) }

// FormatValue prints a cell as the CSV form writes it: numbers as the
// JSON does (Num), dates as 2006-01-02, nulls as "".
func FormatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(v)
	case float64:
		return f(v)
	case string:
		return v
	case time.Time:
		return date(v)
	case bool:
		return strconv.FormatBool(v)
	}
	panic(fmt.Sprintf("export: cell of type %T", v))
}

// WriteTableCSV writes t as CSV with a header row of column names.
func WriteTableCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			rec[i] = FormatValue(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
