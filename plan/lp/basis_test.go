package lp

import (
	"slices"
	"testing"
)

func TestCarry(t *testing.T) {
	model := func(vars, rows []string) *Model {
		m := &Model{}
		for _, v := range vars {
			m.AddVar(v, 0, 1, 0)
		}
		for _, r := range rows {
			m.AddRow(r, LE, 1)
		}
		return m
	}
	from := model([]string{"x", "y", "z"}, []string{"a", "b"})
	b := &Basis{Vars: []BasisStatus{Basic, AtUpper, AtLower}, Rows: []BasisStatus{AtUpper, Basic}}
	for _, tc := range []struct {
		name       string
		to         *Model
		vars, rows []BasisStatus // nil: no basis carried
	}{
		{"same names, same order", model([]string{"x", "y", "z"}, []string{"a", "b"}),
			[]BasisStatus{Basic, AtUpper, AtLower}, []BasisStatus{AtUpper, Basic}},
		{"reordered, by name", model([]string{"z", "x", "y"}, []string{"b", "a"}),
			[]BasisStatus{AtLower, Basic, AtUpper}, []BasisStatus{Basic, AtUpper}},
		{"new ones as in a cold start", model([]string{"x", "w", "y"}, []string{"c", "a"}),
			[]BasisStatus{Basic, AtLower, AtUpper}, []BasisStatus{Basic, AtUpper}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := b.Carry(from, tc.to)
			if got == nil {
				t.Fatal("nothing carried")
			}
			if !slices.Equal(got.Vars, tc.vars) || !slices.Equal(got.Rows, tc.rows) {
				t.Errorf("got vars %v rows %v, want %v %v", got.Vars, got.Rows, tc.vars, tc.rows)
			}
		})
	}
	t.Run("not from's basis", func(t *testing.T) {
		short := &Basis{Vars: b.Vars[:2], Rows: b.Rows}
		if got := short.Carry(from, from); got != nil {
			t.Errorf("carried %v", got)
		}
		var none *Basis
		if got := none.Carry(from, from); got != nil {
			t.Errorf("nil basis carried %v", got)
		}
	})
	t.Run("a copy", func(t *testing.T) {
		got := b.Carry(from, from)
		got.Vars[0] = AtUpper
		if b.Vars[0] != Basic {
			t.Error("carrying shares the slices")
		}
	})
}
