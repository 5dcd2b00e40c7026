package scenario

import (
	"reflect"
)

// Entry is one value of a scenario with its field path.
type Entry struct {
	Path  string
	Value *Value
	// Date is set instead of Value for date fields.
	Date *Date
}

// Entries lists every value set in the scenario, in declaration order, with
// its field path (e.g. "resources.grid.lead_time").
func (s *Scenario) Entries() []Entry {
	var out []Entry
	walk(reflect.ValueOf(s).Elem(), "", &out)
	return out
}

func walk(v reflect.Value, path string, out *[]Entry) {
	fields := fieldsOf(v.Type()).fields
	for i := range fields {
		f := &fields[i]
		name := f.name
		fv := v.Field(i)
		switch {
		case f.Type == valueType:
			p := join(path, name)
			if name == "-" { // a Need's amount: the entry is the need itself
				p = path
			}
			if val := fv.Addr().Interface().(*Value); val.Set {
				*out = append(*out, Entry{Path: p, Value: val})
			}
		case f.Type == dateType:
			if d := fv.Addr().Interface().(*Date); d.Set {
				*out = append(*out, Entry{Path: join(path, name), Date: d})
			}
		case name == "" || name == "-":
		case f.Type.Kind() == reflect.Struct:
			walk(fv, join(path, name), out)
		case f.Type.Kind() == reflect.Slice && f.keyed:
			nameAt := fieldsOf(f.Type.Elem()).byGoName("Name").Index[0]
			for j := 0; j < fv.Len(); j++ {
				e := fv.Index(j)
				walk(e, join(join(path, name), e.Field(nameAt).String()), out)
			}
		}
	}
}

// Overridden reports whether a value was set by a file other than the
// scenario's first base (the reference, for most user scenarios).
func (s *Scenario) Overridden(p Pos) bool {
	return len(s.Origin) > 1 && p.File != s.Origin[0]
}
