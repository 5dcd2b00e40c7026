package scenario_test

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gwf-project/gwf/scenario"
)

func TestReferenceLoads(t *testing.T) {
	s, err := scenario.Reference()
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	if s.Name != "reference" || !slices.Equal(s.Origin, []string{"reference"}) {
		t.Errorf("name %q origin %v, want reference [reference]", s.Name, s.Origin)
	}
	if len(s.Resources) == 0 || len(s.Generations) == 0 || len(s.Project.Stages) == 0 {
		t.Errorf("reference has %d resources, %d generations, %d stages", len(s.Resources), len(s.Generations), len(s.Project.Stages))
	}
	for _, p := range []string{"", "reference"} {
		l, err := scenario.Load(p, nil)
		if err != nil {
			t.Fatalf("Load(%q): %v", p, err)
		}
		if !reflect.DeepEqual(l, s) {
			t.Errorf("Load(%q) differs from Reference()", p)
		}
	}
	// Every value the reference sets says where it was written.
	forEachValue(reflect.ValueOf(s).Elem(), "", func(path string, v scenario.Value) {
		if v.Set && (v.Pos.File != "reference" || v.Pos.Line == 0) {
			t.Errorf("%s: position %v, want a line in reference", path, v.Pos)
		}
	})
}

// forEachValue calls f for every Value inside v.
func forEachValue(v reflect.Value, path string, f func(string, scenario.Value)) {
	switch v.Kind() {
	case reflect.Struct:
		if val, ok := v.Interface().(scenario.Value); ok {
			f(path, val)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				forEachValue(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			forEachValue(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

func TestOverrideOneValue(t *testing.T) {
	ref, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	src := "base: reference\nproject: {size: 500 MW}\n"
	s, err := scenario.Parse("mine.yaml", []byte(src), nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	got := s.Project.Size
	if got.V != 500 || got.Text != "500 MW" {
		t.Errorf("size = %v (%q), want 500 MW", got.V, got.Text)
	}
	if want := (scenario.Pos{File: "mine.yaml", Line: 2, Col: 17}); got.Pos != want {
		t.Errorf("size at %v, want %v", got.Pos, want)
	}
	if got.Source != "" || got.Confidence != "" {
		t.Errorf("size kept the reference's source %q/%q, want none", got.Source, got.Confidence)
	}
	if !slices.Equal(s.Origin, []string{"reference", "mine.yaml"}) {
		t.Errorf("origin %v", s.Origin)
	}
	// Everything else is the reference's, down to positions.
	want := *ref
	want.Base = "reference"
	want.Project.Size = got
	want.Origin = s.Origin
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("override changed more than project.size:\n%s", diff(want, *s))
	}
}

// diff names the values that differ between two scenarios, for messages.
func diff(a, b scenario.Scenario) string {
	var va, vb []string
	forEachValue(reflect.ValueOf(a), "", func(p string, v scenario.Value) { va = append(va, fmt.Sprintf("%s=%+v", p, v)) })
	forEachValue(reflect.ValueOf(b), "", func(p string, v scenario.Value) { vb = append(vb, fmt.Sprintf("%s=%+v", p, v)) })
	var out []string
	for i := range max(len(va), len(vb)) {
		if i >= len(va) || i >= len(vb) || va[i] != vb[i] {
			out = append(out, fmt.Sprintf("%d: %v\n   %v", i, at0(va, i), at0(vb, i)))
		}
	}
	return strings.Join(out, "\n")
}

func at0(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return "(none)"
}

func TestOverrideValueMapping(t *testing.T) {
	// A value written as a mapping with a new number replaces the base's
	// source and confidence; one that only retags keeps the base's number.
	src := over(
		"project:",
		"  size: {value: 400 MW, source: our plan, confidence: primary}",
		"target:",
		"  rate: {confidence: analyst}",
	)
	s, err := scenario.Parse("mine.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	sz := s.Project.Size
	if sz.V != 400 || sz.Source != "our plan" || sz.Confidence != "primary" || sz.Pos != (scenario.Pos{File: "mine.yaml", Line: 3, Col: 17}) {
		t.Errorf("size = %+v", sz)
	}
	src2 := over("project:", "  size: {value: 400 MW}")
	s2, err := scenario.Parse("mine.yaml", []byte(src2), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Project.Size.Source != "" || s2.Project.Size.Confidence != "" {
		t.Errorf("a new number kept the old source: %+v", s2.Project.Size)
	}
	rate := s.Target.Rate
	if rate.V != 1000 || rate.Confidence != "analyst" || !strings.Contains(rate.Source, "Altman") || rate.Pos.File != "reference" {
		t.Errorf("target.rate = %+v, want the reference's 1 GW/week retagged analyst", rate)
	}
}

func TestBaseChain(t *testing.T) {
	fsys := fstest.MapFS{
		"plans/a.yaml":  {Data: []byte("base: b.yaml\nname: a\ntarget:\n  rate: 2 GW/week\n")},
		"plans/b.yaml":  {Data: []byte("base: ../common/c.yaml\nname: b\ntarget: {rate: 1.5 GW/week, by: 2030-06-30}\nresources:\n  grid: {share: 50%}\n")},
		"common/c.yaml": {Data: []byte("# shared assumptions\nbase: reference\nname: c\nproject:\n  size: 300 MW\n")},
	}
	read := func(p string) ([]byte, error) { return fs.ReadFile(fsys, p) }
	s, err := scenario.Load("plans/a.yaml", read)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if want := []string{"reference", "common/c.yaml", "plans/b.yaml", "plans/a.yaml"}; !slices.Equal(s.Origin, want) {
		t.Errorf("origin %v, want %v", s.Origin, want)
	}
	if s.Name != "a" {
		t.Errorf("name %q, want a", s.Name)
	}
	check := func(what string, v scenario.Value, want float64, pos scenario.Pos) {
		t.Helper()
		if v.V != want || v.Pos != pos {
			t.Errorf("%s = %v at %v, want %v at %v", what, v.V, v.Pos, want, pos)
		}
	}
	check("target.rate", s.Target.Rate, 2000, scenario.Pos{File: "plans/a.yaml", Line: 4, Col: 9})
	check("project.size", s.Project.Size, 300, scenario.Pos{File: "common/c.yaml", Line: 5, Col: 9})
	if s.Target.By.String() != "2030-06-30" || s.Target.By.Pos != (scenario.Pos{File: "plans/b.yaml", Line: 3, Col: 33}) {
		t.Errorf("target.by = %v at %v", s.Target.By, s.Target.By.Pos)
	}
	grid := s.Resource("grid")
	check("grid.share", grid.Share, 0.5, scenario.Pos{File: "plans/b.yaml", Line: 5, Col: 17})
	if grid.Kind != "power" || grid.LeadTime.Pos.File != "reference" || grid.Capacity.Pos.File != "reference" {
		t.Errorf("grid lost its reference fields: %+v", grid)
	}
	if s.Target.InitialRate.Pos.File != "reference" {
		t.Errorf("target.initial_rate from %v, want reference", s.Target.InitialRate.Pos)
	}
	// Same stages and resources, in the reference's order.
	ref, _ := scenario.Reference()
	for i := range ref.Resources {
		if s.Resources[i].Name != ref.Resources[i].Name {
			t.Fatalf("resource %d is %s, want %s", i, s.Resources[i].Name, ref.Resources[i].Name)
		}
	}
}

func TestBaseAbsoluteAndAddedEntries(t *testing.T) {
	files := map[string]string{
		"/etc/gwf/base.yaml": over("name: site_base", "project:", "  stages:", "    inspection: {after: [commissioning], duration: 2 weeks}"),
		"work/mine.yaml":     "base: /etc/gwf/base.yaml\nname: mine\n",
	}
	s, err := scenario.Load("work/mine.yaml", mapRead(files))
	if err != nil {
		t.Fatal(err)
	}
	st := s.Project.Stages[len(s.Project.Stages)-1]
	if st.Name != "inspection" || st.Pos != (scenario.Pos{File: "/etc/gwf/base.yaml", Line: 5, Col: 5}) || st.Duration.V != 2 {
		t.Errorf("last stage %s at %v (%v weeks)", st.Name, st.Pos, st.Duration.V)
	}
}

func TestInheritanceLoops(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		load  string
		at    string
		chain string
	}{
		{"a to b to a", map[string]string{"x/a.yaml": "base: b.yaml\n", "x/b.yaml": "name: b\nbase: a.yaml\n"}, "x/a.yaml", "x/b.yaml:2:7", "x/a.yaml → x/b.yaml → x/a.yaml"},
		{"a to a", map[string]string{"a.yaml": "name: a\nbase: a.yaml\n"}, "a.yaml", "a.yaml:2:7", "a.yaml → a.yaml"},
		{"a to ./a", map[string]string{"d/a.yaml": "base: ./a.yaml\n"}, "d/a.yaml", "d/a.yaml:1:7", "d/a.yaml → d/a.yaml"},
		{"a to b to c to b", map[string]string{"a.yaml": "base: b.yaml\n", "b.yaml": "base: c.yaml\n", "c.yaml": "base: b.yaml\n"}, "a.yaml", "c.yaml:1:7", "a.yaml → b.yaml → c.yaml → b.yaml"},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			_, err := scenario.Load(c.load, mapRead(c.files))
			if err == nil || !scenario.IsInvalid(err) {
				t.Fatalf("got %v, want an inheritance loop", err)
			}
			want := c.at + ": base: inheritance loop (got " + c.chain + ","
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got  %v\nwant %s…", err, want)
			}
		})
	}
}

func TestInheritanceTooDeep(t *testing.T) {
	files := map[string]string{}
	for i := range 20 {
		files[fmt.Sprintf("f%d.yaml", i)] = fmt.Sprintf("base: f%d.yaml\n", i+1)
	}
	files["f20.yaml"] = "base: reference\n"
	_, err := scenario.Load("f0.yaml", mapRead(files))
	if err == nil || !strings.Contains(err.Error(), ": base: inheritance too deep (got more than 16 files") {
		t.Fatalf("got %v, want inheritance too deep", err)
	}
	// Sixteen files is fine.
	_, err = scenario.Load("f5.yaml", mapRead(files))
	if err != nil {
		t.Fatalf("a chain of 16 files: %v", err)
	}
}

func TestMissingBase(t *testing.T) {
	files := map[string]string{"dir/mine.yaml": "name: mine\nbase:   ../nothere.yaml\n"}
	_, err := scenario.Load("dir/mine.yaml", mapRead(files))
	want := `dir/mine.yaml:2:9: base: cannot read base scenario: no such file (got "../nothere.yaml"`
	if err == nil || !scenario.IsInvalid(err) || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got  %v\nwant %s…", err, want)
	}
}

func TestLoadErrors(t *testing.T) {
	// A missing top-level file is the user's mistake.
	_, err := scenario.Load("nothere.yaml", mapRead(nil))
	if err == nil || !scenario.IsInvalid(err) || err.Error() != "nothere.yaml: no such file" {
		t.Errorf("missing file: got %v", err)
	}
	// Any other read failure is not, and keeps its cause.
	boom := errors.New("disk on fire")
	read := func(p string) ([]byte, error) {
		if p == "a.yaml" {
			return []byte("base: b.yaml\n"), nil
		}
		return nil, boom
	}
	_, err = scenario.Load("a.yaml", read)
	if err == nil || scenario.IsInvalid(err) || !errors.Is(err, boom) {
		t.Errorf("I/O failure: got %v, want the cause, not a scenario problem", err)
	}
	// Loading a file with no file system at all.
	if _, err := scenario.Load("a.yaml", nil); err == nil {
		t.Error("Load with no ReadFunc succeeded")
	}
}

func TestInitTemplateParses(t *testing.T) {
	src := scenario.InitTemplate()
	if !strings.HasPrefix(string(src), "base: reference\n") {
		t.Errorf("init template does not start with base: reference")
	}
	s, err := scenario.Parse("init.yaml", src, nil)
	if err != nil {
		t.Fatalf("init template: %v", err)
	}
	// It overrides a few values, and only a few.
	n := 0
	forEachValue(reflect.ValueOf(s).Elem(), "", func(path string, v scenario.Value) {
		if v.Pos.File == "init.yaml" {
			n++
		}
	})
	if n < 1 || n > 3 {
		t.Errorf("init template overrides %d values, want 1 to 3", n)
	}
	if s.Name == "reference" {
		t.Errorf("init template keeps the reference's name")
	}
	// Every commented example is itself valid: uncomment them all. An
	// example is a line with "#" directly before a field ("#horizon: ...")
	// or before its indentation ("#  initial_rate: ..."); prose is "# ...".
	var lines []string
	n = 0
	for _, l := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(l, "#"); ok && rest != "" && (rest[0] != ' ' && rest[0] != '#' || strings.HasPrefix(rest, "  ")) {
			l = rest
			n++
		}
		lines = append(lines, l)
	}
	if n < 10 {
		t.Fatalf("init template has %d commented example lines, want a good many", n)
	}
	all := strings.Join(lines, "\n")
	if _, err := scenario.Parse("init.yaml", []byte(all), nil); err != nil {
		t.Errorf("init template with its examples uncommented:\n%v\n%s", err, all)
	}
}

// BenchmarkLoadReference loads the embedded reference as every command
// does: after the first load the YAML tree is kept (see referenceTrees),
// so this is decoding, merging defaults and validating.
func BenchmarkLoadReference(b *testing.B) {
	for b.Loop() {
		if _, err := scenario.Reference(); err != nil {
			b.Fatal(err)
		}
	}
}
