package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gwf-project/gwf/units"
)

var (
	valueType = reflect.TypeFor[Value]()
	dateType  = reflect.TypeFor[Date]()
)

var dims = map[string]units.Dim{
	"duration":  units.Duration,
	"power":     units.Power,
	"money":     units.Money,
	"fraction":  units.Fraction,
	"growth":    units.Growth,
	"compute":   units.Compute,
	"rate":      units.Rate,
	"intensity": units.Intensity,
	"count":     units.Count,
	"ratio":     units.Ratio,
	"price":     units.Price,
}

// decoder fills Go structs from a tree, collecting every problem.
type decoder struct {
	errs ErrorList
}

// decodeStruct fills the struct v from the mapping t. owner is where the
// key naming the struct was written, where missing fields are reported.
func (d *decoder) decodeStruct(t *tree, v reflect.Value, path string, owner Pos) {
	if t == nil || t.kind == nullNode {
		d.checkRequired(t, v, path, owner)
		return
	}
	if t.kind != mappingNode {
		d.errs.add(t.pos, path, "wrong shape (got %s, want a mapping of fields)", t.kind)
		return
	}
	typ := v.Type()
	fields := fieldsOf(typ)
	for i, k := range t.keys {
		name := k.text
		fi, ok := fields.byName[name]
		if !ok {
			d.errs.add(k.pos, join(path, name), "unknown field (got %q, want one of: %s)", name, strings.Join(fields.names, ", "))
			continue
		}
		d.decodeField(t.vals[i], v.Field(fi), &fields.fields[fi], join(path, name), k.pos)
	}
	d.checkRequired(t, v, path, owner)
}

func (d *decoder) checkRequired(t *tree, v reflect.Value, path string, pos Pos) {
	typ := v.Type()
	if pos.Line == 0 && t != nil {
		pos = t.pos
	}
	fields := fieldsOf(typ)
	for _, i := range fields.required {
		f := &fields.fields[i]
		name := f.name
		if v := t.get(name); v != nil && v.kind != nullNode {
			if f.Type.Kind() == reflect.Slice && v.kind == mappingNode && len(v.keys) == 0 {
				d.errs.add(v.pos, join(path, name), "empty (got no entries, want at least one)")
			}
			continue
		}
		p := pos
		if k := t.key(name); k != nil {
			p = k.pos // written with no value: point at the key
		}
		d.errs.add(p, join(path, name), "missing (want %s)", describe(f))
	}
}

func describe(f *fieldInfo) string {
	if dim, ok := dims[f.unit]; ok {
		return dim.String()
	}
	switch f.Name {
	case "Kind":
		return "one of: " + strings.Join(Kinds, ", ")
	case "Unit":
		return `the name of what is counted, such as "wafer"`
	case "Name":
		return "a name of letters, digits, _ and - starting with a letter"
	}
	switch f.Type {
	case dateType:
		return "a date YYYY-MM-DD"
	}
	if f.Type.Kind() == reflect.Slice {
		return "at least one entry"
	}
	if f.Type.Kind() == reflect.Struct {
		return "a mapping of fields"
	}
	return "a value"
}

func (d *decoder) decodeField(t *tree, v reflect.Value, f *fieldInfo, path string, owner Pos) {
	if t.kind == nullNode {
		return
	}
	switch {
	case f.Type == valueType:
		d.decodeValue(t, v.Addr().Interface().(*Value), f, path)
	case f.Type == dateType:
		d.decodeDate(t, v.Addr().Interface().(*Date), path)
	case f.Type.Kind() == reflect.String:
		if s, ok := d.scalar(t, path); ok {
			v.SetString(s)
		}
	case f.Type.Kind() == reflect.Int64:
		if s, ok := d.scalar(t, path); ok {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				d.errs.add(t.pos, path, "not a whole number (got %q, want an integer)", s)
				return
			}
			v.SetInt(n)
		}
	case f.Type.Kind() == reflect.Bool:
		if b, ok := d.bool(t, path); ok {
			v.SetBool(b)
		}
	case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool:
		if b, ok := d.bool(t, path); ok {
			v.Set(reflect.ValueOf(&b))
		}
	case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
		items := t.items
		if t.kind == scalarNode {
			items = []*tree{t}
		} else if t.kind != sequenceNode {
			d.errs.add(t.pos, path, "wrong shape (got %s, want a list of names)", t.kind)
			return
		}
		out := reflect.MakeSlice(f.Type, 0, len(items))
		for i, it := range items {
			if s, ok := d.scalar(it, path+"["+strconv.Itoa(i)+"]"); ok {
				out = reflect.Append(out, reflect.ValueOf(s))
			}
		}
		v.Set(out)
	case f.Type.Kind() == reflect.Slice && f.keyed:
		d.decodeKeyed(t, v, path)
	case f.Type.Kind() == reflect.Struct:
		d.decodeStruct(t, v, path, owner)
	default:
		d.errs.add(t.pos, path, "field of unsupported type %s", f.Type)
	}
}

// decodeKeyed fills a slice of named entries from a mapping, in file order.
func (d *decoder) decodeKeyed(t *tree, v reflect.Value, path string) {
	if t.kind != mappingNode {
		d.errs.add(t.pos, path, "wrong shape (got %s, want a mapping from names to entries)", t.kind)
		return
	}
	elem := v.Type().Elem()
	fields := fieldsOf(elem)
	name, pos := fields.byGoName("Name"), fields.byGoName("Pos")
	// A named value (a need, a share) is the value itself, and a named
	// list of names the list itself: their field has no name of its own.
	amount, sources := fields.byGoName("Amount"), fields.byGoName("Sources")
	out := reflect.MakeSlice(v.Type(), 0, len(t.keys))
	for i, k := range t.keys {
		p := join(path, k.text)
		if !validName(k.text) {
			d.errs.add(k.pos, p, "bad name (got %q, want letters, digits, _ and - starting with a letter)", k.text)
			continue
		}
		val := t.vals[i]
		if val.kind == nullNode {
			// "name:" with nothing after it: report at the name.
			val = &tree{kind: nullNode, pos: k.pos}
		}
		e := reflect.New(elem).Elem()
		e.Field(name.Index[0]).SetString(k.text)
		e.Field(pos.Index[0]).Set(reflect.ValueOf(k.pos))
		if amount != nil && amount.name == "-" {
			d.decodeValue(val, e.Field(amount.Index[0]).Addr().Interface().(*Value), amount, p)
		} else if sources != nil && sources.name == "-" {
			d.decodeField(val, e.Field(sources.Index[0]), sources, p, k.pos)
		} else {
			d.decodeStruct(val, e, p, k.pos)
		}
		out = reflect.Append(out, e)
	}
	v.Set(out)
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '-'):
		default:
			return false
		}
	}
	return true
}

func (d *decoder) scalar(t *tree, path string) (string, bool) {
	if t.kind != scalarNode {
		d.errs.add(t.pos, path, "wrong shape (got %s, want a single value)", t.kind)
		return "", false
	}
	return t.text, true
}

func (d *decoder) bool(t *tree, path string) (bool, bool) {
	s, ok := d.scalar(t, path)
	if !ok {
		return false, false
	}
	switch s {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	d.errs.add(t.pos, path, "not a yes/no value (got %q, want true or false)", s)
	return false, false
}

func (d *decoder) decodeDate(t *tree, out *Date, path string) {
	// A date may be written plain or, like a value, as a mapping with its
	// source: {value: 2030-06-01, source: "...", confidence: analyst}.
	var source, confidence string
	if t.kind == mappingNode {
		v := t.get("value")
		for i, k := range t.keys {
			vt := t.vals[i]
			switch k.text {
			case "value":
			case "source":
				source, _ = d.scalar(vt, join(path, "source"))
			case "confidence":
				if c, ok := d.scalar(vt, join(path, "confidence")); ok {
					if !slices.Contains(Confidences, c) {
						d.errs.add(vt.pos, join(path, "confidence"), "unknown confidence (got %q, want one of: %s)", c, strings.Join(Confidences, ", "))
					}
					confidence = c
				}
			default:
				d.errs.add(k.pos, join(path, k.text), "unknown field (got %q, want one of: %s)", k.text, strings.Join(valueFields, ", "))
			}
		}
		if v == nil {
			d.errs.add(t.pos, join(path, "value"), "missing (want a date YYYY-MM-DD)")
			return
		}
		t = v
	}
	s, ok := d.scalar(t, path)
	if !ok {
		return
	}
	tm, err := time.Parse(time.DateOnly, s)
	if err != nil {
		d.errs.add(t.pos, path, "not a date (got %q, want YYYY-MM-DD)", s)
		return
	}
	if tm.Year() < 1990 || tm.Year() > 2200 {
		d.errs.add(t.pos, path, "date out of range (got %s, want a year between 1990 and 2200)", s)
		return
	}
	*out = Date{Time: tm, Pos: t.pos, Set: true, Source: source, Confidence: confidence}
}

// valueFields are the keys of a value written as a mapping.
var valueFields = []string{"value", "source", "confidence"}

func (d *decoder) decodeValue(t *tree, out *Value, f *fieldInfo, path string) {
	text := ""
	val := Value{Pos: t.pos}
	switch t.kind {
	case scalarNode:
		text = t.text
	case mappingNode:
		if t.get("dist") != nil {
			d.decodeDist(t, out, f, path)
			return
		}
		for i, k := range t.keys {
			vt := t.vals[i]
			switch k.text {
			case "value":
				if s, ok := d.scalar(vt, join(path, "value")); ok {
					text = s
					val.Pos = vt.pos
				}
			case "source":
				if s, ok := d.scalar(vt, join(path, "source")); ok {
					val.Source = s
				}
			case "confidence":
				if s, ok := d.scalar(vt, join(path, "confidence")); ok {
					if !slices.Contains(Confidences, s) {
						d.errs.add(vt.pos, join(path, "confidence"), "unknown confidence (got %q, want one of: %s)", s, strings.Join(Confidences, ", "))
					}
					val.Confidence = s
				}
			default:
				d.errs.add(k.pos, join(path, k.text), "unknown field (got %q, want one of: %s)", k.text, strings.Join(valueFields, ", "))
			}
		}
		if t.get("value") == nil {
			d.errs.add(t.pos, join(path, "value"), "missing (want the number with its unit)")
			return
		}
	default:
		d.errs.add(t.pos, path, "wrong shape (got %s, want a value with its unit)", t.kind)
		return
	}
	val.Text = text
	val.Set = true
	unit := f.unit
	if unit == "" {
		// Dimension depends on context (a resource's kind); checked later.
		*out = val
		return
	}
	q, err := units.Parse(text, dims[unit])
	if err != nil {
		d.errs.add(val.Pos, path, "%v", err)
		return
	}
	val.Q = q
	val.V = q.Value
	if per := f.per; per != "" && q.Per != per {
		d.errs.add(val.Pos, path, "wrong basis (got %q, want a price per %s)", text, per)
		return
	}
	if of := f.of; of != "" && q.Of != of {
		d.errs.add(val.Pos, path, "wrong unit (got %q, want %s per time, e.g. \"1 GW/week\")", text, of)
		return
	}
	d.checkRange(&val, f, path)
	*out = val
}

func (d *decoder) checkRange(val *Value, f *fieldInfo, path string) {
	if val.V < f.min {
		d.errs.add(val.Pos, path, "too small (got %s, want at least %s)", val.Text, bound(f.min, f))
	}
	if val.V > f.max {
		d.errs.add(val.Pos, path, "too large (got %s, want at most %s)", val.Text, bound(f.max, f))
	}
}

// bound prints a limit in the field's canonical unit.
func bound(v float64, f *fieldInfo) string {
	n := units.FormatNumber(v, 6)
	switch f.unit {
	case "duration":
		if v == 1 {
			return "1 week"
		}
		return n + " weeks"
	case "power":
		return n + " MW"
	case "money":
		return units.FormatUSD(v)
	case "fraction", "growth":
		s := units.FormatNumber(v*100, 4) + "%"
		if f.unit == "growth" {
			s += "/year"
		}
		return s
	case "compute":
		return n + " FLOP/s"
	case "rate":
		return n + " " + f.of + "/week"
	}
	return n
}

func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// structFields is what decoding needs of a struct type's fields: a load
// meets the same few types thousands of times, and reading their tags
// field by field was a third of decoding the reference.
type structFields struct {
	fields   []fieldInfo    // every field, by index
	byName   map[string]int // field index by YAML name ("" and "-" left out)
	names    []string       // the YAML names in declaration order, for messages
	required []int          // the fields tagged required:"true"
}

// fieldInfo is one struct field with its tags read.
type fieldInfo struct {
	reflect.StructField
	name          string // its YAML name ("-": none of its own; "": not in YAML)
	keyed         bool   // a list written as a mapping from names to entries
	unit, per, of string // a Value's dimension, price basis and rate unit
	// min and max are the range the field's tags allow (±Inf when absent).
	min, max float64
}

// byGoName is the field named name in Go, or nil.
func (sf *structFields) byGoName(name string) *fieldInfo {
	for i := range sf.fields {
		if sf.fields[i].Name == name {
			return &sf.fields[i]
		}
	}
	return nil
}

// fieldTables holds a *structFields per reflect.Type, made on first use.
var fieldTables sync.Map

// fieldsOf returns t's field table, a struct type's.
func fieldsOf(t reflect.Type) *structFields {
	if sf, ok := fieldTables.Load(t); ok {
		return sf.(*structFields)
	}
	sf := &structFields{byName: make(map[string]int, t.NumField())}
	for i := range t.NumField() {
		f := t.Field(i)
		yaml := f.Tag.Get("yaml")
		fi := fieldInfo{
			StructField: f,
			name:        tagName(f),
			keyed:       strings.HasSuffix(yaml, ",keyed"),
			unit:        f.Tag.Get("unit"),
			per:         f.Tag.Get("per"),
			of:          f.Tag.Get("of"),
			min:         math.Inf(-1),
			max:         math.Inf(1),
		}
		if s := f.Tag.Get("min"); s != "" {
			fi.min = mustFloat(t, f, s)
		}
		if s := f.Tag.Get("max"); s != "" {
			fi.max = mustFloat(t, f, s)
		}
		sf.fields = append(sf.fields, fi)
		if n := fi.name; n != "" && n != "-" {
			if _, dup := sf.byName[n]; !dup {
				sf.byName[n] = i
			}
			sf.names = append(sf.names, n)
		}
		if f.Tag.Get("required") == "true" {
			sf.required = append(sf.required, i)
		}
	}
	got, _ := fieldTables.LoadOrStore(t, sf)
	return got.(*structFields)
}

// mustFloat reads a bound written in a struct tag: a tag that is not a
// number is a mistake in gwf's own types.
func mustFloat(t reflect.Type, f reflect.StructField, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(fmt.Sprintf("scenario: %s.%s: tag bound %q is not a number", t.Name(), f.Name, s))
	}
	return v
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
