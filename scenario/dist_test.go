package scenario_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// leadTime parses the reference with the transformers' lead time written
// as dist (a flow mapping's inside) and returns that value.
func leadTime(t *testing.T, dist string) scenario.Value {
	t.Helper()
	s, err := scenario.Parse("d.yaml", []byte(over("resources:", "  transformers:", "    lead_time: {"+dist+"}")), nil)
	if err != nil {
		t.Fatalf("Parse(%s): %v", dist, err)
	}
	return s.Resource("transformers").LeadTime
}

// draws samples d n times from a fixed seed and returns them sorted.
func draws(d *scenario.Dist, n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = d.Quantile(r.Float64())
	}
	slices.Sort(xs)
	return xs
}

// ecdf is the share of sorted xs at or below x.
func ecdf(xs []float64, x float64) float64 {
	i, _ := slices.BinarySearch(xs, math.Nextafter(x, math.Inf(1)))
	return float64(i) / float64(len(xs))
}

// Samples drawn through Quantile follow each distribution's definition:
// the empirical CDF matches the CDF written independently here, within
// the Kolmogorov–Smirnov tolerance for the sample size (1.63/√n is the 1%
// critical value; the seed is fixed, so the test is deterministic).
func TestDistSamplesMatchDefinition(t *testing.T) {
	phi := func(z float64) float64 { return 0.5 * (1 + math.Erf(z/math.Sqrt2)) }
	cases := []struct {
		name   string
		dist   string
		cdf    func(x float64) float64 // in weeks
		lo, hi float64                 // where to compare
	}{
		{"uniform", "dist: uniform, min: 90 weeks, max: 180 weeks",
			func(x float64) float64 { return (x - 90) / 90 }, 90, 180},
		{"triangular", "dist: triangular, min: 90 weeks, mode: 120 weeks, max: 180 weeks",
			func(x float64) float64 {
				if x <= 120 {
					return (x - 90) * (x - 90) / (90 * 30)
				}
				return 1 - (180-x)*(180-x)/(90*60)
			}, 90, 180},
		{"normal", "dist: normal, mean: 120 weeks, std: 20 weeks",
			func(x float64) float64 { return phi((x - 120) / 20) }, 60, 180},
		{"truncated normal", "dist: normal, mean: 120 weeks, std: 40 weeks, min: 100 weeks, max: 200 weeks",
			func(x float64) float64 {
				a, b := phi(-0.5), phi(2)
				return (phi((x-120)/40) - a) / (b - a)
			}, 100, 200},
		{"lognormal", "dist: lognormal, median: 20 weeks, p90: 40 weeks",
			func(x float64) float64 {
				sigma := math.Log(2) / 1.2815515655446004
				return phi(math.Log(x/20) / sigma)
			}, 2, 200},
	}
	const n = 100000
	tol := 1.63 / math.Sqrt(n)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := leadTime(t, c.dist)
			xs := draws(v.Dist, n)
			worst := 0.0
			for i := 0; i <= 200; i++ {
				x := c.lo + (c.hi-c.lo)*float64(i)/200
				worst = max(worst, math.Abs(ecdf(xs, x)-c.cdf(x)))
			}
			if worst > tol {
				t.Errorf("largest CDF gap %.4f, want ≤ %.4f", worst, tol)
			}
			// The median V equals the CDF's half-way point.
			if got := c.cdf(v.V); math.Abs(got-0.5) > 1e-9 {
				t.Errorf("CDF at the median %v = %v, want 0.5", v.V, got)
			}
		})
	}
}

// The parameterisations planners write are right: a lognormal's median
// and p90 are the values given (and its p10 mirrors p90 about the median
// in logs), even where its tail passes the field's limit; a normal truncated at its mean has the
// half-normal's median; quantiles of a uniform and a triangular are exact.
func TestDistQuantiles(t *testing.T) {
	cases := []struct {
		dist string
		p    float64
		want float64 // weeks
	}{
		{"dist: lognormal, median: 40 weeks, p90: 70 weeks", 0.5, 40},
		{"dist: lognormal, median: 40 weeks, p90: 70 weeks", 0.9, 70},
		{"dist: lognormal, median: 40 weeks, p90: 70 weeks", 0.1, 40 * 40.0 / 70},
		{"dist: normal, mean: 100 weeks, std: 10 weeks", 0.9, 100 + 10*1.2815515655446004},
		{"dist: normal, mean: 100 weeks, std: 10 weeks, min: 100 weeks", 0.5, 100 + 10*0.6744897501960817},
		{"dist: normal, mean: 100 weeks, std: 10 weeks, min: 100 weeks", 0, 100},
		{"dist: normal, mean: 100 weeks, std: 10 weeks, max: 100 weeks", 0.5, 100 - 10*0.6744897501960817},
		{"dist: normal, mean: 100 weeks, std: 0 weeks", 0.9, 100},
		// Draws beyond the field's range (0 to 520 weeks) are set to the
		// limit; quantiles inside it are untouched.
		{"dist: lognormal, median: 4 years, p90: 6 years", 0.5, 4 * 365.2425 / 7},
		{"dist: lognormal, median: 4 years, p90: 6 years", 0.9, 6 * 365.2425 / 7},
		{"dist: lognormal, median: 4 years, p90: 6 years", 0.9999, 520},
		{"dist: normal, mean: 10 weeks, std: 10 weeks", 0.01, 0},
		{"dist: uniform, min: 100 weeks, max: 200 weeks", 0.1, 110},
		{"dist: triangular, min: 0 weeks, mode: 0 weeks, max: 100 weeks", 0.75, 50},
		{"dist: triangular, min: 0 weeks, mode: 100 weeks, max: 100 weeks", 0.25, 50},
		{"dist: discrete, values: [10 weeks, 30 weeks, 20 weeks], probabilities: [20%, 30%, 50%]", 0.2, 10},
		{"dist: discrete, values: [10 weeks, 30 weeks, 20 weeks], probabilities: [20%, 30%, 50%]", 0.21, 20},
		{"dist: discrete, values: [10 weeks, 30 weeks, 20 weeks], probabilities: [20%, 30%, 50%]", 0.71, 30},
		{"dist: discrete, values: [10 weeks, 20 weeks]", 0.5, 10},
		{"dist: discrete, values: [10 weeks, 20 weeks]", 0.51, 20},
	}
	for _, c := range cases {
		v := leadTime(t, c.dist)
		if got := v.Dist.Quantile(c.p); math.Abs(got-c.want) > 1e-7*c.want+1e-9 {
			t.Errorf("{%s}.Quantile(%v) = %v, want %v", c.dist, c.p, got, c.want)
		}
	}
}

// A truncated lognormal's quantiles lie within its bounds and the
// lower tail piles on no bound.
func TestLognormalTruncated(t *testing.T) {
	v := leadTime(t, "dist: lognormal, median: 100 weeks, p90: 200 weeks, min: 80 weeks, max: 300 weeks")
	xs := draws(v.Dist, 20000)
	if xs[0] < 80 || xs[len(xs)-1] > 300 {
		t.Fatalf("samples span %v to %v, want within 80 to 300", xs[0], xs[len(xs)-1])
	}
	if n := ecdf(xs, 80); n > 0.001 {
		t.Errorf("%.3f of samples at the lower bound, want none piled there", n)
	}
	if v.V <= 100 { // truncating the lower tail more than the upper raises the median
		t.Errorf("median %v, want above the untruncated 100", v.V)
	}
}

// Discrete outcomes come up as often as their probabilities say.
func TestDiscreteFrequencies(t *testing.T) {
	v := leadTime(t, "dist: discrete, values: [60 weeks, 120 weeks, 180 weeks], probabilities: [25%, 0.5, 25%]")
	xs := draws(v.Dist, 40000)
	for _, c := range []struct{ x, want float64 }{{60, 0.25}, {120, 0.75}, {180, 1}} {
		if got := ecdf(xs, c.x); math.Abs(got-c.want) > 0.01 {
			t.Errorf("share at or below %v = %.3f, want %.2f", c.x, got, c.want)
		}
	}
	if v.V != 120 {
		t.Errorf("median %v, want 120", v.V)
	}
}

// A value written as a distribution holds its median in V, keeps its
// source and confidence, and prints as written; the parameters carry the
// field's unit and are converted to its canonical one.
func TestDistDecodes(t *testing.T) {
	v := leadTime(t, `dist: triangular, min: 90 weeks, mode: 2 years, max: 180 weeks, source: "vendor quotes", confidence: analyst`)
	if v.Source != "vendor quotes" || v.Confidence != "analyst" || !v.Set {
		t.Errorf("source %q confidence %q set %v", v.Source, v.Confidence, v.Set)
	}
	if want := "triangular(min 90 weeks, mode 2 years, max 180 weeks)"; v.Text != want {
		t.Errorf("Text = %q, want %q", v.Text, want)
	}
	if mode := 2 * 365.2425 / 7; v.Dist.Mode != mode {
		t.Errorf("mode %v weeks, want %v", v.Dist.Mode, mode)
	}
	if got := v.Dist.Quantile(0.5); v.V != got || v.Q.Value != got {
		t.Errorf("V = %v, Q.Value = %v, want the median %v", v.V, v.Q.Value, got)
	}
}

// Capacity, whose unit depends on the resource, and recipe intensities
// may be distributions too.
func TestDistCapacityAndIntensity(t *testing.T) {
	src := over(
		"resources:",
		"  cowos_packaging:",
		"    capacity: {dist: uniform, min: 60000 wafers/month, max: 100000 wafers/month}",
		"generations:",
		"  blackwell:",
		"    inputs:",
		"      hbm: {dist: discrete, values: [8 stacks/accelerator, 12 stacks/accelerator]}",
	)
	s, err := scenario.Parse("d.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Resource("cowos_packaging").Capacity
	if want := 80000 * 12 / (365.2425 / 7); math.Abs(c.V-want) > 1e-6 || c.Q.Of != "wafer" {
		t.Errorf("capacity median %v %s/week, want %v wafer/week", c.V, c.Q.Of, want)
	}
	hbm := s.Generations[1].Inputs[1].Amount // [0] is hopper
	if hbm.V != 8 || hbm.Q.Per != "accelerator" || hbm.Q.Of != "stack" {
		t.Errorf("hbm = %v %s/%s, want 8 stack/accelerator", hbm.V, hbm.Q.Of, hbm.Q.Per)
	}
	paths := []string{}
	for _, e := range s.UncertainValues() {
		paths = append(paths, e.Path)
	}
	for _, want := range []string{"generations.blackwell.inputs.hbm", "resources.cowos_packaging.capacity"} {
		if !slices.Contains(paths, want) {
			t.Errorf("UncertainValues = %v, want it to include %s", paths, want)
		}
	}
	if !s.Uncertain() {
		t.Error("Uncertain() = false, want true")
	}
	ref, _ := scenario.Reference()
	if !ref.Uncertain() {
		t.Error("the reference is not Uncertain(), want its sourced distributions and events")
	}
}

// An override written as a distribution replaces the base's value
// whole: it does not inherit the base's number, source or confidence.
func TestDistOverrideReplaces(t *testing.T) {
	v := leadTime(t, "dist: uniform, min: 100 weeks, max: 140 weeks")
	if v.Source != "" || v.Confidence != "" || v.V != 120 {
		t.Errorf("got V %v source %q confidence %q, want 120 with no source", v.V, v.Source, v.Confidence)
	}
	// And a plain value over a distribution replaces it too.
	base := over("resources:", "  transformers:", "    lead_time: {dist: uniform, min: 100 weeks, max: 140 weeks}")
	top := "base: b.yaml\nresources:\n  transformers:\n    lead_time: 50 weeks\n"
	s, err := scenario.Parse("top.yaml", []byte(top), mapRead(map[string]string{"b.yaml": base}))
	if err != nil {
		t.Fatal(err)
	}
	if lt := s.Resource("transformers").LeadTime; lt.Dist != nil || lt.V != 50 {
		t.Errorf("lead_time = %v (dist %v), want 50 weeks, no distribution", lt.V, lt.Dist)
	}
}

// Bad distributions are refused in the scenario error format, at the
// parameter that is wrong (marker is the text the position points at).
func TestDistErrors(t *testing.T) {
	cases := []struct {
		name, dist, marker, want string
	}{
		{"p90 below median", "dist: lognormal, median: 4 years, p90: 3 years", "3 years",
			"p90: p90 not above the median (got 3 years, want more than the median 4 years)"},
		{"min above max", "dist: uniform, min: 200 weeks, max: 100 weeks", "200 weeks",
			"min: min not below max (got min 200 weeks, want below max 100 weeks)"},
		{"negative std", "dist: normal, mean: 100 weeks, std: -5 weeks", "-5 weeks",
			"std: negative std (got -5 weeks, want zero or more)"},
		{"probabilities", "dist: discrete, values: [1 week, 2 weeks], probabilities: [50%, 40%]", "{",
			"probabilities: probabilities do not add up to 100% (got 90%, want 100%)"},
		{"count mismatch", "dist: discrete, values: [1 week, 2 weeks], probabilities: [100%]", "{",
			"probabilities: one probability per value (got 1 probabilities for 2 values, want 2)"},
		{"bad probability", "dist: discrete, values: [1 week], probabilities: [120%]", "120%",
			"probabilities[0]: not a probability (got \"120%\", want a share between 0% and 100%)"},
		{"mode outside", "dist: triangular, min: 10 weeks, mode: 5 weeks, max: 20 weeks", "5 weeks",
			"mode: mode outside min to max (got 5 weeks, want between 10 weeks and 20 weeks)"},
		{"unknown kind", "dist: gamma, min: 1 week", "gamma",
			"dist: unknown distribution (got \"gamma\", want one of: uniform, triangular, normal, lognormal, discrete)"},
		{"missing mode", "dist: triangular, min: 1 week, max: 3 weeks", "{",
			"mode: missing (want the mode of the triangular distribution)"},
		{"foreign parameter", "dist: uniform, min: 1 week, max: 3 weeks, mode: 2 weeks", "mode",
			"mode: unknown field for a uniform distribution (got \"mode\", want one of: dist, min, max, source, confidence)"},
		{"value and dist", "value: 3 weeks, dist: uniform, min: 1 week, max: 3 weeks", "value",
			"value: both a value and a distribution (got value and dist, want one of them)"},
		{"wrong unit", "dist: uniform, min: 1 week, max: 3 MW", "3 MW",
			"max: unknown duration unit \"MW\" (got \"3 MW\", want a duration such as \"26 weeks\", \"18 months\" or \"3 years\")"},
		{"outside field range", "dist: uniform, min: -1 week, max: 3 weeks", "-1 week",
			"min: too small (got -1 week, want at least 0 weeks)"},
		{"zero median", "dist: lognormal, median: 0 weeks, p90: 3 weeks", "0 weeks",
			"median: median not above zero (got 0 weeks, want more than 0 for a lognormal)"},
		{"mean outside truncation", "dist: normal, mean: 100 weeks, std: 5 weeks, min: 110 weeks", "100 weeks",
			"mean: mean outside the truncation (got 100 weeks, want between min and max)"},
		{"values not a list", "dist: discrete, values: 3 weeks", "3 weeks",
			"values: wrong shape (got a value, want a list such as [10%, 20%])"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := over("resources:", "  transformers:", "    lead_time: {"+c.dist+"}")
			_, err := scenario.Parse("d.yaml", []byte(src), nil)
			if err == nil {
				t.Fatalf("Parse accepted {%s}", c.dist)
			}
			if !scenario.IsInvalid(err) {
				t.Fatalf("error %v is not a scenario error", err)
			}
			want := at(t, "d.yaml", src, c.marker) + ": resources.transformers.lead_time." + c.want
			if got := strings.Split(err.Error(), "\n")[0]; got != want {
				t.Errorf("error\n got: %s\nwant: %s", got, want)
			}
		})
	}
}

// Capacity distributions are checked in the resource's unit.
func TestDistCapacityErrors(t *testing.T) {
	src := over("resources:", "  racks:", "    capacity: {dist: uniform, min: 1000 racks/week, max: 2000 wafers/week}")
	_, err := scenario.Parse("d.yaml", []byte(src), nil)
	want := at(t, "d.yaml", src, "2000 wafers") + `: resources.racks.capacity.max: wrong unit (got "2000 wafers/week", want rack per time, e.g. "1000 racks/week")`
	if err == nil || strings.Split(err.Error(), "\n")[0] != want {
		t.Errorf("error\n got: %v\nwant: %s", err, want)
	}
}

// Clone makes a copy that shares nothing a caller can change.
func TestClone(t *testing.T) {
	s, err := scenario.Parse("d.yaml", []byte(over("resources:", "  transformers:", "    lead_time: {dist: uniform, min: 100 weeks, max: 140 weeks}")), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	if !reflect.DeepEqual(s, c) {
		t.Fatal("clone differs from the original")
	}
	c.Resources[0].Capacity.V = -1
	c.Project.Stages[1].After[0] = "changed"
	c.Project.Stages[0].Needs = append(c.Project.Stages[0].Needs, scenario.Need{Name: "x"})
	*c.Policy.Expand = !*s.Policy.Expand
	c.Generations[0].Inputs[0].Amount.V = 99
	c.UncertainValues()[0].Value.V = 1
	c.Origin[0] = "elsewhere"
	orig, _ := scenario.Parse("d.yaml", []byte(over("resources:", "  transformers:", "    lead_time: {dist: uniform, min: 100 weeks, max: 140 weeks}")), nil)
	if !reflect.DeepEqual(s, orig) {
		t.Error("changing the clone changed the original")
	}
}

// UncertainValues lists exactly the entries holding distributions, with
// the paths Entries gives them, events' values left out.
func TestUncertainValuesMatchesEntries(t *testing.T) {
	src := over(
		"project:",
		"  pue: {dist: uniform, min: \"1.1\", max: \"1.3\"}",
		"  stages:",
		"    power:",
		"      needs:",
		"        transformers: {dist: uniform, min: 0.01 units/grid-MW, max: 0.02 units/grid-MW}",
		"resources:",
		"  grid:",
		"    expansion:",
		"      lead_time: {dist: uniform, min: 2 years, max: 4 years}",
		"events:",
		"  x: {probability: 10%/year, duration: {dist: uniform, min: 1 week, max: 2 weeks}, freeze: site}",
	)
	s, err := scenario.Parse("u.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []scenario.Entry
	for _, e := range s.Entries() {
		if e.Value != nil && e.Value.Dist != nil && !strings.HasPrefix(e.Path, "events.") {
			want = append(want, e)
		}
	}
	got := s.UncertainValues()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UncertainValues:\n got %v\nwant %v", got, want)
	}
	for _, p := range []string{"project.pue", "project.stages.power.needs.transformers", "resources.grid.expansion.lead_time"} {
		if !slices.ContainsFunc(got, func(e scenario.Entry) bool { return e.Path == p }) {
			t.Errorf("UncertainValues lacks %s", p)
		}
	}
}

// FuzzDist: whatever is written inside a value's braces, parsing returns
// a scenario or a scenario error, never panics, and a distribution it
// accepts has a median inside its bounds.
func FuzzDist(f *testing.F) {
	for _, s := range []string{
		"dist: uniform, min: 1 week, max: 3 weeks",
		"dist: triangular, min: 1 week, mode: 2 weeks, max: 3 weeks",
		"dist: normal, mean: 10 weeks, std: 2 weeks, min: 9 weeks",
		"dist: lognormal, median: 10 weeks, p90: 20 weeks, max: 30 weeks",
		"dist: discrete, values: [1 week, 2 weeks], probabilities: [0.5, 50%]",
		"dist: normal, mean: 0 weeks, std: 1e300 weeks",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, inner string) {
		src := over("resources:", "  transformers:", "    lead_time: {"+inner+"}")
		s, err := scenario.Parse("f.yaml", []byte(src), nil)
		if err != nil {
			if !scenario.IsInvalid(err) {
				t.Fatalf("not a scenario error: %v", err)
			}
			return
		}
		v := s.Resource("transformers").LeadTime
		if d := v.Dist; d != nil {
			for _, p := range []float64{0, 0.1, 0.5, 0.9, 1} {
				if q := d.Quantile(p); math.IsNaN(q) || q < 0 || q > 520 {
					t.Fatalf("{%s}.Quantile(%v) = %v, outside 0 to 520 weeks", inner, p, q)
				}
			}
		}
	})
}

// A lognormal written by its median and p90, as planners think of lead
// times: a single run uses the median; Monte Carlo draws through Quantile.
func ExampleDist_Quantile() {
	src := "base: reference\nresources:\n  grid:\n    lead_time: {dist: lognormal, median: 4 years, p90: 6 years}\n"
	s, err := scenario.Parse("example.yaml", []byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	lt := s.Resource("grid").LeadTime
	fmt.Println(lt.Text)
	fmt.Printf("run uses %.1f weeks\n", lt.V)
	for _, p := range []float64{0.1, 0.5, 0.9} {
		fmt.Printf("P%.0f %.1f weeks\n", 100*p, lt.Dist.Quantile(p))
	}
	// Output:
	// lognormal(median 4 years, p90 6 years)
	// run uses 208.7 weeks
	// P10 139.1 weeks
	// P50 208.7 weeks
	// P90 313.1 weeks
}
