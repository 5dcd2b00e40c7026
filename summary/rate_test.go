package summary

import (
	"math"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/gwf-project/gwf/sim"
)

// monday is a Monday at the start of a calendar quarter: from it, 2026 Q1
// is weeks 0–12, Q2 13–25, Q3 26–38, Q4 39–51 and 2027 Q1 52–64, 13 weeks
// each.
var monday = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// byQuarter makes a series of 13-week quarters from monday, each quarter
// given by its weeks' values: one value is repeated over all 13 weeks,
// more are taken as they are (a lumpy quarter).
func byQuarter(quarters ...[]float64) []float64 {
	var out []float64
	for _, q := range quarters {
		if len(q) == 1 {
			for range 13 {
				out = append(out, q[0])
			}
			continue
		}
		out = append(out, q...)
	}
	return out
}

func flat(v float64) []float64 { return []float64{v} }

// spike is a 13-week quarter with all its MW in one week: mean total/13.
func spike(total float64) []float64 {
	q := make([]float64, 13)
	q[6] = total
	return q
}

func weeksOf(n int, v float64) []float64 {
	q := make([]float64, n)
	for i := range q {
		q[i] = v
	}
	return q
}

func TestQuarterRatesHand(t *testing.T) {
	got := QuarterRates(monday, byQuarter(flat(500), spike(13000), weeksOf(10, 1300)))
	want := []QuarterRate{
		{Label: "2026 Q1", FirstWeek: 0, Weeks: 13, MeanMW: 500},
		{Label: "2026 Q2", FirstWeek: 13, Weeks: 13, MeanMW: 1000},
		{Label: "2026 Q3", FirstWeek: 26, Weeks: 10, MeanMW: 1300},
	}
	if !slices.Equal(got, want) {
		t.Errorf("QuarterRates:\n got %+v\nwant %+v", got, want)
	}
	// A start in mid-quarter: 2026-02-02 leaves 9 weeks of Q1 (to 03-30).
	got = QuarterRates(time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), weeksOf(12, 100))
	if len(got) != 2 || got[0].Label != "2026 Q1" || got[0].Weeks != 9 || got[1].Label != "2026 Q2" || got[1].FirstWeek != 9 || got[1].Weeks != 3 {
		t.Errorf("QuarterRates from 2026-02-02: %+v", got)
	}
	if got[0].Judged() {
		t.Errorf("a quarter with 9 weeks in the run is judged")
	}
}

func TestRateMilestonesHand(t *testing.T) {
	const rate = 1000
	cases := []struct {
		name  string
		start time.Time
		added []float64
		// want: strict, first quarter, four quarters (weeks, -1 never)
		sustained, first, four int
	}{
		{"never", monday, byQuarter(flat(0), flat(500), flat(999), flat(800), flat(999)), -1, -1, -1},
		{"a quarter exactly at the rate, in one week", monday,
			byQuarter(flat(500), spike(13000), flat(0)), -1, 13, -1},
		{"a quarter just short of the rate", monday,
			byQuarter(flat(500), spike(12999), flat(0)), -1, -1, -1},
		{"a partial last quarter of 9 weeks is not judged", monday,
			byQuarter(flat(0), flat(0), weeksOf(9, 5000)), -1, -1, -1},
		{"a partial last quarter of 10 weeks is", monday,
			byQuarter(flat(0), flat(0), weeksOf(10, 5000)), -1, 26, -1},
		// From 2026-02-02, the first 9 weeks are 2026 Q1: too few to judge.
		{"a partial first quarter of 9 weeks is not judged", time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC),
			append(weeksOf(9, 5000), weeksOf(13, 0)...), -1, -1, -1},
		// From 2026-01-19, 11 weeks are in Q1: judged.
		{"a partial first quarter of 11 weeks is", time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC),
			append(weeksOf(11, 5000), weeksOf(13, 0)...), -1, 0, -1},
		// Quarter means 1000 1200 1100 900 | 1000 1000 1000 1500 0: the
		// weak fourth quarter breaks the first run; the second starts at
		// 2027 Q1 (week 52). The last quarter's zeros stop the strict test.
		{"four in a row broken by one weak quarter", monday,
			byQuarter(flat(1000), flat(1200), flat(1100), flat(900), flat(1000), spike(13000), flat(1000), flat(1500), flat(0)),
			-1, 0, 52},
		// Three quarters, then a partial fourth of 10 weeks: four in a row.
		{"four in a row ending in a partial quarter of 10 weeks", monday,
			byQuarter(flat(1000), flat(1000), flat(1000), weeksOf(10, 1000)), 0, 0, 0},
		{"but not of 9", monday,
			byQuarter(flat(1000), flat(1000), flat(1000), weeksOf(9, 1000)), 0, 0, -1},
		// 2026 Q1 averages 1000 with weak weeks at its start: the strict
		// milestone waits for the first week at the rate (week 6).
		{"strict later than the first quarter", monday,
			byQuarter(append(weeksOf(6, 500), 1000, 1000, 1000, 1000, 1000, 1000, 4000), flat(1000), flat(1000), flat(1000)),
			6, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RateMilestonesOf(c.start, c.added, rate)
			want := RateMilestones{RateMW: rate, Sustained: c.sustained, FirstQuarter: c.first, FourQuarters: c.four}
			if got != want {
				t.Errorf("RateMilestonesOf = %+v, want %+v", got, want)
			}
			// The same series at half the MW reaches half the rate at the same weeks.
			half := make([]float64, len(c.added))
			for i, a := range c.added {
				half[i] = a / 2
			}
			want.RateMW = rate / 2
			if got := RateMilestonesOf(c.start, half, rate/2); got != want {
				t.Errorf("at half the rate: %+v, want %+v", got, want)
			}
		})
	}
}

// handResult is a run of a model with no lines: only its added MW matter.
func handResult(start time.Time, targetMW float64, added []float64) *sim.Result {
	m := &sim.Model{Name: "hand", Start: start, Weeks: len(added), TargetMWpw: targetMW, Accel: -1, Capital: -1}
	r := &sim.Result{Model: m}
	online := 0.0
	for w, a := range added {
		online += a
		r.Weeks = append(r.Weeks, sim.Week{Week: w, Date: m.Date(w), AddedMW: a, OnlineMW: online, Bottleneck: -1})
	}
	return r
}

// The summary tests the scenario's target rate, not 1 GW/week.
func TestOfUsesTargetRate(t *testing.T) {
	added := byQuarter(flat(0), flat(600), flat(600), flat(600), flat(600), flat(600))
	s := Of(handResult(monday, 500, added))
	if s.RateMW != 500 {
		t.Errorf("RateMW = %v, want 500", s.RateMW)
	}
	if s.GWPerWeek == nil || s.GWPerWeek.Week != 13 {
		t.Errorf("GWPerWeek = %+v, want week 13", s.GWPerWeek)
	}
	wantQ := &QuarterMilestone{Quarter: "2026 Q2", Week: 13, Date: monday.AddDate(0, 0, 7*13)}
	if s.FirstQuarter == nil || *s.FirstQuarter != *wantQ {
		t.Errorf("FirstQuarter = %+v, want %+v", s.FirstQuarter, wantQ)
	}
	if s.FourQuarters == nil || *s.FourQuarters != *wantQ {
		t.Errorf("FourQuarters = %+v, want %+v", s.FourQuarters, wantQ)
	}
	// At the default 1 GW/week the same run reaches nothing.
	s = Of(handResult(monday, 1000, added))
	if s.GWPerWeek != nil || s.FirstQuarter != nil || s.FourQuarters != nil {
		t.Errorf("at 1 GW/week: %+v %+v %+v, want none", s.GWPerWeek, s.FirstQuarter, s.FourQuarters)
	}
}

func TestTargetRateAndLabel(t *testing.T) {
	if got := TargetRateMW(&sim.Model{TargetMWpw: 500}); got != 500 {
		t.Errorf("TargetRateMW(500 MW/week) = %v", got)
	}
	if got := TargetRateMW(&sim.Model{}); got != GWPerWeekMW {
		t.Errorf("TargetRateMW(no target) = %v, want %v", got, GWPerWeekMW)
	}
	for mw, want := range map[float64]string{1000: "1 GW/week", 500: "0.5 GW/week", 1500: "1.5 GW/week", 125: "0.125 GW/week", 0: "1 GW/week"} {
		if got := RateLabel(mw); got != want {
			t.Errorf("RateLabel(%v) = %q, want %q", mw, got, want)
		}
	}
}

// naiveQuarters groups weeks by (year, quarter) of their first day,
// independently of QuarterRates.
func naiveQuarters(start time.Time, added []float64) (first, weeks []int, mean []float64) {
	key := func(w int) int {
		d := start.AddDate(0, 0, 7*w)
		return d.Year()*4 + (int(d.Month())-1)/3
	}
	for w, a := range added {
		if w == 0 || key(w) != key(w-1) {
			first, weeks, mean = append(first, w), append(weeks, 0), append(mean, 0)
		}
		k := len(first) - 1
		weeks[k]++
		mean[k] += a
	}
	for k := range mean {
		mean[k] /= float64(weeks[k])
	}
	return first, weeks, mean
}

// The rate milestones' properties over random series: what is always true.
func TestRateMilestonesProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	never := func(w int) int {
		if w < 0 {
			return math.MaxInt
		}
		return w
	}
	for iter := range 3000 {
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.Intn(6*365))
		n := 1 + rng.Intn(260)
		added := make([]float64, n)
		level := rng.Float64() * 2000
		for w := range added {
			switch rng.Intn(4) {
			case 0: // a ramp with noise
				added[w] = level * float64(w) / float64(n) * (0.5 + rng.Float64())
			case 1: // lumpy: whole gigawatts
				added[w] = float64(rng.Intn(3)) * 1000
			default:
				added[w] = level * (0.8 + 0.4*rng.Float64())
			}
		}
		rate := 100 + rng.Float64()*1500
		got := RateMilestonesOf(start, added, rate)

		// Against a naive count.
		first, weeks, mean := naiveQuarters(start, added)
		ok := func(k int) bool { return weeks[k] >= QuarterMinWeeks && mean[k] >= rate-1e-6 }
		wantFirst, wantFour := -1, -1
		for k := range first {
			if wantFirst < 0 && ok(k) {
				wantFirst = first[k]
			}
			if wantFour < 0 && k+4 <= len(first) && ok(k) && ok(k+1) && ok(k+2) && ok(k+3) {
				wantFour = first[k]
			}
		}
		if got.FirstQuarter != wantFirst || got.FourQuarters != wantFour {
			t.Fatalf("iter %d: first %d, four %d; a naive count gives %d, %d", iter, got.FirstQuarter, got.FourQuarters, wantFirst, wantFour)
		}
		if got.Sustained != SustainedFrom(added, rate, SustainWindow) {
			t.Fatalf("iter %d: Sustained %d differs from SustainedFrom", iter, got.Sustained)
		}

		// Four quarters in a row are never before the first quarter.
		if got.FourQuarters >= 0 && (got.FirstQuarter < 0 || got.FirstQuarter > got.FourQuarters) {
			t.Fatalf("iter %d: four quarters from week %d but first quarter %d", iter, got.FourQuarters, got.FirstQuarter)
		}
		// Sustained from s, every 13-week quarter wholly in [s, n) is a
		// judged 13-week window, so it reaches the rate; the first quarter
		// comes no later than the first of them. (A 12- or 14-week quarter
		// need not reach it, nor need four in a row.)
		if s := got.Sustained; s >= 0 {
			for k := range first {
				if first[k] >= s && weeks[k] == 13 && first[k]+13 <= n {
					if !ok(k) {
						t.Fatalf("iter %d: sustained from %d, but the 13-week quarter from %d averages %v < %v", iter, s, first[k], mean[k], rate)
					}
					if got.FirstQuarter < 0 || got.FirstQuarter > first[k] {
						t.Fatalf("iter %d: sustained from %d, quarter from %d reaches the rate, but first quarter is %d", iter, s, first[k], got.FirstQuarter)
					}
					break
				}
			}
		}
		// A higher rate never brings a milestone earlier.
		higher := RateMilestonesOf(start, added, rate*(1+rng.Float64()))
		if never(higher.Sustained) < never(got.Sustained) || never(higher.FirstQuarter) < never(got.FirstQuarter) || never(higher.FourQuarters) < never(got.FourQuarters) {
			t.Fatalf("iter %d: a higher rate gives %+v, earlier than %+v", iter, higher, got)
		}
	}
}
