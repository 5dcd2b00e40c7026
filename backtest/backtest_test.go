package backtest

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// Every value in every case's scenario carries a source and a confidence
// tag, as the reference scenario's do.
func TestScenariosAreSourced(t *testing.T) {
	for _, c := range Cases {
		s, err := c.Scenario()
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		n := 0
		for _, e := range s.Entries() {
			if e.Value == nil {
				continue // dates
			}
			n++
			if e.Value.Source == "" {
				t.Errorf("%s: %s (%s) has no source", c.Name, e.Path, e.Value.Pos)
			}
			if !slices.Contains(scenario.Confidences, e.Value.Confidence) {
				t.Errorf("%s: %s (%s) has no confidence tag (got %q)", c.Name, e.Path, e.Value.Pos, e.Value.Confidence)
			}
		}
		if n < 60 {
			t.Errorf("%s: only %d values checked", c.Name, n)
		}
	}
}

// Each case runs, reports every series, accounts for every recorded row
// (compared or skipped with a reason), has rows on both sides of the fit
// cutoff, and its JSON round-trips.
func TestRunEveryCase(t *testing.T) {
	recs, err := Records()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Cases {
		t.Run(c.Name, func(t *testing.T) {
			rep, err := Run(c)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rep.Rows) + len(rep.Skipped); got != len(recs) {
				t.Errorf("%d rows + %d skipped, want the %d recorded rows", len(rep.Rows), len(rep.Skipped), len(recs))
			}
			for _, s := range rep.Skipped {
				if s.Reason == "" {
					t.Errorf("%s %s skipped without a reason", s.Series, s.Period)
				}
			}
			var names []string
			for _, s := range rep.Series {
				names = append(names, s.Series)
			}
			if !slices.Equal(names, SeriesNames()) {
				t.Errorf("series %v, want %v", names, SeriesNames())
			}
			if rep.InSample.Rows == 0 || rep.OutOfSample.Rows == 0 {
				t.Errorf("in-sample %d rows, out-of-sample %d rows: want both", rep.InSample.Rows, rep.OutOfSample.Rows)
			}
			for _, r := range rep.Rows {
				if math.IsNaN(float64(r.Simulated)) || r.Simulated < 0 {
					t.Errorf("%s %s: simulated %v", r.Series, r.Period, r.Simulated)
				}
				if r.Source == "" {
					t.Errorf("%s %s: row without its source", r.Series, r.Period)
				}
			}
			if len(rep.Fitted) != len(Parameters) {
				t.Errorf("%d fitted parameters reported, want %d", len(rep.Fitted), len(Parameters))
			}

			b1, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(b1, &back); err != nil {
				t.Fatal(err)
			}
			b2, err := json.Marshal(&back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b1, b2) {
				t.Errorf("JSON does not round-trip:\n%s\n%s", b1, b2)
			}
			again, err := Run(c)
			if err != nil {
				t.Fatal(err)
			}
			if b3, _ := json.Marshal(again); !bytes.Equal(b1, b3) {
				t.Error("two runs of the same case differ")
			}
		})
	}
}

// Loose pins on the 2022 case: they catch a broken mapping or a model
// change that moves the backtest a long way, not small recalibrations.
// Update them (and docs/backtest.md's table) when the engine changes on
// purpose.
func TestFrom2022Pinned(t *testing.T) {
	rep, err := Run(Cases[0])
	if err != nil {
		t.Fatal(err)
	}
	within := func(name string, got, lo, hi float64) {
		t.Helper()
		if !(got >= lo && got <= hi) {
			t.Errorf("%s = %.4g, want between %.4g and %.4g", name, got, lo, hi)
		}
	}
	within("in-sample MAPE", float64(rep.InSample.MAPE), 40, 150)
	within("out-of-sample MAPE", float64(rep.OutOfSample.MAPE), 30, 90)
	for _, r := range rep.Rows {
		switch r.Series + " " + r.Period {
		case "it_capacity_added 2025":
			within(r.Series+" "+r.Period, float64(r.Simulated), 3000, 9000)
		case "accelerators_shipped 2023":
			within(r.Series+" "+r.Period, float64(r.Simulated), 2.5e6, 4.5e6)
		case "nvidia_dc_revenue FY2025":
			within(r.Series+" "+r.Period, float64(r.Simulated), 70e9, 170e9)
		case "capex_per_gw 2025":
			within(r.Series+" "+r.Period, float64(r.Simulated), 20e9, 50e9)
		}
	}
}

// The scenario's fitted values are as good, on the in-sample periods, as
// what a fresh calibration finds: nobody tuned them by hand on later years.
func TestFittedValuesReproduce(t *testing.T) {
	if testing.Short() {
		t.Skip("re-runs the calibration")
	}
	refits, err := Fit(FitCase)
	if err != nil {
		t.Fatal(err)
	}
	if len(refits) != len(Parameters) {
		t.Fatalf("%d refits, want %d", len(refits), len(Parameters))
	}
	for _, r := range refits {
		if r.ScenarioLoss > r.BestLoss+0.01 {
			t.Errorf("%s: the scenario's %g has in-sample loss %.4f; a fresh fit finds %g with %.4f", r.Path, r.Scenario, r.ScenarioLoss, r.Best, r.BestLoss)
		}
	}
}

// The warm start leaves every line at its written capacity, and the price
// at its written level, on the case's start date.
func TestWarmStartBackcasts(t *testing.T) {
	s, err := Cases[0].Scenario()
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]float64{}
	for _, r := range s.Resources {
		written[r.Name] = r.Capacity.V
	}
	price := s.Finance.Revenue.PerMWYear.V
	start := s.StartDate.Time
	warmStart(s, WarmStartWeeks)
	m, err := sim.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.WeekOf(start); got != WarmStartWeeks {
		t.Fatalf("the start date is week %d of the warm run, want %d", got, WarmStartWeeks)
	}
	for _, l := range m.Lines {
		want, ok := written[l.Name]
		if !ok {
			continue // the capital line
		}
		got := l.Capacity * math.Pow(l.WeeklyGrowth, WarmStartWeeks)
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("%s: capacity %g on the start date, want %g", l.Name, got, want)
		}
	}
	got := m.Finance.RevenuePerMWWeek * math.Pow(m.Finance.RevenueDecline, WarmStartWeeks) * 365.2425 / 7
	if math.Abs(got-price) > 1e-6*price {
		t.Errorf("revenue per MW-year %g on the start date, want %g", got, price)
	}
}

func TestCaseFor(t *testing.T) {
	for _, c := range Cases {
		got, err := CaseFor(c.Year)
		if err != nil || got != c {
			t.Errorf("CaseFor(%d) = %+v, %v", c.Year, got, err)
		}
	}
	if _, err := CaseFor(2019); err == nil || err.Error() != "no backtest starts in 2019 (want one of: 2022 or 2023)" {
		t.Errorf("CaseFor(2019): %v", err)
	}
}

// A series the model cannot produce is skipped with its reason, not
// reported as zero.
func TestSkipsWhatTheModelLacks(t *testing.T) {
	s, err := Cases[0].Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s.Generations = slices.DeleteFunc(s.Generations, func(g scenario.Generation) bool { return g.Name == "hopper" })
	recs, err := Records()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compare("no-hopper", s, recs)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sk := range rep.Skipped {
		if sk.Series == "gpu_hour_price" && sk.Reason == `the scenario has no generation "hopper"` {
			found = true
		}
	}
	if !found {
		t.Errorf("gpu_hour_price not skipped for want of hopper: %+v", rep.Skipped)
	}
}
