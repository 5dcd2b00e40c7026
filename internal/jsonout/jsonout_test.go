package jsonout

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"
)

// encoded is what a json.Encoder indenting by Indent writes for v.
func encoded(t testing.TB, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", Indent)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteIsTheEncodersForm(t *testing.T) {
	type row struct {
		Name  string             `json:"name"`
		Vals  []float64          `json:"vals"`
		Empty []int              `json:"empty"`
		None  map[string]int     `json:"none"`
		Map   map[string][]int   `json:"map"`
		Ptr   *row               `json:"ptr,omitempty"`
		Any   any                `json:"any"`
		Deep  [][]map[string]any `json:"deep"`
	}
	for _, v := range []any{
		nil, true, 0, -1.5e-7, math.MaxInt64, "", `a "quoted" \ string, with [brackets] {braces}: and, commas`,
		"<html> & \u2028 é 漢字 \x01", []int{}, map[string]int{}, []any{[]any{}, map[string]any{}, []int{1}},
		row{Name: "x", Vals: []float64{1, 2.5}, Empty: []int{}, Map: map[string][]int{"a\"]": {1}, "b": {}},
			Ptr: &row{Name: `\"`}, Any: map[string]any{"k": []any{nil, "v", 3}}, Deep: [][]map[string]any{{{}, {"x": 1}}, {}}},
		deep(40), // deeper than newline's margin
	} {
		var got bytes.Buffer
		if err := Write(&got, v); err != nil {
			t.Fatal(err)
		}
		if want := encoded(t, v); got.String() != want {
			t.Errorf("Write(%#v):\n%s\nwant\n%s", v, got.String(), want)
		}
	}
}

// deep is n arrays, one inside the other, around an object.
func deep(n int) any {
	var v any = map[string]any{"at": n}
	for range n {
		v = []any{v, 1}
	}
	return v
}

// An unencodable value writes nothing and says why.
func TestWriteRefusesWithoutWriting(t *testing.T) {
	var got bytes.Buffer
	if err := Write(&got, map[string]any{"f": func() {}}); err == nil || got.Len() > 0 {
		t.Errorf("error %v, wrote %q; want an error and nothing written", err, got.String())
	}
	if err := Write(&got, math.NaN()); err == nil || !strings.Contains(err.Error(), "NaN") || got.Len() > 0 {
		t.Errorf("NaN: error %v, wrote %q", err, got.String())
	}
}

// FuzzAppendIndent checks AppendIndent against json.Indent on every valid
// JSON document, compacted as the encoder writes it.
func FuzzAppendIndent(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":[]},"c\"]"],"d":{}}`, `"x\\"`, `[[[[]]],{"":{"":""}}]`, `-1.5e+300`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if !json.Valid(in) {
			return
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, in); err != nil {
			t.Fatal(err)
		}
		compact.WriteByte('\n')
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", Indent); err != nil {
			t.Fatal(err)
		}
		if got := AppendIndent(nil, compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("AppendIndent(%q) =\n%s\nwant\n%s", compact.Bytes(), got, want.Bytes())
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	v := make([]map[string]any, 2000)
	for i := range v {
		v[i] = map[string]any{"week": i, "online_mw": float64(i) * 1.5, "bottleneck": "grid", "by": []float64{1, 2, 3}}
	}
	b.Run("jsonout", func(b *testing.B) {
		for b.Loop() {
			if err := Write(io.Discard, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoder", func(b *testing.B) {
		for b.Loop() {
			enc := json.NewEncoder(io.Discard)
			enc.SetIndent("", Indent)
			if err := enc.Encode(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
