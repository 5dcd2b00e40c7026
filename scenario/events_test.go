package scenario_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/scenario"
)

func parseEvents(t *testing.T, lines ...string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("e.yaml", []byte(over(append([]string{"events:"}, lines...)...)), nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// Events decode with their effect; a single run is told they exist.
func TestEventsDecode(t *testing.T) {
	s := parseEvents(t,
		"  packaging_fire:",
		"    description: a fire at an advanced packaging plant",
		"    probability: {value: 5%/year, source: \"assumption\"}",
		"    duration: {dist: triangular, min: 8 weeks, mode: 13 weeks, max: 26 weeks}",
		"    shock: cowos_packaging",
		"    factor: 50%",
		"  permit_freeze:",
		"    probability: 30%",
		"    from: 2027-01-01",
		"    to: 2028-12-31",
		"    duration: 26 weeks",
		"    freeze: site",
	)
	ref, _ := scenario.Reference()
	if len(s.Events) != len(ref.Events)+2 || !s.Uncertain() {
		t.Fatalf("%d events, Uncertain %v; want the reference's %d + 2, true", len(s.Events), s.Uncertain(), len(ref.Events))
	}
	f := *event(t, s, "packaging_fire")
	if !f.PerYear || f.Probability.V != 0.05 || f.Shock != "cowos_packaging" || f.Factor.V != 0.5 || f.Duration.Dist == nil {
		t.Errorf("packaging_fire = %+v", f)
	}
	z := *event(t, s, "permit_freeze")
	if z.PerYear || z.Probability.V != 0.3 || z.Freeze != "site" || z.Duration.V != 26 {
		t.Errorf("permit_freeze = %+v", z)
	}
	for _, e := range s.UncertainValues() {
		if strings.HasPrefix(e.Path, "events.") {
			t.Errorf("an event's duration counted as an uncertain input: %s", e.Path)
		}
	}
}

func TestEventErrors(t *testing.T) {
	cases := []struct {
		name   string
		lines  []string
		marker string
		want   string
	}{
		{"no effect", []string{"  x:", "    probability: 10%/year", "    duration: 4 weeks"}, "x:",
			"events.x: no effect (got neither shock nor freeze, want shock: RESOURCE with factor, or freeze: STAGE)"},
		{"unknown resource", []string{"  x: {probability: 10%/year, duration: 4 weeks, shock: turbines, factor: 50%}"}, "turbines",
			"events.x.shock: unknown resource (got \"turbines\", want one of: cowos_packaging, hbm, accelerators, racks, network, grid, gas_turbines, engines, solar_storage, nuclear, transformers, distribution_transformers, switchgear, cooling, construction_labour, electricians, robots)"},
		{"unknown stage", []string{"  x: {probability: 10%/year, duration: 4 weeks, freeze: permits}"}, "permits",
			"events.x.freeze: unknown stage (got \"permits\", want one of: site, power, construction, fit_out, commissioning)"},
		{"missing factor", []string{"  x: {probability: 10%/year, duration: 4 weeks, shock: grid}"}, "shock",
			"events.x.factor: missing (want the share of supply left during the shock, such as \"50%\")"},
		{"factor on freeze", []string{"  x: {probability: 10%/year, duration: 4 weeks, freeze: site, factor: 50%}"}, "50%",
			"events.x.factor: a factor belongs to a shock (got a factor on a freeze, want it left out)"},
		{"both effects", []string{"  x: {probability: 10%/year, duration: 4 weeks, freeze: site, shock: grid, factor: 5%}"}, "freeze",
			"events.x.freeze: two effects (got shock and freeze, want one per event)"},
		{"bad probability", []string{"  x: {probability: 150%, duration: 4 weeks, freeze: site}"}, "150%",
			"events.x.probability: not a probability (got \"150%\", want a share per year such as \"10%/year\", or once such as \"30%\")"},
		{"probability as distribution", []string{"  x: {probability: {dist: uniform, min: 1%, max: 2%}, duration: 4 weeks, freeze: site}"}, "{dist",
			"events.x.probability: a probability cannot be a distribution (got uniform, want a share such as \"10%/year\" or \"30%\")"},
		{"dates out of order", []string{"  x: {probability: 10%, from: 2028-01-01, to: 2027-01-01, duration: 4 weeks, freeze: site}"}, "2027-01-01",
			"events.x.to: date out of order (got 2027-01-01, want on or after from 2028-01-01)"},
		{"missing duration", []string{"  x: {probability: 10%, freeze: site}"}, "x:",
			"events.x.duration: missing (want a duration such as \"26 weeks\", \"18 months\" or \"3 years\")"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := over(append([]string{"events:"}, c.lines...)...)
			_, err := scenario.Parse("e.yaml", []byte(src), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			want := at(t, "e.yaml", src, c.marker) + ": " + c.want
			if got := strings.Split(err.Error(), "\n")[0]; got != want {
				t.Errorf("error\n got: %s\nwant: %s", got, want)
			}
		})
	}
}

// An event certain to happen once, in a window of one week, happens in
// that week for its duration; one with a yearly probability of 1 happens
// once in every year of its window.
func TestOccurrencesCertain(t *testing.T) {
	s := parseEvents(t,
		"  once: {probability: 100%, from: 2026-03-02, to: 2026-03-02, duration: 6 weeks, freeze: site}",
		"  yearly: {probability: 100%/year, duration: 2 weeks, shock: grid, factor: 25%}",
	)
	r := rand.New(rand.NewPCG(3, 4))
	start := s.StartDate.Time // 2026-01-05: 2026-03-02 is 8 weeks later
	occ := event(t, s, "once").Occurrences(start, 520, r.Float64)
	if len(occ) != 1 || occ[0] != (scenario.Occurrence{Event: "once", Freeze: "site", FromWeek: 8, ToWeek: 14}) {
		t.Errorf("once: %+v, want one freeze of site from week 8 to 14", occ)
	}
	occ = event(t, s, "yearly").Occurrences(start, 520, r.Float64)
	if len(occ) != 10 { // 520 weeks = 9.97 years: ten year-slices, each certain
		t.Fatalf("yearly: %d occurrences, want 10", len(occ))
	}
	for i, o := range occ {
		lo, hi := float64(i)*52.1775, math.Min(float64(i+1)*52.1775, 520)
		if float64(o.FromWeek) < math.Floor(lo) || float64(o.FromWeek) >= hi || o.ToWeek != o.FromWeek+2 || o.Factor != 0.25 || o.Shock != "grid" {
			t.Errorf("occurrence %d = %+v, want a 2-week shock of grid at 25%% in year %d", i, o, i)
		}
	}
}

// A yearly probability p gives each year an onset with probability p:
// over many runs the mean count per year is p.
func TestOccurrencesRate(t *testing.T) {
	s := parseEvents(t, "  e: {probability: 20%/year, duration: 1 week, freeze: site}")
	r := rand.New(rand.NewPCG(5, 6))
	const runs, weeks = 20000, 522 // ten years and 0.225 weeks
	n := 0
	for range runs {
		n += len(event(t, s, "e").Occurrences(time.Time{}, weeks, r.Float64))
	}
	want := 10*0.2 + 1 - math.Pow(0.8, (weeks-10*365.2425/7)/(365.2425/7))
	got := float64(n) / runs
	// Binomial standard error: sqrt(10 × 0.2 × 0.8 / 20000) ≈ 0.009.
	if math.Abs(got-want) > 0.04 {
		t.Errorf("mean onsets per run %.4f, want %.4f", got, want)
	}
}

// event returns the scenario's event called name (the reference's own
// events come first, so tests look theirs up by name).
func event(t *testing.T, s *scenario.Scenario, name string) *scenario.Event {
	t.Helper()
	for i := range s.Events {
		if s.Events[i].Name == name {
			return &s.Events[i]
		}
	}
	t.Fatalf("no event %q", name)
	return nil
}
