package export

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// ParquetExt is the file name extension of a table written as Parquet.
const ParquetExt = ".parquet"

// Keys of the file metadata a Parquet table carries: what wrote it, and
// each column's unit and meaning (Parquet has no place for a column's
// unit; Arrow, pandas, Polars and DuckDB all show file metadata).
const (
	MetaTable  = "gwf.table"
	MetaSource = "gwf.source"
	MetaUnit   = "gwf.unit."
	MetaDoc    = "gwf.doc."
)

// parquetType is the Go type and struct tag parquet-go maps to a column
// of kind k: DATE for dates, DECIMAL(18,2) on INT64 (cents) for money,
// DOUBLE for quantities; nullable columns are optional.
func parquetField(i int, c Column) reflect.StructField {
	var t reflect.Type
	opts := ""
	switch c.Kind {
	case KindInt:
		t = reflect.TypeFor[int64]()
	case KindFloat:
		t = reflect.TypeFor[float64]()
	case KindMoney:
		t, opts = reflect.TypeFor[int64](), ",decimal(2:18)"
	case KindString:
		t = reflect.TypeFor[string]()
	case KindDate:
		// Days since 1970-01-01, as DATE stores them.
		t, opts = reflect.TypeFor[int32](), ",date"
	case KindBool:
		t = reflect.TypeFor[bool]()
	default:
		panic(fmt.Sprintf("export: column %s of unknown kind %d", c.Name, c.Kind))
	}
	if c.Nullable {
		t = reflect.PointerTo(t)
		opts += ",optional"
	}
	return reflect.StructField{
		Name: fmt.Sprintf("C%d", i),
		Type: t,
		Tag:  reflect.StructTag(fmt.Sprintf(`parquet:"%s%s"`, c.Name, opts)),
	}
}

// RowGroupRows is the most rows a Parquet row group holds: a small table
// is one row group; a large one (a long horizon's projects by stage) is
// written a row group at a time, so the writer's buffers stay bounded and
// readers can skip through it.
const RowGroupRows = 100_000

// WriteParquet writes t as one Parquet file, a row group per RowGroupRows
// rows, its columns typed by kind and its units and source in the file
// metadata.
func WriteParquet(w io.Writer, t *Table) error {
	return writeParquet(w, t, RowGroupRows)
}

func writeParquet(w io.Writer, t *Table, groupRows int) error {
	fields := make([]reflect.StructField, len(t.Columns))
	for i, c := range t.Columns {
		if strings.ContainsAny(c.Name, ",\"") {
			panic(fmt.Sprintf("export: column name %q", c.Name))
		}
		fields[i] = parquetField(i, c)
	}
	rowType := reflect.StructOf(fields)
	schema := parquet.SchemaOf(reflect.New(rowType).Interface())
	opts := []parquet.WriterOption{schema,
		parquet.KeyValueMetadata(MetaTable, t.Name),
		parquet.KeyValueMetadata(MetaSource, t.Source),
		parquet.Compression(&parquet.Zstd),
	}
	for _, c := range t.Columns {
		if c.Unit != "" {
			opts = append(opts, parquet.KeyValueMetadata(MetaUnit+c.Name, c.Unit))
		}
		if c.Doc != "" {
			opts = append(opts, parquet.KeyValueMetadata(MetaDoc+c.Name, c.Doc))
		}
	}
	pw := parquet.NewWriter(w, opts...)
	row := reflect.New(rowType)
	for r, vals := range t.Rows {
		v := row.Elem()
		v.SetZero()
		for i, c := range t.Columns {
			if err := setField(v.Field(i), c, vals[i]); err != nil {
				return fmt.Errorf("table %s row %d column %s: %w", t.Name, r, c.Name, err)
			}
		}
		if err := pw.Write(row.Interface()); err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
		if (r+1)%groupRows == 0 && r+1 < len(t.Rows) {
			if err := pw.Flush(); err != nil {
				return fmt.Errorf("table %s: %w", t.Name, err)
			}
		}
	}
	return pw.Close()
}

// setField stores a cell in its struct field.
func setField(f reflect.Value, c Column, v any) error {
	if v == nil {
		if !c.Nullable {
			return fmt.Errorf("null in a column that is not nullable")
		}
		return nil // a nil pointer: null
	}
	var x any
	switch c.Kind {
	case KindInt:
		n, ok := v.(int)
		if !ok {
			return fmt.Errorf("%T, want int", v)
		}
		x = int64(n)
	case KindFloat:
		n, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%T, want float64", v)
		}
		x = n
	case KindMoney:
		n, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%T, want float64", v)
		}
		x = Cents(n)
	case KindString:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%T, want string", v)
		}
		x = s
	case KindDate:
		d, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T, want time.Time", v)
		}
		x = epochDays(d)
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%T, want bool", v)
		}
		x = b
	}
	xv := reflect.ValueOf(x)
	if c.Nullable {
		p := reflect.New(xv.Type())
		p.Elem().Set(xv)
		xv = p
	}
	f.Set(xv)
	return nil
}

// epochDays is t's day counted from 1970-01-01, as Parquet's DATE holds it.
func epochDays(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
