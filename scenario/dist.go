package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gwf-project/gwf/units"
)

// Distribution kinds a value may be written as.
const (
	DistUniform    = "uniform"    // min, max
	DistTriangular = "triangular" // min, mode, max
	DistNormal     = "normal"     // mean, std; optional min, max truncate it
	DistLognormal  = "lognormal"  // median, p90; optional min, max truncate it
	DistDiscrete   = "discrete"   // values, probabilities (equal when left out)
)

// DistKinds lists the distribution kinds in the order they are documented.
var DistKinds = []string{DistUniform, DistTriangular, DistNormal, DistLognormal, DistDiscrete}

// distShape says which parameters a kind of distribution takes.
type distShape struct{ required, optional []string }

var distShapes = map[string]distShape{
	DistUniform:    {required: []string{"min", "max"}},
	DistTriangular: {required: []string{"min", "mode", "max"}},
	DistNormal:     {required: []string{"mean", "std"}, optional: []string{"min", "max"}},
	DistLognormal:  {required: []string{"median", "p90"}, optional: []string{"min", "max"}},
	DistDiscrete:   {required: []string{"values"}, optional: []string{"probabilities"}},
}

// distFields are every key a value written as a distribution may have.
var distFields = []string{"dist", "min", "mode", "max", "mean", "std", "median", "p90", "values", "probabilities", "source", "confidence"}

// z90 is the standard normal quantile at 0.9: a lognormal's p90 is
// median × exp(z90 × σ).
const z90 = 1.2815515655446004

// Dist is a probability distribution of a scenario value, every parameter
// in the value's canonical unit (weeks, MW, fractions, ...).
//
// A Value holding a Dist has V set to the distribution's median, so a
// single run (gwf run) uses medians; Monte Carlo draws from Quantile.
// A Dist is never changed after loading: copies of a scenario share it.
//
// Normal and lognormal distributions are truncated to [Min, Max] when the
// scenario gives those bounds; quantiles, the median included, are then
// those of the truncated distribution. Any draw beyond the range the field
// allows (a lead time is never negative, a share never above 100%) is set
// to that limit, which leaves every quantile inside the range unchanged:
// a lognormal's median and p90 are the values written.
type Dist struct {
	Kind string
	// Min and Max bound uniform and triangular distributions and truncate
	// normal and lognormal ones (±Inf when not given).
	Min, Max float64
	Mode     float64 // triangular
	Mean     float64 // normal
	Std      float64 // normal
	Median   float64 // lognormal, before truncation
	P90      float64 // lognormal, before truncation
	// Values and Probs are a discrete distribution's outcomes, ascending,
	// and their probabilities (summing to 1).
	Values, Probs []float64

	mu, sigma    float64 // location and scale of the normal (in logs for lognormal)
	cdfLo, cdfHi float64 // standard normal CDF at the truncation bounds
	lo, hi       float64 // the range the field allows
	params       []distParam
}

// distParam is one parameter as written, read later in the field's unit.
type distParam struct {
	name  string
	text  string
	pos   Pos
	items []distParam // for values and probabilities
}

// Quantile returns the value below which a share p of the distribution
// lies (its inverse CDF), for p in [0, 1]. Quantile(0.5) is the median.
// Drawing p uniformly from [0, 1) samples the distribution.
func (d *Dist) Quantile(p float64) float64 {
	return min(max(d.quantile(min(max(p, 0), 1)), d.lo), d.hi)
}

func (d *Dist) quantile(p float64) float64 {
	switch d.Kind {
	case DistUniform:
		return d.Min + p*(d.Max-d.Min)
	case DistTriangular:
		a, c, b := d.Min, d.Mode, d.Max
		if b == a {
			return a
		}
		if p < (c-a)/(b-a) {
			return a + math.Sqrt(p*(b-a)*(c-a))
		}
		return b - math.Sqrt((1-p)*(b-a)*(b-c))
	case DistNormal, DistLognormal:
		if d.sigma == 0 {
			return min(max(d.location(), d.Min), d.Max)
		}
		q := d.cdfLo + p*(d.cdfHi-d.cdfLo)
		x := d.mu + d.sigma*normalQuantile(q)
		if d.Kind == DistLognormal {
			x = math.Exp(x)
		}
		return min(max(x, d.Min), d.Max)
	case DistDiscrete:
		cum := 0.0
		for i, pr := range d.Probs {
			cum += pr
			if p <= cum && pr > 0 {
				return d.Values[i]
			}
		}
		for i := len(d.Values) - 1; i >= 0; i-- { // rounding: the last outcome with weight
			if d.Probs[i] > 0 {
				return d.Values[i]
			}
		}
	}
	return math.NaN()
}

// location is the centre of an untruncated normal or lognormal.
func (d *Dist) location() float64 {
	if d.Kind == DistLognormal {
		return math.Exp(d.mu)
	}
	return d.mu
}

// String describes the distribution as written, for example
// "triangular(min 90 weeks, mode 120 weeks, max 180 weeks)".
func (d *Dist) String() string {
	parts := make([]string, 0, len(d.params))
	for _, p := range d.params {
		if p.items != nil {
			texts := make([]string, len(p.items))
			for i, it := range p.items {
				texts[i] = it.text
			}
			parts = append(parts, p.name+" ["+strings.Join(texts, ", ")+"]")
			continue
		}
		parts = append(parts, p.name+" "+p.text)
	}
	return d.Kind + "(" + strings.Join(parts, ", ") + ")"
}

// normalCDF is Φ, the standard normal distribution function.
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// normalQuantile is Φ⁻¹, accurate in the tails (via erfcinv).
func normalQuantile(p float64) float64 {
	switch {
	case p <= 0:
		return math.Inf(-1)
	case p >= 1:
		return math.Inf(1)
	}
	return -math.Sqrt2 * math.Erfcinv(2*p)
}

// parseFunc reads one parameter written as text at pos (path names it in
// errors) in the field's unit, reporting problems itself; ok is false when
// it could not.
type parseFunc func(text string, pos Pos, path string) (q units.Quantity, ok bool)

// decodeDist reads a value written as a distribution:
// {dist: KIND, PARAM: VALUE..., source: ..., confidence: ...}.
func (d *decoder) decodeDist(t *tree, out *Value, f *fieldInfo, path string) {
	val := Value{Pos: t.pos, Set: true}
	kind, ok := d.scalar(t.get("dist"), join(path, "dist"))
	if !ok {
		return
	}
	shape, known := distShapes[kind]
	if !known {
		d.errs.add(t.get("dist").pos, join(path, "dist"), "unknown distribution (got %q, want one of: %s)", kind, strings.Join(DistKinds, ", "))
		return
	}
	dist := &Dist{Kind: kind}
	allowed := slices.Concat([]string{"dist"}, shape.required, shape.optional, []string{"source", "confidence"})
	bad := false
	for i, k := range t.keys {
		vt, p := t.vals[i], join(path, k.text)
		switch {
		case k.text == "dist":
		case k.text == "source":
			if s, ok := d.scalar(vt, p); ok {
				val.Source = s
			}
		case k.text == "confidence":
			if s, ok := d.scalar(vt, p); ok {
				if !slices.Contains(Confidences, s) {
					d.errs.add(vt.pos, p, "unknown confidence (got %q, want one of: %s)", s, strings.Join(Confidences, ", "))
				}
				val.Confidence = s
			}
		case k.text == "value":
			d.errs.add(k.pos, p, "both a value and a distribution (got value and dist, want one of them)")
			bad = true
		case !slices.Contains(allowed, k.text):
			d.errs.add(k.pos, p, "unknown field for a %s distribution (got %q, want one of: %s)", kind, k.text, strings.Join(allowed, ", "))
			bad = true
		case k.text == "values" || k.text == "probabilities":
			if vt.kind != sequenceNode || len(vt.items) == 0 {
				d.errs.add(vt.pos, p, "wrong shape (got %s, want a list such as [10%%, 20%%])", vt.kind)
				bad = true
				continue
			}
			dp := distParam{name: k.text, pos: vt.pos, items: []distParam{}}
			for j, it := range vt.items {
				s, ok := d.scalar(it, p+"["+strconv.Itoa(j)+"]")
				if !ok {
					bad = true
					continue
				}
				dp.items = append(dp.items, distParam{name: k.text + "[" + strconv.Itoa(j) + "]", text: s, pos: it.pos})
			}
			dist.params = append(dist.params, dp)
		default:
			s, ok := d.scalar(vt, p)
			if !ok {
				bad = true
				continue
			}
			dist.params = append(dist.params, distParam{name: k.text, text: s, pos: vt.pos})
		}
	}
	for _, r := range shape.required {
		if t.get(r) == nil {
			d.errs.add(t.pos, join(path, r), "missing (want the %s of the %s distribution)", r, kind)
			bad = true
		}
	}
	if bad {
		return
	}
	val.Dist = dist
	val.Text = dist.String()
	unit := f.unit
	if unit == "" {
		// The dimension depends on context (a resource's kind): the
		// parameters are read when it is known (see resolveDist).
		*out = val
		return
	}
	lo, hi := f.min, f.max
	parse := func(text string, pos Pos, p string) (units.Quantity, bool) {
		q, err := units.Parse(text, dims[unit])
		if err != nil {
			d.errs.add(pos, p, "%v", err)
			return q, false
		}
		if per := f.per; per != "" && q.Per != per {
			d.errs.add(pos, p, "wrong basis (got %q, want a price per %s)", text, per)
			return q, false
		}
		if of := f.of; of != "" && q.Of != of {
			d.errs.add(pos, p, "wrong unit (got %q, want %s per time, e.g. \"1 GW/week\")", text, of)
			return q, false
		}
		if !strings.HasSuffix(p, ".std") {
			n := len(d.errs)
			d.checkRange(&Value{V: q.Value, Text: text, Pos: pos}, f, p)
			if len(d.errs) > n {
				return q, false
			}
		}
		return q, true
	}
	if resolveDist(&d.errs, &val, path, parse, lo, hi) {
		*out = val
	}
}

// resolveDist reads the parameters of val's distribution with parse,
// checks them, and sets val.V to the median and val.Q to the unit the
// parameters share. lo and hi are the range the field allows. It reports
// whether the distribution is usable.
func resolveDist(errs *ErrorList, val *Value, path string, parse parseFunc, lo, hi float64) bool {
	d := val.Dist
	n := len(*errs)
	num := map[string]float64{}
	pos := map[string]Pos{}
	text := map[string]string{}
	var unit *units.Quantity
	sameUnit := func(q units.Quantity, p distParam) {
		if unit == nil {
			unit = &q
			return
		}
		if q.Of != unit.Of || q.Per != unit.Per {
			errs.add(p.pos, join(path, p.name), "parameters in different units (got %q, want the unit of the others)", p.text)
		}
	}
	for _, p := range d.params {
		switch p.name {
		case "values":
			for _, it := range p.items {
				if q, ok := parse(it.text, it.pos, join(path, it.name)); ok {
					sameUnit(q, it)
					d.Values = append(d.Values, q.Value)
				}
			}
		case "probabilities":
			for _, it := range p.items {
				pr, ok := parseProbability(errs, it, join(path, it.name))
				if ok {
					d.Probs = append(d.Probs, pr)
				}
			}
		default:
			q, ok := parse(p.text, p.pos, join(path, p.name))
			if !ok {
				continue
			}
			sameUnit(q, p)
			num[p.name], pos[p.name], text[p.name] = q.Value, p.pos, p.text
		}
	}
	if len(*errs) > n {
		return false
	}
	at := func(name string) Pos {
		if p, ok := pos[name]; ok {
			return p
		}
		return val.Pos
	}
	userMin, hasMin := num["min"]
	userMax, hasMax := num["max"]
	if hasMin && hasMax && userMin >= userMax {
		errs.add(at("min"), join(path, "min"), "min not below max (got min %s, want below max %s)", text["min"], text["max"])
		return false
	}
	d.Min, d.Max, d.lo, d.hi = math.Inf(-1), math.Inf(1), lo, hi
	if hasMin {
		d.Min = userMin
	}
	if hasMax {
		d.Max = userMax
	}
	switch d.Kind {
	case DistTriangular:
		d.Mode = num["mode"]
		if d.Mode < userMin || d.Mode > userMax {
			errs.add(at("mode"), join(path, "mode"), "mode outside min to max (got %s, want between %s and %s)", text["mode"], text["min"], text["max"])
			return false
		}
	case DistNormal:
		d.Mean, d.Std = num["mean"], num["std"]
		if d.Std < 0 {
			errs.add(at("std"), join(path, "std"), "negative std (got %s, want zero or more)", text["std"])
			return false
		}
		if hasMin && d.Mean < userMin || hasMax && d.Mean > userMax {
			errs.add(at("mean"), join(path, "mean"), "mean outside the truncation (got %s, want between min and max)", text["mean"])
			return false
		}
		d.mu, d.sigma = d.Mean, d.Std
	case DistLognormal:
		d.Median, d.P90 = num["median"], num["p90"]
		if d.Median <= 0 {
			errs.add(at("median"), join(path, "median"), "median not above zero (got %s, want more than 0 for a lognormal)", text["median"])
			return false
		}
		if d.P90 <= d.Median {
			errs.add(at("p90"), join(path, "p90"), "p90 not above the median (got %s, want more than the median %s)", text["p90"], text["median"])
			return false
		}
		if hasMin && d.Median < userMin || hasMax && d.Median > userMax {
			errs.add(at("median"), join(path, "median"), "median outside the truncation (got %s, want between min and max)", text["median"])
			return false
		}
		d.mu, d.sigma = math.Log(d.Median), (math.Log(d.P90)-math.Log(d.Median))/z90
	case DistDiscrete:
		if !resolveDiscrete(errs, d, val.Pos, path) {
			return false
		}
	}
	if d.Kind == DistNormal || d.Kind == DistLognormal {
		d.cdfLo, d.cdfHi = 0, 1
		if d.sigma > 0 {
			d.cdfLo, d.cdfHi = normalCDF(d.standard(d.Min)), normalCDF(d.standard(d.Max))
			if d.cdfHi-d.cdfLo < 1e-9 {
				errs.add(val.Pos, path, "truncation leaves nothing (got almost no probability between min and max, want bounds around the %s)", map[string]string{DistNormal: "mean", DistLognormal: "median"}[d.Kind])
				return false
			}
		}
	}
	val.V = d.Quantile(0.5)
	if unit != nil {
		val.Q = *unit
	}
	val.Q.Value = val.V
	return true
}

// standard maps x to the standard normal scale of a normal or lognormal.
func (d *Dist) standard(x float64) float64 {
	if d.Kind == DistLognormal {
		if x <= 0 {
			return math.Inf(-1)
		}
		x = math.Log(x)
	}
	return (x - d.mu) / d.sigma
}

// resolveDiscrete checks a discrete distribution's probabilities (equal
// when none are given) and sorts its outcomes.
func resolveDiscrete(errs *ErrorList, d *Dist, at Pos, path string) bool {
	n := len(d.Values)
	if d.Probs == nil {
		d.Probs = make([]float64, n)
		for i := range d.Probs {
			d.Probs[i] = 1 / float64(n)
		}
	}
	if len(d.Probs) != n {
		errs.add(at, join(path, "probabilities"), "one probability per value (got %d probabilities for %d values, want %d)", len(d.Probs), n, n)
		return false
	}
	sum := 0.0
	for _, p := range d.Probs {
		sum += p
	}
	if math.Abs(sum-1) > 1e-6 {
		errs.add(at, join(path, "probabilities"), "probabilities do not add up to 100%% (got %s%%, want 100%%)", units.FormatNumber(sum*100, 6))
		return false
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return d.Values[idx[a]] < d.Values[idx[b]] })
	vs, ps := make([]float64, n), make([]float64, n)
	for i, j := range idx {
		vs[i], ps[i] = d.Values[j], d.Probs[j]/sum
	}
	d.Values, d.Probs = vs, ps
	return true
}

// parseProbability reads a probability written "25%" or "0.25".
func parseProbability(errs *ErrorList, p distParam, path string) (float64, bool) {
	q, err := units.Parse(p.text, units.Fraction)
	if err != nil {
		q, err = units.Parse(p.text, units.Ratio)
	}
	if err != nil || q.Value < 0 || q.Value > 1 {
		errs.add(p.pos, path, "not a probability (got %q, want a share between 0%% and 100%%)", p.text)
		return 0, false
	}
	return q.Value, true
}

// UncertainValues lists the values written as distributions, in
// declaration order, leaving out those of events (an event's duration or
// factor is drawn each time it happens, not once per run).
func (s *Scenario) UncertainValues() []Entry {
	// The walk mirrors Entries' but builds a path only for what it returns:
	// Monte Carlo calls this once per run.
	var out []Entry
	var stack []string
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		fields := fieldsOf(v.Type()).fields
		for i := range fields {
			f := &fields[i]
			name := f.name
			fv := v.Field(i)
			switch {
			case f.Type == valueType:
				if val := fv.Addr().Interface().(*Value); val.Set && val.Dist != nil {
					p := slices.Clone(stack)
					if name != "-" { // a Need's amount: the entry is the need itself
						p = append(p, name)
					}
					out = append(out, Entry{Path: strings.Join(p, "."), Value: val})
				}
			case f.Type == dateType, name == "" || name == "-":
			case len(stack) == 0 && name == "events":
			case f.Type.Kind() == reflect.Struct:
				stack = append(stack, name)
				visit(fv)
				stack = stack[:len(stack)-1]
			case f.Type.Kind() == reflect.Slice && f.keyed:
				nameAt := fieldsOf(f.Type.Elem()).byGoName("Name").Index[0]
				for j := 0; j < fv.Len(); j++ {
					e := fv.Index(j)
					stack = append(stack, name, e.Field(nameAt).String())
					visit(e)
					stack = stack[:len(stack)-2]
				}
			}
		}
	}
	visit(reflect.ValueOf(s).Elem())
	return out
}

// Uncertain reports whether the scenario has anything a single run leaves
// out: values written as distributions (a run uses their medians) or
// disruption events (a run applies none). Monte Carlo (gwf mc) samples both.
func (s *Scenario) Uncertain() bool {
	return len(s.Events) > 0 || len(s.UncertainValues()) > 0
}

// Clone returns a deep copy of s: changing any value, list or nested
// struct of the copy leaves s as it was. Distributions and dates, which
// nothing changes after loading, are shared.
func (s *Scenario) Clone() *Scenario {
	c := new(Scenario)
	deepCopy(reflect.ValueOf(c).Elem(), reflect.ValueOf(s).Elem())
	return c
}

var distPtrType = reflect.TypeFor[*Dist]()

// flatTypes caches flat's answers.
var flatTypes sync.Map // reflect.Type → bool

// flat reports whether a struct type holds nothing a copy by value would
// share and a caller could change: no slices, maps or pointers other than
// to a Dist, in its exported fields. Values and dates are flat.
func flat(t reflect.Type) bool {
	if f, ok := flatTypes.Load(t); ok {
		return f.(bool)
	}
	f := true
	for i := 0; i < t.NumField() && f; i++ {
		ft := t.Field(i)
		if !ft.IsExported() {
			continue
		}
		switch ft.Type.Kind() {
		case reflect.Slice, reflect.Map, reflect.Interface:
			f = false
		case reflect.Pointer:
			f = ft.Type == distPtrType
		case reflect.Struct:
			f = flat(ft.Type)
		}
	}
	flatTypes.Store(t, f)
	return f
}

// deepCopy copies src into dst (settable, same type), duplicating slices,
// maps and pointers so that dst shares no mutable memory with src.
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		dst.Set(src) // unexported fields (time.Time's) by value
		if flat(src.Type()) {
			return
		}
		for i := 0; i < src.NumField(); i++ {
			if src.Type().Field(i).IsExported() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Pointer:
		if src.IsNil() || src.Type() == distPtrType {
			dst.Set(src)
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, iter.Value())
			m.SetMapIndex(iter.Key(), v)
		}
		dst.Set(m)
	case reflect.Interface:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		panic(fmt.Sprintf("scenario: Clone cannot copy interface field of type %s", src.Type()))
	default:
		dst.Set(src)
	}
}
