package budget_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/scenario"
)

func parse(t *testing.T, src string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Parse("t.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestCheck(t *testing.T) {
	ref := parse(t, "base: reference\n")
	huge := parse(t, "base: reference\nhorizon: 50 years\nproject:\n  size: 1 MW\n")
	for _, tt := range []struct {
		name  string
		sc    *scenario.Scenario
		runs  int
		limit float64
		ok    bool
	}{
		{"reference on the server", ref, 1, budget.ServerRun, true},
		{"reference study of 10,000 runs", ref, 10_000, budget.ServerStudy, true},
		{"50 years of 1 MW campuses on the server", huge, 1, budget.ServerRun, false},
		{"50 years of 1 MW campuses from the CLI", huge, 1, budget.CLIRun, false},
		{"reference over a tiny budget", ref, 1, 1000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := budget.Check(tt.sc, tt.runs, tt.limit)
			if (err == nil) != tt.ok {
				t.Fatalf("Check = %v, want ok=%v", err, tt.ok)
			}
			var be *budget.Error
			if err != nil && (!errors.As(err, &be) || !strings.Contains(err.Error(), "project-weeks, over the budget")) {
				t.Errorf("error %q does not name the budget", err)
			}
		})
	}
}

func TestEstimateReference(t *testing.T) {
	w := budget.Estimate(parse(t, "base: reference\n"))
	// 1,000 MW/week × 520 weeks ÷ 250 MW campuses, plus those under way.
	if w.Weeks != 520 || w.Projects < 2080 || w.Projects > 2200 {
		t.Errorf("Estimate(reference) = %+v, want 520 weeks and about 2,100 projects", w)
	}
}
