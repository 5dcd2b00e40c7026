package backtest_test

import (
	"strings"
	"testing"

	"github.com/gwf-project/gwf/backtest"
	"github.com/gwf-project/gwf/scenario"
)

// Every campus in the embedded record is one the reference starts with,
// and the check's sums agree with its rows.
func TestCheckRecordReference(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	rc, err := backtest.CheckRecord(sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Campuses) == 0 || len(rc.Builds) == 0 {
		t.Fatalf("%d campuses, %d builds compared; want some of each", len(rc.Campuses), len(rc.Builds))
	}
	in, sum := 0, 0
	for _, c := range rc.Campuses {
		if c.Simulated == "" {
			t.Errorf("%s: not online within the horizon", c.Campus)
		}
		if c.InWindow != (c.Simulated >= c.Low && c.Simulated <= c.High) {
			t.Errorf("%s: in window %v, but simulated %s against %s – %s", c.Campus, c.InWindow, c.Simulated, c.Low, c.High)
		}
		if c.InWindow {
			in++
		}
		sum += c.ErrorWeeks
	}
	if in != rc.WithinWindow || float64(sum)/float64(len(rc.Campuses)) != rc.MeanErrorWeeks {
		t.Errorf("within %d mean %v; rows give %d and %v", rc.WithinWindow, rc.MeanErrorWeeks, in, float64(sum)/float64(len(rc.Campuses)))
	}
	p := rc.ModelBuildWeeks
	if !(p[0] <= p[1] && p[1] <= p[2]) || p[0] < rc.UnimpededWeeks-1 {
		t.Errorf("build weeks P10/P50/P90 %v not ordered or below the unimpeded %d", p, rc.UnimpededWeeks)
	}
	// Unimpeded: construction, fit-out and commissioning at their medians
	// (52 + 8 + 4 weeks in the reference).
	if rc.UnimpededWeeks != 64 {
		t.Errorf("unimpeded build %d weeks, want 64", rc.UnimpededWeeks)
	}
	// The recorded GPU-hour price of March 2026 lies in the reference's
	// horizon and is compared through the backtest's own mapping.
	found := false
	for _, r := range rc.Levels {
		if r.Series == "gpu_hour_price" && r.Period == "Mar 2026" {
			found = r.Simulated > 0
		}
		if r.Series == "nvidia_dc_revenue" || r.Series == "it_capacity_added" {
			t.Errorf("%s compared against the reference: a series that scales with the whole industry, not a level", r.Series)
		}
	}
	if !found {
		t.Errorf("levels %+v lack a simulated gpu_hour_price for Mar 2026", rc.Levels)
	}
	// The operator's April 2026 figure (capacity secured) is compared with
	// the MW the run has started by then.
	if len(rc.Operator) == 0 || rc.Operator[0].Quantity != backtest.SecuredMW || rc.Operator[0].Simulated <= 0 {
		t.Errorf("operator rows %+v, want the secured capacity of 2026-04-29 compared", rc.Operator)
	}
	// A campus the reference does not have is refused by name.
	sc.Initial.Projects = sc.Initial.Projects[1:]
	if _, err := backtest.CheckRecord(sc); err == nil || !strings.Contains(err.Error(), "abilene_phase2_a") {
		t.Errorf("without abilene_phase2_a: got %v, want an error naming it", err)
	}
}

func TestParseRecordErrors(t *testing.T) {
	head := strings.Join(backtest.CampusColumns, ",") + "\n"
	bhead := strings.Join(backtest.BuildColumns, ",") + "\n"
	cases := []struct {
		name, src, want string
		builds          bool
	}{
		{"bad header", "campus,date\n", `x.csv:1: bad header (got "campus,date"`, false},
		{"empty", "", "x.csv:1: empty file", false},
		{"short row", head + "a,online,2026-01-01\n", "x.csv:2: wrong number of fields (got 3, want 8", false},
		{"bad date", head + "a,online,2026-13-01,2026-01-01,2026-12-31,s,primary,\n", `x.csv:2: date: not a date (got "2026-13-01"`, false},
		{"outside window", head + "a,online,2027-01-01,2026-01-01,2026-12-31,s,primary,\n", "x.csv:2: date: outside its window (got 2027-01-01", false},
		{"unknown event", head + "a,opened,2026-06-01,2026-01-01,2026-12-31,s,primary,\n", `x.csv:2: event: unknown event (got "opened"`, false},
		{"bad confidence", head + "a,online,2026-06-01,2026-01-01,2026-12-31,s,sure,\n", `x.csv:2: confidence: unknown confidence (got "sure"`, false},
		{"missing source", head + "a,online,2026-06-01,2026-01-01,2026-12-31,,primary,\n", "x.csv:2: source: missing", false},
		{"weeks disagree", bhead + "b,online,2024-06-03,2025-06-02,70,s,primary,\n", "x.csv:2: weeks: disagrees with the dates (got 70, want 52)", true},
		{"end before start", bhead + "b,online,2025-06-02,2024-06-03,52,s,primary,\n", "x.csv:2: end: not after the construction start", true},
		{"unknown end", bhead + "b,opened,2024-06-03,2025-06-02,52,s,primary,\n", `x.csv:2: to: unknown end (got "opened"`, true},
		{"bad weeks", bhead + "b,online,2024-06-03,2025-06-02,-3,s,primary,\n", `x.csv:2: weeks: not a number of weeks (got "-3"`, true},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			var err error
			if c.builds {
				_, err = backtest.ParseBuildTimes("x.csv", []byte(c.src))
			} else {
				_, err = backtest.ParseCampusEvents("x.csv", []byte(c.src))
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(strings.Join(backtest.CampusColumns, ",") + "\na,online,2026-06-01,2026-01-01,2026-12-31,s,primary,n\n"))
	f.Add([]byte(strings.Join(backtest.BuildColumns, ",") + "\nb,online,2024-06-03,2025-06-02,52,s,primary,\n"))
	f.Add([]byte(strings.Join(backtest.OperatorColumns, ",") + "\nsecured_mw,2026-04-29,10000,10000,,MW,s,secondary,n\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		evs, err := backtest.ParseCampusEvents("f.csv", src)
		if err == nil {
			for _, e := range evs {
				if e.Low.After(e.Date) || e.Date.After(e.High) || e.Campus == "" || e.Source == "" {
					t.Fatalf("accepted a bad event: %+v", e)
				}
			}
		}
		ops, err := backtest.ParseOperatorFigures("f.csv", src)
		if err == nil {
			for _, o := range ops {
				if o.Value < 0 || o.Low > o.Value || o.High < o.Value || o.Unit != "MW" {
					t.Fatalf("accepted a bad operator figure: %+v", o)
				}
			}
		}
		bs, err := backtest.ParseBuildTimes("f.csv", src)
		if err == nil {
			for _, b := range bs {
				if !b.End.After(b.ConstructionStart) || b.Weeks <= 0 {
					t.Fatalf("accepted a bad build: %+v", b)
				}
			}
		}
	})
}

func TestParseOperatorErrors(t *testing.T) {
	head := strings.Join(backtest.OperatorColumns, ",") + "\n"
	for _, c := range []struct{ name, src, want string }{
		{"unknown quantity", head + "revenue,2026-04-29,10,,,MW,s,primary,\n", `x.csv:2: quantity: unknown quantity (got "revenue"`},
		{"wrong unit", head + "online_mw,2026-04-29,10,,,GW,s,primary,\n", `x.csv:2: unit: wrong unit (got "GW", want MW)`},
		{"outside range", head + "online_mw,2026-04-29,10,20,,MW,s,primary,\n", "x.csv:2: value: outside its range (got 10"},
		{"not a number", head + "online_mw,2026-04-29,ten,,,MW,s,primary,\n", `x.csv:2: value: not a number (got "ten"`},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			if _, err := backtest.ParseOperatorFigures("x.csv", []byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}
