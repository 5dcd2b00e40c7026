package cbc

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/plan/lp"
)

// basisModel has three columns and three rows.
func basisModel() *lp.Model {
	var m lp.Model
	a := m.AddVar("a", 0, 4, -3)
	b := m.AddVar("b", math.Inf(-1), math.Inf(1), -1)
	c := m.AddVar("c", 1, 5, 1)
	m.AddRow("sum", lp.EQ, 10, lp.Term{Var: a, Coef: 1}, lp.Term{Var: b, Coef: 1})
	m.AddRow("cap", lp.GE, 2, lp.Term{Var: b, Coef: 1}, lp.Term{Var: c, Coef: 1})
	m.AddRow("top", lp.LE, 20, lp.Term{Var: a, Coef: 1}, lp.Term{Var: c, Coef: 1})
	return &m
}

func TestBasisFile(t *testing.T) {
	m := basisModel()
	b := &lp.Basis{
		Vars: []lp.BasisStatus{lp.AtUpper, lp.Basic, lp.Basic},
		Rows: []lp.BasisStatus{lp.AtLower, lp.Basic, lp.AtUpper},
	}
	for _, tc := range []struct {
		name string
		nm   naming
		want string
	}{
		{"names", naming{m: m}, "NAME          gwf\n UL a\n XL b sum\n XU c top\nENDATA\n"},
		{"numbered", naming{m: m, numbered: true}, "NAME          gwf\n UL C0\n XL C1 R0\n XU C2 R2\nENDATA\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w strings.Builder
			if err := formatBasis(&w, tc.nm, b); err != nil {
				t.Fatal(err)
			}
			if w.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", w.String(), tc.want)
			}
			got, err := parseBasis(strings.NewReader(w.String()), tc.nm)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Vars, b.Vars) || !slices.Equal(got.Rows, b.Rows) {
				t.Errorf("read back %+v, want %+v", got, b)
			}
		})
	}
}

// parseBasis reads what cbc's -basisO writes: values after the names,
// "_dummy_" in place of a row, rows out of order.
func TestParseCBCBasis(t *testing.T) {
	m := basisModel()
	file := "NAME          BLANK      VALUES\n XU c       top     5.\n UL a      _dummy_     4.          \n XL b              sum     6.          \n LL c\nENDATA\n"
	got, err := parseBasis(strings.NewReader(file), naming{m: m})
	if err != nil {
		t.Fatal(err)
	}
	want := &lp.Basis{
		Vars: []lp.BasisStatus{lp.AtUpper, lp.Basic, lp.AtLower}, // c made basic, then LL
		Rows: []lp.BasisStatus{lp.AtLower, lp.Basic, lp.AtUpper},
	}
	if !slices.Equal(got.Vars, want.Vars) || !slices.Equal(got.Rows, want.Rows) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseBasisErrors(t *testing.T) {
	m := basisModel()
	for _, tc := range []struct {
		name, file, want string
		numbered         bool
	}{
		{"unknown column", "NAME x\n XU nope sum\nENDATA\n", "no such column", false},
		{"unknown row", "NAME x\n XU a nope\nENDATA\n", "no such row", false},
		{"no row", "NAME x\n XL a\nENDATA\n", "want a row", false},
		{"unknown kind", "NAME x\n ZZ a\nENDATA\n", "unknown kind", false},
		{"cut short", "NAME x\n UL a\n", "no ENDATA", false},
		{"numbered out of range", "NAME x\n XU C3 R0\nENDATA\n", "no such column", true},
		{"numbered, a name", "NAME x\n XU C1 sum\nENDATA\n", "no such row", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseBasis(strings.NewReader(tc.file), naming{m: m, numbered: tc.numbered})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// A basis that is not one (too many basic columns) is written as far as
// it pairs; one of another model's size is refused.
func TestFormatBasisInvalid(t *testing.T) {
	m := basisModel()
	all := &lp.Basis{Vars: []lp.BasisStatus{lp.Basic, lp.Basic, lp.Basic}, Rows: []lp.BasisStatus{lp.Basic, lp.AtUpper, lp.Basic}}
	var w strings.Builder
	if err := formatBasis(&w, naming{m: m}, all); err != nil {
		t.Fatal(err)
	}
	if want := "NAME          gwf\n XU a cap\nENDATA\n"; w.String() != want {
		t.Errorf("got %q, want %q", w.String(), want)
	}
	if err := formatBasis(&w, naming{m: m}, &lp.Basis{Vars: all.Vars[:1], Rows: all.Rows}); err == nil {
		t.Error("a basis of another size written")
	}
}

// The finder looks a little past the last name found, else in its map.
func TestFinder(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	f := &finder{n: len(names), name: func(i int) string { return names[i] }}
	for _, tc := range []struct {
		name string
		want int
		ok   bool
	}{{"b", 1, true}, {"d", 3, true}, {"a", 0, true}, {"c", 2, true}, {"e", 0, false}} {
		if i, ok := f.find(tc.name); i != tc.want || ok != tc.ok {
			t.Errorf("find(%q) = %d, %v; want %d, %v", tc.name, i, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		name string
		ok   bool
	}{{"C0", true}, {"C3", true}, {"C4", false}, {"C-1", false}, {"C+1", false}, {"R1", false}, {"C", false}, {"Cx", false}} {
		if _, ok := numberedIndex(tc.name, 'C', 4); ok != tc.ok {
			t.Errorf("numberedIndex(%q) ok %v, want %v", tc.name, ok, tc.ok)
		}
	}
}

// FuzzParseBasis feeds the basis reader arbitrary files: it returns a
// basis of the model's size or an error, never panics, and a basis it
// reads can be written and read again (a file's basis need not be a valid
// one, so the statuses written back may differ: see formatBasis).
func FuzzParseBasis(f *testing.F) {
	f.Add("NAME          BLANK      VALUES\n XU c       top     5.\n UL a      _dummy_     4.          \n XL b              sum     6.          \n LL c\nENDATA\n", false)
	f.Add("NAME x\n XU C1 R0\n UL C0\nENDATA\n", true)
	f.Add("NAME x\n XU a nope\nENDATA\n", false)
	f.Add("", false)
	f.Fuzz(func(t *testing.T, file string, numbered bool) {
		m := basisModel()
		nm := naming{m: m, numbered: numbered}
		b, err := parseBasis(strings.NewReader(file), nm)
		if err != nil {
			return
		}
		if len(b.Vars) != len(m.Vars) || len(b.Rows) != len(m.Rows) {
			t.Fatalf("a basis of %d columns and %d rows for a model of %d and %d", len(b.Vars), len(b.Rows), len(m.Vars), len(m.Rows))
		}
		var out strings.Builder
		if err := formatBasis(&out, nm, b); err != nil {
			t.Fatalf("writing a basis read: %v", err)
		}
		if _, err := parseBasis(strings.NewReader(out.String()), nm); err != nil {
			t.Fatalf("reading back %q: %v", out.String(), err)
		}
	})
}
