package plan_test

import (
	"math"
	"testing"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
)

// A plan the LP calls payable is one the simulation can pay for: on
// testdata/money.yaml money binds (the plan is short of the target and
// prices capital), and following the plan the simulation is never
// overdrawn, ends within 5% of the plan's MW online, and pays within 20%
// of the plan's interest (seen: weekly 6,681 MW planned, 6,700 simulated,
// interest $306M against $355M; monthly 6,080 and 6,000, $314M and
// $331M). A monthly plan without capital (NoFinance) promises 8,100 MW
// and the simulation following it reaches 4,450.
func TestMoneyPlanIsPayable(t *testing.T) {
	m := loadModel(t, "testdata/money.yaml")
	for _, period := range []string{plan.Week, plan.Month} {
		t.Run(period, func(t *testing.T) {
			pl, r, _ := solveAndFollow(t, m, plan.Options{Period: period})
			if !pl.Capital || pl.ShortfallMW < 1000 {
				t.Fatalf("capital in the model %v, shortfall %.0f MW: money should bind", pl.Capital, pl.ShortfallMW)
			}
			priced := 0
			for _, sp := range pl.ShadowPrices {
				if sp.Line == sim.CapitalLine {
					priced++
				}
			}
			if priced == 0 {
				t.Error("no money row priced, though money binds")
			}
			end := len(r.Weeks) - 1
			simInterest := 0.0
			for _, w := range r.Weeks {
				simInterest += w.InterestUSD
				if w.OverdrawnUSD > 0 {
					t.Fatalf("week %d: the simulation is overdrawn by $%.0f", w.Week, w.OverdrawnUSD)
				}
			}
			planned, got := pl.PlannedOnline(end), r.Weeks[end].OnlineMW
			if math.Abs(got-planned) > 0.05*planned {
				t.Errorf("MW online at the end: planned %.0f, simulated %.0f (more than 5%% apart)", planned, got)
			}
			planInterest := 0.0
			for _, p := range pl.Periods {
				planInterest += p.InterestUSD
			}
			if planInterest <= 0 || math.Abs(simInterest-planInterest) > 0.2*planInterest {
				t.Errorf("interest: planned $%.3g, simulated $%.3g (more than 20%% apart)", planInterest, simInterest)
			}
			t.Logf("planned %.0f MW, simulated %.0f; interest planned $%.3g, simulated $%.3g", planned, got, planInterest, simInterest)
		})
	}
}

// The plan's books balance: in every period the change in cash is what
// the new MW earn, plus equity raised and debt drawn net of repayments,
// less capex, running costs and interest (testdata/money.yaml has no
// energy price and no starting state, so running costs are operations
// on the MW online). Cash never falls below the reserve, and debt stays
// within the facilities' limits ($2B debt plus a $1B lease).
func TestMoneyBooksBalance(t *testing.T) {
	m := loadModel(t, "testdata/money.yaml")
	pl, err := plan.Solve(t.Context(), m, plan.Options{Period: plan.Month}, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Finance
	cash, debt, online := f.Cash, 0.0, 0.0
	for i, p := range pl.Periods {
		nw := float64(m.Weeks - p.Week)
		if i+1 < len(pl.Periods) {
			nw = float64(pl.Periods[i+1].Week - p.Week)
		}
		online += p.OnlineMW
		want := cash + p.RevenueUSD + p.EquityUSD + (p.DebtUSD - debt) - p.CapexUSD - f.OpsPerMWWeek*nw*online - p.InterestUSD
		if math.Abs(p.CashUSD-want) > 1e-6*math.Max(1e9, math.Abs(want)) {
			t.Fatalf("%s: cash $%.0f, want $%.0f from the flows", p.Label, p.CashUSD, want)
		}
		if p.CashUSD < p.ReserveUSD-1 {
			t.Errorf("%s: cash $%.0f below the reserve $%.0f", p.Label, p.CashUSD, p.ReserveUSD)
		}
		if p.DebtUSD > 3e9+1 {
			t.Errorf("%s: $%.0f owed, above the $3B the facilities lend", p.Label, p.DebtUSD)
		}
		cash, debt = p.CashUSD, p.DebtUSD
	}
	if debt == 0 || pl.InterestUSD <= 0 {
		t.Errorf("the plan borrowed nothing (debt $%.0f, interest $%.0f): the test checks nothing", debt, pl.InterestUSD)
	}
}
