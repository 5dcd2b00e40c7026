package backtest

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func ExamplePercentError() {
	fmt.Println(PercentError(110, 100), PercentError(50, 100), PercentError(300, 100))
	// Output: 10 -50 200
}

// The scores of a hand-made table, worked out by hand.
func TestScoreArithmetic(t *testing.T) {
	row := func(series, sample string, sim, rec float64) Row {
		return Row{Series: series, Sample: sample, Recorded: Number(rec), Simulated: Number(sim),
			AbsError: Number(sim - rec), PctError: Number(PercentError(sim, rec))}
	}
	rep := &Report{Rows: []Row{
		row("it_capacity_added", InSample, 110, 100),          // +10%
		row("it_capacity_added", InSample, 80, 100),           // -20%
		row("it_capacity_added", OutOfSample, 150, 100),       // +50%
		row("nvidia_dc_revenue", InSample, 3e9, 4e9),          // -25%
		row("nvidia_dc_revenue", OutOfSample, 4.5e10, 1.5e10), // +200%
	}}
	rep.score()
	near := func(name string, got Number, want float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > 1e-9 {
			t.Errorf("%s = %g, want %g", name, float64(got), want)
		}
	}
	if rep.InSample.Rows != 3 || rep.OutOfSample.Rows != 2 {
		t.Errorf("rows in/out = %d/%d, want 3/2", rep.InSample.Rows, rep.OutOfSample.Rows)
	}
	near("in-sample MAPE", rep.InSample.MAPE, (10+20+25)/3.0)
	near("out-of-sample MAPE", rep.OutOfSample.MAPE, (50+200)/2.0)
	if len(rep.Series) != len(Catalogue) {
		t.Fatalf("%d series scored, want every series in the catalogue (%d)", len(rep.Series), len(Catalogue))
	}
	for _, s := range rep.Series {
		switch s.Series {
		case "it_capacity_added":
			near("it_capacity_added in", s.InSample.MAPE, 15)
			near("it_capacity_added out", s.OutOfSample.MAPE, 50)
		case "nvidia_dc_revenue":
			near("nvidia_dc_revenue in", s.InSample.MAPE, 25)
			near("nvidia_dc_revenue out", s.OutOfSample.MAPE, 200)
		default:
			if s.InSample.Rows != 0 || !math.IsNaN(float64(s.InSample.MAPE)) {
				t.Errorf("%s: a series without rows scores %+v, want 0 rows and no MAPE", s.Series, s.InSample)
			}
		}
	}
}

func TestNewRowRange(t *testing.T) {
	rec := Record{Series: "capex_per_gw", Period: "2025", Value: 55, Low: 35, High: math.NaN(),
		From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		sim float64
		in  bool
	}{{34, false}, {35, true}, {55, true}, {56, false}} {
		r := newRow(rec, tc.sim)
		if r.InRange == nil || *r.InRange != tc.in {
			t.Errorf("simulated %g: in range %v, want %v (range 35 to the value 55)", tc.sim, r.InRange, tc.in)
		}
		if r.High != nil {
			t.Errorf("no high was published, got %v", *r.High)
		}
	}
	rec.Low = math.NaN()
	if r := newRow(rec, 1); r.InRange != nil {
		t.Errorf("no range published, got in range %v", *r.InRange)
	}
}

func TestSampleOf(t *testing.T) {
	for _, tc := range []struct {
		to   time.Time
		want string
	}{
		{FitCutoff, InSample},
		{FitCutoff.AddDate(0, 0, -1), InSample},
		{FitCutoff.AddDate(0, 0, 1), OutOfSample},
	} {
		if got := SampleOf(Record{To: tc.to}); got != tc.want {
			t.Errorf("period ending %s: %s, want %s", day(tc.to), got, tc.want)
		}
	}
}

func TestOverlapDays(t *testing.T) {
	d := func(m, dd int) time.Time { return time.Date(2024, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		a0, a1, b0, b1 time.Time
		want           float64
	}{
		{d(1, 1), d(1, 8), d(1, 1), d(12, 31), 7}, // inside
		{d(1, 1), d(1, 8), d(1, 5), d(12, 31), 3}, // starts inside the week
		{d(1, 1), d(1, 8), d(1, 8), d(12, 31), 0}, // touches
		{d(1, 1), d(1, 8), d(1, 3), d(1, 4), 1},   // a day
		{d(3, 1), d(3, 8), d(1, 1), d(2, 1), 0},   // after
		{d(2, 26), d(3, 4), d(1, 1), d(3, 1), 4},  // leap day counted
	} {
		if got := overlapDays(tc.a0, tc.a1, tc.b0, tc.b1); got != tc.want {
			t.Errorf("overlap of [%s, %s) and [%s, %s) = %g, want %g", day(tc.a0), day(tc.a1), day(tc.b0), day(tc.b1), got, tc.want)
		}
	}
}

func TestNumberJSON(t *testing.T) {
	for _, tc := range []struct {
		n    Number
		want string
	}{
		{0.1 + 0.2, "0.3"}, {-0.0000001, "0"}, {1e12 / 3, "333333333333"}, {Number(math.NaN()), "null"}, {Number(math.Inf(1)), "null"},
	} {
		b, err := tc.n.MarshalJSON()
		if err != nil || string(b) != tc.want {
			t.Errorf("%v marshals to %s (%v), want %s", float64(tc.n), b, err, tc.want)
		}
	}
	var n Number
	if err := n.UnmarshalJSON([]byte("null")); err != nil || !math.IsNaN(float64(n)) {
		t.Errorf("null unmarshals to %v (%v), want NaN", n, err)
	}
}
