package export

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/gwf-project/gwf/summary"
)

// readParquet reads a table written by WriteParquet back into cells of
// the kinds the table holds, with its schema's logical types and its
// file metadata.
func readParquet(t *testing.T, b []byte, cols []Column) (rows [][]any, meta map[string]string) {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	meta = map[string]string{}
	for _, kv := range f.Metadata().KeyValueMetadata {
		meta[kv.Key] = kv.Value
	}
	fields := f.Schema().Fields()
	if len(fields) != len(cols) {
		t.Fatalf("%d columns, want %d", len(fields), len(cols))
	}
	for i, c := range cols {
		fd := fields[i]
		if fd.Name() != c.Name {
			t.Errorf("column %d is %q, want %q (order kept)", i, fd.Name(), c.Name)
		}
		if fd.Optional() != c.Nullable {
			t.Errorf("column %s optional = %v, want %v", c.Name, fd.Optional(), c.Nullable)
		}
		lt := fd.Type().LogicalType()
		switch c.Kind {
		case KindDate:
			if _, ok := lt.Value.(*format.DateType); lt == nil || !ok {
				t.Errorf("column %s: logical type %v, want DATE", c.Name, lt)
			}
		case KindMoney:
			if d, ok := lt.Value.(*format.DecimalType); lt == nil || !ok || d.Scale != 2 || d.Precision != 18 {
				t.Errorf("column %s: logical type %v, want DECIMAL(18,2)", c.Name, lt)
			}
		case KindFloat:
			if fd.Type().Kind() != parquet.Double {
				t.Errorf("column %s: %v, want DOUBLE", c.Name, fd.Type().Kind())
			}
		}
	}
	if n := len(f.RowGroups()); n != 1 {
		t.Errorf("%d row groups, want 1", n)
	}
	r := parquet.NewReader(f)
	defer r.Close()
	buf := make([]parquet.Row, 64)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			cells := make([]any, len(cols))
			for _, v := range row {
				i := v.Column()
				if v.IsNull() {
					continue
				}
				switch cols[i].Kind {
				case KindInt:
					cells[i] = int(v.Int64())
				case KindFloat:
					cells[i] = v.Double()
				case KindMoney:
					cells[i] = float64(v.Int64()) / 100
				case KindString:
					cells[i] = string(v.ByteArray())
				case KindDate:
					cells[i] = time.Unix(int64(v.Int32())*86400, 0).UTC()
				case KindBool:
					cells[i] = v.Boolean()
				}
			}
			rows = append(rows, cells)
		}
		if err != nil {
			break
		}
	}
	return rows, meta
}

// sameCell compares a cell as written with one read back: money to the
// cent.
func sameCell(c Column, want, got any) bool {
	if c.Kind == KindMoney && want != nil && got != nil {
		return Cents(want.(float64)) == Cents(got.(float64))
	}
	if w, ok := want.(time.Time); ok {
		g, ok := got.(time.Time)
		return ok && w.Equal(g)
	}
	return fmt.Sprint(want) == fmt.Sprint(got)
}

// checkParquet writes every table as Parquet and reads it back.
func checkParquet(t *testing.T, tables []*Table) {
	t.Helper()
	for _, tb := range tables {
		t.Run(tb.Name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteParquet(&b, tb); err != nil {
				t.Fatal(err)
			}
			rows, meta := readParquet(t, b.Bytes(), tb.Columns)
			if meta[MetaTable] != tb.Name || meta[MetaSource] != tb.Source {
				t.Errorf("metadata table %q source %q, want %q %q", meta[MetaTable], meta[MetaSource], tb.Name, tb.Source)
			}
			for _, c := range tb.Columns {
				if meta[MetaUnit+c.Name] != c.Unit {
					t.Errorf("unit of %s: %q, want %q", c.Name, meta[MetaUnit+c.Name], c.Unit)
				}
			}
			if len(rows) != len(tb.Rows) {
				t.Fatalf("%d rows read, %d written", len(rows), len(tb.Rows))
			}
			bad := 0
			for r := range rows {
				for i, c := range tb.Columns {
					if !sameCell(c, tb.Rows[r][i], rows[r][i]) && bad < 5 {
						bad++
						t.Errorf("row %d %s: read %v, wrote %v", r, c.Name, rows[r][i], tb.Rows[r][i])
					}
				}
			}
		})
	}
}

func TestRunParquet(t *testing.T) {
	r := reference(t)
	tables := RunTables(Build(r, summary.Of(r)))
	names := map[string]bool{}
	for _, tb := range tables {
		names[tb.Name] = true
		if len(tb.Rows) == 0 {
			t.Errorf("table %s is empty", tb.Name)
		}
	}
	for _, want := range []string{"weekly", "projects", "milestones", "quarters", "lines"} {
		if !names[want] {
			t.Errorf("no %s table", want)
		}
	}
	checkParquet(t, tables)
}

// A value of the wrong kind is an error, not a corrupt file.
func TestParquetRefusesWrongKind(t *testing.T) {
	tb := &Table{Name: "t", Columns: []Column{{Name: "date", Kind: KindDate}}, Rows: [][]any{{"2026-01-05"}}}
	if err := WriteParquet(&bytes.Buffer{}, tb); err == nil {
		t.Error("a string in a date column was written")
	}
}

// A table longer than a row group is written a row group at a time: 25
// rows in groups of 10 give groups of 10, 10 and 5 rows, every row read
// back in order.
func TestParquetRowGroups(t *testing.T) {
	tb := &Table{Name: "long", Columns: []Column{{Name: "n", Kind: KindInt}, {Name: "x", Kind: KindFloat}}}
	for i := range 25 {
		tb.Rows = append(tb.Rows, []any{i, float64(i) / 2})
	}
	var b bytes.Buffer
	if err := writeParquet(&b, tb, 10); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, g := range f.RowGroups() {
		sizes = append(sizes, g.NumRows())
	}
	if fmt.Sprint(sizes) != "[10 10 5]" {
		t.Fatalf("row groups of %v rows, want [10 10 5]", sizes)
	}
	type row struct {
		N int64   `parquet:"n"`
		X float64 `parquet:"x"`
	}
	rows, err := parquet.Read[row](bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r.N != int64(i) || r.X != float64(i)/2 {
			t.Fatalf("row %d read back as %+v", i, r)
		}
	}
	if len(rows) != 25 {
		t.Fatalf("%d rows read back, want 25", len(rows))
	}
}
