package mc_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// tiny is a scenario to follow by hand: 1 GW projects with one 10-week
// stage that secures their power, plentiful supply, so with no lead time
// the first project comes online in week 10. %LEAD% is the grid's lead
// time; %EXTRA% more top-level fields (events).
const tiny = `
name: tiny
start_date: 2026-01-05
horizon: 80 weeks
target: {rate: 1 GW/week, initial_rate: 1 GW/week, by: 2026-06-01}
project:
  size: 1000 MW
  pue: "1.0"
  stages:
    build: {duration: 10 weeks, secures_power: true}
policy: {expand: false}
generations:
  g1: {available: 2025-01-01, power_per_accelerator: 1 kW, compute_per_accelerator: 1 PFLOP/s, accelerators_per_rack: 10 accelerators}
resources:
  accelerators: {kind: accelerator, unit: accelerator, capacity: 100 M accelerators/week, share: 100%, lead_time: 0 weeks}
  grid: {kind: power, unit: MW, capacity: 100 GW/week, share: 100%, lead_time: %LEAD%}
%EXTRA%
`

func tinyScenario(t testing.TB, lead, extra string) *scenario.Scenario {
	t.Helper()
	src := strings.NewReplacer("%LEAD%", lead, "%EXTRA%", extra).Replace(tiny)
	sc, err := scenario.Parse("tiny.yaml", []byte(src), nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return sc
}

func run(t testing.TB, sc *scenario.Scenario, cfg mc.Config) *mc.Result {
	t.Helper()
	res, err := mc.Run(context.Background(), sc, cfg)
	if err != nil {
		t.Fatalf("mc.Run: %v", err)
	}
	return res
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const uncertainLead = "{dist: uniform, min: 0 weeks, max: 20 weeks}"

// The same seed gives the same result, byte for byte, on one worker or
// four, both with exact bands and past ExactLimit (sketched bands).
func TestWorkersDoNotChangeResults(t *testing.T) {
	sc := tinyScenario(t, uncertainLead, `events:
  stop: {probability: 50%/year, duration: {dist: uniform, min: 1 week, max: 8 weeks}, freeze: build}`)
	for _, runs := range []int{300, mc.ExactLimit + 200} {
		one := marshal(t, run(t, sc, mc.Config{Runs: runs, Seed: 7, Workers: 1}))
		four := marshal(t, run(t, sc, mc.Config{Runs: runs, Seed: 7, Workers: 4}))
		if one != four {
			t.Errorf("%d runs: 1 and 4 workers differ", runs)
		}
		if other := marshal(t, run(t, sc, mc.Config{Runs: runs, Seed: 8, Workers: 2})); other == one {
			t.Errorf("%d runs: seeds 7 and 8 gave the same result", runs)
		}
	}
}

// With nothing uncertain every run is the same: bands have no width.
func TestNoUncertaintyZeroWidth(t *testing.T) {
	res := run(t, tinyScenario(t, "0 weeks", ""), mc.Config{Runs: 50, Seed: 1})
	if res.Completed != 50 || res.Inputs != 0 || res.Events != 0 {
		t.Fatalf("completed %d, inputs %d, events %d", res.Completed, res.Inputs, res.Events)
	}
	for w, b := range append(res.Online, res.Added...) {
		if b.P10 != b.P50 || b.P50 != b.P90 {
			t.Fatalf("band %d = %+v, want zero width", w, b)
		}
	}
	for _, m := range append(res.OnlineGW, res.GWPerWeek) {
		if m.P10 != m.P50 || m.P50 != m.P90 {
			t.Errorf("%s = %+v, want zero width", m.Label, m)
		}
	}
	if g := res.OnlineGW[0]; g.P50 != 10 || g.Reached != 50 {
		t.Errorf("1 GW online: %+v, want week 10 in all 50 runs", g)
	}
}

// A permitting freeze certain to happen in the first week and lasting six
// weeks holds the first project's stage for six weeks: 1 GW is online in
// week 16 instead of 10, in every run.
func TestCertainEventShiftsDate(t *testing.T) {
	sc := tinyScenario(t, "0 weeks", `events:
  freeze: {probability: 100%, from: 2026-01-05, to: 2026-01-05, duration: 6 weeks, freeze: build}`)
	res := run(t, sc, mc.Config{Runs: 20, Seed: 3})
	if g := res.OnlineGW[0]; g.P10 != 16 || g.P90 != 16 || g.Reached != 20 {
		t.Errorf("1 GW online: %+v, want week 16 in all 20 runs", g)
	}
	base := run(t, tinyScenario(t, "0 weeks", ""), mc.Config{Runs: 1, Seed: 3})
	if res.GWPerWeek.P50 <= base.GWPerWeek.P50 {
		t.Errorf("1 GW/week in week %d with the freeze, want later than week %d without", res.GWPerWeek.P50, base.GWPerWeek.P50)
	}
}

// A grid lead time uniform on 0 to 20 weeks puts 1 GW online in week
// 10 + L (L rounded to whole weeks): P10, P50 and P90 near weeks 12, 20, 28.
func TestLeadTimeDistribution(t *testing.T) {
	res := run(t, tinyScenario(t, uncertainLead, ""), mc.Config{Runs: 2000, Seed: 11})
	g := res.OnlineGW[0]
	for _, c := range []struct{ got, want int }{{g.P10, 12}, {g.P50, 20}, {g.P90, 28}} {
		if math.Abs(float64(c.got-c.want)) > 1 {
			t.Errorf("1 GW online: %+v, want P10/P50/P90 within a week of 12/20/28", g)
			break
		}
	}
	if res.Inputs != 1 || res.BandsExact {
		t.Errorf("inputs %d, bands exact %v; want 1 and sketched bands for 2000 runs", res.Inputs, res.BandsExact)
	}
}

// Pinned outputs: these numbers are what seed 42 draws and finds. A change
// here means sampling changed (the order of draws, the streams, the
// quantile functions) and every stored study would change with it: make
// sure that is intended, then update the numbers.
func TestPinnedOutputs(t *testing.T) {
	sc := tinyScenario(t, uncertainLead, `events:
  stop: {probability: 50%/year, duration: {dist: uniform, min: 1 week, max: 8 weeks}, freeze: build}`)
	var leads []float64
	var onsets []int
	for i := range 3 {
		c, occ := mc.Draw(sc, 42, i)
		leads = append(leads, c.Resource("grid").LeadTime.V)
		for _, o := range occ {
			onsets = append(onsets, o.FromWeek, o.ToWeek)
		}
	}
	if got, want := marshal(t, leads), `[15.444763758648588,13.855888341254472,12.480469183885251]`; got != want {
		t.Errorf("lead times drawn:\n got %s\nwant %s", got, want)
	}
	if got, want := marshal(t, onsets), `[60,62]`; got != want {
		t.Errorf("event weeks drawn:\n got %s\nwant %s", got, want)
	}
	res := run(t, sc, mc.Config{Runs: 200, Seed: 42})
	got := marshal(t, []any{res.GWPerWeek, res.OnlineGW[0], res.ByTarget, res.Never.Runs})
	// The draws above are unchanged by the controller's margin of one
	// project a quarter (policy.margin), which moved the study's 1 GW/week
	// dates (177 runs reaching it before, 183 after).
	want := `[{"Label":"1 GW/week","Reached":183,"P10":14,"P50":27,"P90":66},{"Label":"1 GW online","Reached":200,"P10":12,"P50":21,"P90":28},55,17]`
	if got != want {
		t.Errorf("study:\n got %s\nwant %s", got, want)
	}
}

// Cancelling stops the study; what finished is reported with the error.
func TestCancelReportsWhatFinished(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen atomic.Int64
	cfg := mc.Config{Runs: 100000, Seed: 1, Workers: 2, Progress: func(done int) {
		if seen.Add(1) == 25 {
			cancel()
		}
	}}
	res, err := mc.Run(ctx, tinyScenario(t, uncertainLead, ""), cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res == nil || res.Completed < 25 || res.Completed >= cfg.Runs {
		t.Fatalf("result %v, want between 25 and %d runs completed", res, cfg.Runs)
	}
	if g := res.OnlineGW[0]; g.Reached != res.Completed {
		t.Errorf("1 GW online reached in %d runs, want all %d completed", g.Reached, res.Completed)
	}
}

// Drawing a run leaves the scenario as it was.
func TestDrawLeavesScenario(t *testing.T) {
	sc := tinyScenario(t, uncertainLead, "")
	before := marshal(t, sc)
	for i := range 5 {
		if _, err := mc.Model(sc, 1, i); err != nil {
			t.Fatal(err)
		}
	}
	if marshal(t, sc) != before {
		t.Error("Model changed the scenario")
	}
}

func TestRunsOutOfRange(t *testing.T) {
	for _, n := range []int{0, -1, mc.MaxRuns + 1} {
		if _, err := mc.Run(context.Background(), tinyScenario(t, "0 weeks", ""), mc.Config{Runs: n}); err == nil {
			t.Errorf("Runs %d accepted", n)
		}
	}
}

// BenchmarkMonteCarlo is 1,000 runs of the reference scenario with
// distributions and events (testdata/reference-uncertain.yaml) on every
// CPU; ns/op is for all 1,000.
func BenchmarkMonteCarlo(b *testing.B) {
	sc, err := scenario.Load("testdata/reference-uncertain.yaml", os.ReadFile)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := mc.Run(context.Background(), sc, mc.Config{Runs: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// With no lead time every run brings 1 GW online each week from week 10:
// 2026 Q1 (weeks 0–12) averages 3/13 GW/week, 2026 Q2 (from week 13) and
// every quarter after it 1 GW/week, so the first quarter and the first of
// four in a row are both 2026 Q2, before the target date (week 21).
func TestQuarterMilestonesByHand(t *testing.T) {
	res := run(t, tinyScenario(t, "0 weeks", ""), mc.Config{Runs: 10, Seed: 1})
	for _, c := range []struct {
		m    mc.Milestone
		want int
	}{{res.GWPerWeek, 10}, {res.FirstQuarter, 13}, {res.FourQuarters, 13}} {
		if c.m.P10 != c.want || c.m.P50 != c.want || c.m.P90 != c.want || c.m.Reached != 10 {
			t.Errorf("%s: %+v, want week %d in all 10 runs", c.m.Label, c.m, c.want)
		}
	}
	if res.ByTarget != 10 || res.FirstQuarterByTarget != 10 || res.FourQuartersByTarget != 10 {
		t.Errorf("by the target date: %d, %d, %d runs, want 10 each", res.ByTarget, res.FirstQuarterByTarget, res.FourQuartersByTarget)
	}
	if res.RateMW != 1000 || res.FirstQuarter.Label != "First quarter at 1 GW/week" || res.FourQuarters.Label != "Four quarters in a row at 1 GW/week" {
		t.Errorf("rate %v, labels %q, %q", res.RateMW, res.FirstQuarter.Label, res.FourQuarters.Label)
	}
}

// The study judges each run's milestones as summary.RunRateMilestones
// does, at the scenario's target rate.
func TestMilestonesAsSummaryJudges(t *testing.T) {
	src := strings.Replace(tiny, "target: {rate: 1 GW/week, initial_rate: 1 GW/week,", "target: {rate: 500 MW/week, initial_rate: 500 MW/week,", 1)
	src = strings.NewReplacer("%LEAD%", uncertainLead, "%EXTRA%", "").Replace(src)
	sc, err := scenario.Parse("tiny.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	const runs, seed = 40, 5
	res := run(t, sc, mc.Config{Runs: runs, Seed: seed})
	var weeks [3][]int
	var byTarget [3]int
	for i := range runs {
		m, err := mc.Model(sc, seed, i)
		if err != nil {
			t.Fatal(err)
		}
		rm := summary.RunRateMilestones(sim.RunWith(m, sim.NewController(), sim.Options{WeeksOnly: true}))
		for k, w := range []int{rm.Sustained, rm.FirstQuarter, rm.FourQuarters} {
			if w < 0 {
				w = math.MaxInt // never: after every week
			} else if w <= m.TargetWeek {
				byTarget[k]++
			}
			weeks[k] = append(weeks[k], w)
		}
	}
	for k, ms := range []mc.Milestone{res.GWPerWeek, res.FirstQuarter, res.FourQuarters} {
		slices.Sort(weeks[k])
		at := func(p float64) int { // nearest rank
			w := weeks[k][int(math.Ceil(p*runs))-1]
			if w == math.MaxInt {
				return -1
			}
			return w
		}
		if ms.P10 != at(0.1) || ms.P50 != at(0.5) || ms.P90 != at(0.9) {
			t.Errorf("%s: P10/P50/P90 %d/%d/%d, want %d/%d/%d", ms.Label, ms.P10, ms.P50, ms.P90, at(0.1), at(0.5), at(0.9))
		}
	}
	if got := [3]int{res.ByTarget, res.FirstQuarterByTarget, res.FourQuartersByTarget}; got != byTarget {
		t.Errorf("by the target date: %v, want %v", got, byTarget)
	}
	if res.RateMW != 500 || res.GWPerWeek.Label != "0.5 GW/week" || res.FirstQuarter.Label != "First quarter at 0.5 GW/week" {
		t.Errorf("rate %v, labels %q, %q", res.RateMW, res.GWPerWeek.Label, res.FirstQuarter.Label)
	}
}

// BenchmarkReferenceStudy is 100 runs of the reference scenario (36
// distributions, 3 events) on one worker; ns/op is for all 100.
func BenchmarkReferenceStudy(b *testing.B) {
	sc, err := scenario.Reference()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := mc.Run(b.Context(), sc, mc.Config{Runs: 100, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// Config.Checks counts the runs answering yes to each question, the same
// with one worker or several: here whether the run reaches 1 GW online
// (some do, some do not) and a question every run answers yes.
func TestChecksCounted(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	var first []int
	for _, workers := range []int{1, 2} {
		res, err := mc.Run(t.Context(), sc, mc.Config{Runs: 40, Seed: 7, Workers: workers, Checks: func(r *sim.Result) []bool {
			return []bool{r.Weeks[len(r.Weeks)-1].OnlineMW >= 150e3, true}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Checks) != 2 || res.Checks[1] != 40 {
			t.Fatalf("%d workers: checks %v, want two counts, the second 40", workers, res.Checks)
		}
		if first == nil {
			first, want = res.Checks, res.Checks[0]
			continue
		}
		if res.Checks[0] != want {
			t.Errorf("2 workers count %d, 1 worker %d", res.Checks[0], want)
		}
	}
	if want == 0 || want == 40 {
		t.Errorf("all or none of the runs reach 150 GW (%d of 40): the question does not tell runs apart", want)
	}
}

// The capex and peak-funding bands are nearest-rank quantiles of each
// run's own figures (summary.CapexAndPeakNeed of run i, simulated on its
// own): with 5 runs, P10 is the smallest, P50 the third, P90 the largest.
func TestCapexBands(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	const runs = 5
	res, err := mc.Run(t.Context(), sc, mc.Config{Runs: runs, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var capex, peak []float64
	for i := range runs {
		m, err := mc.Model(sc, 3, i)
		if err != nil {
			t.Fatal(err)
		}
		c, p := summary.CapexAndPeakNeed(sim.Run(m, sim.NewController()))
		capex, peak = append(capex, c), append(peak, p)
	}
	slices.Sort(capex)
	slices.Sort(peak)
	for _, c := range []struct {
		what string
		band mc.Band
		vals []float64
	}{{"capex", res.CapexUSD, capex}, {"peak funding", res.PeakFundUSD, peak}} {
		want := mc.Band{P10: c.vals[0], P50: c.vals[2], P90: c.vals[4]}
		if c.band != want || !(want.P10 > 0 && want.P10 < want.P90) {
			t.Errorf("%s band %+v, want %+v from the runs on their own (and spread above 0)", c.what, c.band, want)
		}
	}
}
