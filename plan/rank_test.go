package plan_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
)

var update = flag.Bool("update", false, "rewrite golden files")

// bothBind is the widget model over two years in which money binds in
// the first and the widget line in the second: a MW needs a $100M widget,
// 20 MW/week are wanted, the penalty is $1B/MW, and the line makes 30
// widgets a week at the start, 2% fewer each week (10.5 a week by week 52,
// 3.7 by week 103). Equity is $60B a year, nothing else. In year 1 the
// widgets could build ~$76B of MW: the funding binds, and a dollar more
// buys 10⁻⁸ MW, saving (1e9 − 1e8) × 1e-8 = $9; the year-1 rows' duals sum
// to 9 (how they split between the rows is degenerate), so 1% of the $60B
// funding, $600M, saves $5.4B. In year 2 the second $60B covers the ~342
// widgets the line makes: the widget binds, one more saves $900M, and 1%
// of each week's supply saves 0.01 × 342 × $900M ≈ $3.1B in all.
func bothBind() *sim.Model {
	m := handModel(20)
	m.Weeks = 104
	m.Lines[1].UnitCostUSD = 100e6
	m.Lines[1].Capacity = 30
	m.Lines[1].WeeklyGrowth = 0.98
	m.Finance = &sim.Finance{EquityPerYear: 60e9, RevenueDecline: 1, Utilisation: 1}
	return m
}

// byLine sums RelaxUSD over the periods, per line, and lists the lines
// largest first.
func byLine(pl *plan.Plan) ([]string, map[string]float64) {
	sum := map[string]float64{}
	var lines []string
	for _, sp := range pl.ShadowPrices {
		if _, ok := sum[sp.Line]; !ok {
			lines = append(lines, sp.Line)
		}
		sum[sp.Line] += sp.RelaxUSD
	}
	slices.SortStableFunc(lines, func(a, b string) int {
		switch {
		case sum[a] > sum[b]:
			return -1
		case sum[a] < sum[b]:
			return 1
		}
		return 0
	})
	return lines, sum
}

// The ranking measure (RelaxUSD, 1% of each row's level for its period)
// is comparable across rows and across period lengths: on bothBind, the
// widget line and capital both bind, and summed per line over the
// horizon they rank the same at weekly, monthly and quarterly periods
// (capital first), each line's sum within 20% of the weekly one (seen:
// capital $5.4B at every period; the widget $3.00B weekly, $2.93B monthly,
// $2.57B quarterly, where a quarter's supply is pooled).
func TestRankingSameAtEveryPeriod(t *testing.T) {
	s := solver(t)
	var want []string
	var weekly map[string]float64
	for _, period := range []string{plan.Week, plan.Month, plan.Quarter} {
		opt := plan.Options{Period: period, DiscountRate: -1, ShortfallPenalty: 1e9}
		pl, err := plan.Solve(t.Context(), bothBind(), opt, s)
		if err != nil {
			t.Fatal(err)
		}
		lines, sum := byLine(pl)
		t.Logf("%s: %v %v; first %s", period, lines, sum, pl.ShadowPrices[0].Text)
		if period == plan.Week {
			want, weekly = lines, sum
			if !slices.Equal(lines, []string{sim.CapitalLine, "widget"}) {
				t.Fatalf("weekly lines ranked %v, want capital then widget (both binding)", lines)
			}
			continue
		}
		if !slices.Equal(lines, want) {
			t.Errorf("%s periods rank %v, weekly %v", period, lines, want)
		}
		for _, l := range want {
			if r := sum[l] / weekly[l]; r < 0.8 || r > 1.2 {
				t.Errorf("%s periods: %s's 1%% relaxations sum to %g, weekly %g", period, l, sum[l], weekly[l])
			}
		}
	}
}

// The ranking's text on bothBind, monthly: the golden file is
// testdata/golden/ranking.txt. After an intended change, rewrite it with
//
//	go test ./plan -run RankingGolden -update
//
// and review the diff.
func TestRankingGolden(t *testing.T) {
	pl, err := plan.Solve(t.Context(), bothBind(), plan.Options{Period: plan.Month, DiscountRate: -1, ShortfallPenalty: 1e9}, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pl.WriteRanking(&b, 10); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", "ranking.txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\nCreate it with: go test ./plan -run RankingGolden -update", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("ranking differs from %s:\ngot:\n%s\nwant:\n%s\nIf the change is intended, run: go test ./plan -run RankingGolden -update", path, b.Bytes(), want)
	}
}
