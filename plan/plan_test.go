package plan_test

import (
	"os"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/plan/cbc"
	"github.com/gwf-project/gwf/plan/glpk"
	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// testSolver is the solver the tests use: cbc, or glpk while
// TestHandCasesGLPK runs them again (or when GWF_TEST_SOLVER=glpk).
var testSolver = os.Getenv("GWF_TEST_SOLVER")

func solver(t testing.TB) lp.Solver {
	if testSolver == "glpk" {
		s := glpk.Solver{}
		if !s.Available() {
			t.Skip("glpsol not installed (apt-get install glpk-utils)")
		}
		return s
	}
	s := cbc.Solver{}
	if !s.Available() {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	return s
}

// TestHandCasesGLPK runs the cases known by hand again with GLPK: both
// solvers must give the answers worked out by hand.
func TestHandCasesGLPK(t *testing.T) {
	if !(glpk.Solver{}).Available() {
		t.Skip("glpsol not installed (apt-get install glpk-utils)")
	}
	if testSolver == "glpk" {
		t.Skip("all tests run with glpk already")
	}
	testSolver = "glpk"
	defer func() { testSolver = "" }()
	for name, f := range map[string]func(*testing.T){
		"JustReachable": TestHandJustReachable, "Unreachable": TestHandUnreachable,
		"Expansion": TestHandExpansion, "ShadowPriceIsMarginalCost": TestHandShadowPriceIsMarginalCost,
		"MIPWholeProjects": TestHandMIPWholeProjects, "MIPExpansionBlock": TestHandMIPExpansionBlock,
		"MoneyBinds": TestHandMoneyBinds, "RevenueFundsMore": TestHandRevenueFundsMore,
		"LeadTimeValue": TestHandLeadTimeValue, "StartingState": TestHandStartingState,
		"StartingStateFunding": TestHandStartingStateFunding, "NeedForPower": TestHandNeedForPower,
	} {
		t.Run(name, f)
	}
}

func reference(t testing.TB) *sim.Model {
	sc, err := scenario.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReference(t *testing.T) {
	s := solver(t)
	m := reference(t)
	pl, err := plan.Solve(t.Context(), m, plan.Options{Period: plan.Month}, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rows %d cols %d nz %d build %.3fs solve %.3fs objective %.4g shortfall %.0f MW",
		pl.Stats.Rows, pl.Stats.Columns, pl.Stats.NonZeros, pl.Stats.BuildSeconds, pl.Stats.SolveSeconds, pl.ObjectiveUSD, pl.ShortfallMW)
	for _, sp := range pl.ShadowPrices[:min(8, len(pl.ShadowPrices))] {
		t.Log(sp.Text)
	}
	for _, c := range pl.CostByLayer {
		t.Logf("%s %.4g", c.Layer, c.CostUSD)
	}
}

// BenchmarkPlanReference builds and solves the reference scenario, monthly
// periods over ten years, as an LP; build and solve times are reported.
func BenchmarkPlanReference(b *testing.B) {
	s := solver(b)
	m := reference(b)
	var build, solve float64
	for b.Loop() {
		pl, err := plan.Solve(b.Context(), m, plan.Options{Period: plan.Month}, s)
		if err != nil {
			b.Fatal(err)
		}
		build += pl.Stats.BuildSeconds
		solve += pl.Stats.SolveSeconds
		b.ReportMetric(float64(pl.Stats.Rows), "rows")
		b.ReportMetric(float64(pl.Stats.Columns), "cols")
		b.ReportMetric(float64(pl.Stats.NonZeros), "nonzeros")
	}
	b.ReportMetric(build/float64(b.N)*1e3, "build-ms/op")
	b.ReportMetric(solve/float64(b.N)*1e3, "solve-ms/op")
}
