package scenario

import (
	"reflect"
	"testing"
)

// Every list written as a mapping from names to entries (a ",keyed" YAML
// tag) has entries with a Name and a Pos of their own, which decodeKeyed
// fills by index; every field table agrees with the struct's tags.
func TestFieldTables(t *testing.T) {
	seen := map[reflect.Type]bool{}
	keyed := 0
	var visit func(typ reflect.Type)
	visit = func(typ reflect.Type) {
		if typ.Kind() != reflect.Struct || seen[typ] || typ == valueType || typ == dateType {
			return
		}
		seen[typ] = true
		fields := fieldsOf(typ)
		if len(fields.fields) != typ.NumField() {
			t.Fatalf("%s: %d fields in its table, want %d", typ, len(fields.fields), typ.NumField())
		}
		for i := range fields.fields {
			f := &fields.fields[i]
			if f.Name != typ.Field(i).Name || f.name != tagName(typ.Field(i)) {
				t.Errorf("%s field %d: table has %s %q, want %s %q", typ, i, f.Name, f.name, typ.Field(i).Name, tagName(typ.Field(i)))
			}
			if j, ok := fields.byName[f.name]; ok && j != i && fields.fields[j].name == f.name {
				t.Errorf("%s: YAML name %q used twice", typ, f.name)
			}
			elem := f.Type
			if elem.Kind() == reflect.Slice {
				elem = elem.Elem()
			}
			if f.keyed {
				keyed++
				es := fieldsOf(elem)
				if n := es.byGoName("Name"); n == nil || n.Type.Kind() != reflect.String {
					t.Errorf("%s.%s: entries of %s have no Name string of their own", typ, f.Name, elem)
				}
				if p := es.byGoName("Pos"); p == nil || p.Type != reflect.TypeFor[Pos]() {
					t.Errorf("%s.%s: entries of %s have no Pos of their own", typ, f.Name, elem)
				}
			}
			visit(elem)
		}
	}
	visit(reflect.TypeFor[Scenario]())
	if keyed < 10 {
		t.Fatalf("only %d keyed lists found from Scenario, want the scenario's dozen and more", keyed)
	}
}
