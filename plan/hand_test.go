package plan_test

import (
	"math"
	"testing"
	"time"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/sim"
)

// handModel is one supply line "widget" (1 per MW, lead time 3 weeks, $100
// each, 10 a week, no growth) feeding one 2-week stage, over 20 weeks, with
// a flat target of rate MW/week. A MW online in week w needs its widget in
// week w−2, ordered in week w−5: nothing can be online before week 5.
func handModel(rate float64) *sim.Model {
	return &sim.Model{
		Name: "hand", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Weeks: 20,
		TargetMWpw: rate, InitialMWpw: rate, SizeMW: 1, PUE: 1, Capital: -1,
		Stages:      []sim.Stage{{Name: "build", Weeks: 2, Needs: []sim.Need{{Line: 1, Amount: 1, Basis: sim.PerMW}}}},
		Generations: []sim.Generation{{Name: "g", KWPerAccelerator: 1, PerRack: 1}},
		Lines: []sim.Line{
			{Name: "accelerators", Kind: sim.Accelerator, Unit: "accelerator", WeeklyGrowth: 1, Share: 1},
			{Name: "widget", Kind: sim.Material, Unit: "widget", Capacity: 10, WeeklyGrowth: 1, Share: 1, LeadWeeks: 3, UnitCostUSD: 100},
		},
		Accel: 0,
	}
}

var weekly = plan.Options{Period: plan.Week, DiscountRate: -1, ShortfallPenalty: 1e6}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %g, want %g", what, got, want)
	}
}

// A target of 10 MW/week is just reachable from week 5 (the lead time plus
// the stage): the plan meets it exactly, at $100 per MW, and the five
// weeks before are short by 10 MW each.
func TestHandJustReachable(t *testing.T) {
	pl, err := plan.Solve(t.Context(), handModel(10), weekly, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	if pl.CriticalWeeks != 2 {
		t.Errorf("start to online %d weeks, want 2", pl.CriticalWeeks)
	}
	for _, p := range pl.Periods {
		want := 10.0
		if p.Week < 5 {
			want = 0
		}
		near(t, "online in week "+p.Label, p.OnlineMW, want)
		near(t, "shortfall in week "+p.Label, p.ShortfallMW, 10-want)
		if p.Week < 3 || p.Week >= 18 {
			near(t, "started in week "+p.Label, p.StartedMW, 0)
		} else {
			near(t, "started in week "+p.Label, p.StartedMW, 10)
		}
	}
	near(t, "shortfall", pl.ShortfallMW, 50)
	near(t, "capex", pl.CapexUSD, 15*10*100)
	near(t, "objective", pl.ObjectiveUSD, 15000+50*1e6)
}

// 12 MW/week cannot be met: 12 short in weeks 0–4, 2 short in weeks 5–19,
// 90 MW in all; one more widget a week in a week that binds saves the
// penalty less the widget's $100.
func TestHandUnreachable(t *testing.T) {
	pl, err := plan.Solve(t.Context(), handModel(12), weekly, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shortfall", pl.ShortfallMW, 5*12+15*2)
	near(t, "capex", pl.CapexUSD, 15*10*100)
	if len(pl.ShadowPrices) != 15 {
		t.Fatalf("%d shadow prices, want 15 (weeks 3–17 of widget)", len(pl.ShadowPrices))
	}
	for _, sp := range pl.ShadowPrices {
		if sp.Line != "widget" {
			t.Errorf("shadow price on %s", sp.Line)
		}
		near(t, "saves in "+sp.Period, sp.SavesUSD, 1e6-100)
	}
	t.Log(pl.ShadowPrices[0].Text)
}

// With expansion at $1,000 per widget/week, arriving at once, the plan
// adds exactly 2 widgets/week by week 3 (the first week a widget is used)
// and meets 12 MW/week from week 5: 2 × $1,000 + 15 × 12 × $100.
func TestHandExpansion(t *testing.T) {
	m := handModel(12)
	m.Expand = true
	m.Lines[1].ExpansionCostUSD = 1000
	m.Lines[1].MaxGrowth = 1000
	pl, err := plan.Solve(t.Context(), m, weekly, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shortfall", pl.ShortfallMW, 5*12)
	near(t, "capex", pl.CapexUSD, 2*1000+15*12*100)
	added := 0.0
	for _, e := range pl.Expansions {
		if e.OnlineWeek > 3 {
			t.Errorf("expansion online in week %d, after week 3 when it is first needed", e.OnlineWeek)
		}
		added += e.PerWeek
	}
	near(t, "widgets/week added", added, 2)
}

// A shadow price equal to a marginal capex, no shortfall involved: power
// comes from "gizmo" ($50/MW, 9 MW a week) and "gizmo2" ($70/MW, plenty).
// The cheap source binds in every week it is used (3–17), and one more MW
// of it a week saves $70 − $50 = $20.
func TestHandShadowPriceIsMarginalCost(t *testing.T) {
	m := handModel(10)
	m.Lines = append(m.Lines,
		sim.Line{Name: "gizmo", Kind: sim.Power, Unit: "MW", Capacity: 9, WeeklyGrowth: 1, Share: 1, LeadWeeks: 0, UnitCostUSD: 50, MaxMix: 1},
		sim.Line{Name: "gizmo2", Kind: sim.Power, Unit: "MW", Capacity: 1000, WeeklyGrowth: 1, Share: 1, LeadWeeks: 0, UnitCostUSD: 70, MaxMix: 1},
	)
	m.PowerLines = []int{2, 3}
	m.Stages[0].SecuresPower = true
	pl, err := plan.Solve(t.Context(), m, weekly, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shortfall", pl.ShortfallMW, 50)
	near(t, "capex", pl.CapexUSD, 15*(10*100+9*50+1*70))
	n := 0
	for _, sp := range pl.ShadowPrices {
		if sp.Line == "gizmo" {
			n++
			near(t, "gizmo saves in "+sp.Period, sp.SavesUSD, 20)
		}
	}
	if n != 15 {
		t.Errorf("%d gizmo shadow prices, want 15", n)
	}
}

// Whole projects of 3 MW against 10 widgets a week: the LP meets 10 MW a
// week from week 5, the MIP only 9 (three projects), so it is short by
// 5 × 10 + 15 × 1 = 65 MW where the LP relaxation is short by 50.
func TestHandMIPWholeProjects(t *testing.T) {
	m := handModel(10)
	m.SizeMW = 3
	opt := weekly
	opt.Integer = true
	pl, err := plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shortfall", pl.ShortfallMW, 65)
	near(t, "capex", pl.CapexUSD, 15*9*100)
	near(t, "gap", pl.Gap, 0)
	for _, p := range pl.Periods {
		if r := math.Mod(p.OnlineMW+1e-9, 3); r > 1e-6 {
			t.Errorf("week %s: %g MW online, not whole 3 MW projects", p.Label, p.OnlineMW)
		}
	}
}

// Expansions in blocks of 5 widgets/week: the LP relaxation would fund
// 0.4 of a block (+2/week, as in TestHandExpansion); the MIP funds one
// whole block, +5/week for $5,000, and meets 12 MW/week from week 5.
func TestHandMIPExpansionBlock(t *testing.T) {
	m := handModel(12)
	m.Expand = true
	m.Lines[1].ExpansionCostUSD = 1000
	m.Lines[1].MaxGrowth = 1000
	opt := weekly
	opt.ExpansionBlocks = map[string]float64{"widget": 5}
	pl, err := plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shortfall", pl.ShortfallMW, 5*12)
	near(t, "capex", pl.CapexUSD, 5*1000+15*12*100)
	added := 0.0
	for _, e := range pl.Expansions {
		added += e.PerWeek
	}
	near(t, "widgets/week added", added, 5)
	near(t, "gap", pl.Gap, 0)
}

// Money binds: the widget costs $100M (one per MW, so a MW costs $100M,
// paid when the stage starts), cash is $100M and equity $100M a year (one
// year begins in these 20 weeks), no debt, no revenue, 1 MW/week wanted.
// The plan funds exactly $200M / $100M = 2 MW and is short the other 18.
// One more dollar of financing buys 1e-8 MW, saving the penalty less its
// capex: (1e9 − 1e8) × 1e-8 = $9 per $. A dollar more cash at the start
// relaxes every period's cash floor at once, so their duals sum to 9 (how
// they split across the periods is degenerate).
func TestHandMoneyBinds(t *testing.T) {
	m := handModel(1)
	m.Lines[1].UnitCostUSD = 100e6
	m.Finance = &sim.Finance{Cash: 100e6, EquityPerYear: 100e6, RevenueDecline: 1, Utilisation: 1}
	opt := weekly
	opt.ShortfallPenalty = 1e9
	pl, err := plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Capital {
		t.Error("capital not in the model")
	}
	near(t, "shortfall", pl.ShortfallMW, 18)
	near(t, "capex", pl.CapexUSD, 200e6)
	sum := 0.0
	for _, sp := range pl.ShadowPrices {
		if sp.Line == sim.CapitalLine {
			sum += sp.SavesUSD
		}
	}
	near(t, "funding shadow prices summed", sum, 9)
	last := pl.Periods[len(pl.Periods)-1]
	near(t, "cash at the end (all of it spent)", last.CashUSD, 0)
	equity := 0.0
	for _, p := range pl.Periods {
		equity += p.EquityUSD
	}
	near(t, "equity raised (the year's allowance)", equity, 100e6)
	t.Log(pl.ShadowPrices[0].Text)

	// Without the funding rows the target is met from week 5, as in
	// TestHandJustReachable: 15 MW at $100M.
	opt.NoFinance = true
	pl, err = plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	if pl.Capital {
		t.Error("capital in the model with NoFinance")
	}
	near(t, "shortfall without finance", pl.ShortfallMW, 5)
	near(t, "capex without finance", pl.CapexUSD, 15*100e6)
}

// Revenue funds more: as above, but each MW online earns $10M a week and
// costs $2M a week to run (net $8M). MW online in week w is paid in week
// w−2 (the stage) and earns from week w, so its surplus funds later MW.
// The test checks that the plan funds more than without revenue, less
// than the 15 MW the widgets allow, and never takes cash below zero.
func TestHandRevenueFundsMore(t *testing.T) {
	m := handModel(1)
	m.Lines[1].UnitCostUSD = 100e6
	m.Finance = &sim.Finance{Cash: 100e6, EquityPerYear: 100e6, RevenueDecline: 1, Utilisation: 1, RevenuePerMWWeek: 10e6, OpsPerMWWeek: 2e6}
	opt := weekly
	opt.ShortfallPenalty = 1e9
	pl, err := plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	if pl.ShortfallMW > 18-1e-6 || pl.ShortfallMW < 5+1e-6 {
		t.Errorf("shortfall %g MW with revenue, want between 5 and 18", pl.ShortfallMW)
	}
	t.Logf("shortfall %g MW", pl.ShortfallMW)
	for _, p := range pl.Periods {
		if p.CashUSD < -1 {
			t.Errorf("week %s: cash %g below zero", p.Label, p.CashUSD)
		}
	}
}

// The value of a shorter lead time, by re-solving: in handModel(10) the
// widget's 3-week lead time keeps anything from coming online before week
// 5, so weeks 0–4 are short 10 MW each. With weekly periods one week less
// (2 weeks) lets week 4's 10 MW come online, their widgets used in week 2
// (10 a week: exactly the supply); that avoids 10 MW × $1M of penalty
// and costs 10 widgets × $100: it saves $10,000,000 − $1,000 = $9,999,000.
func TestHandLeadTimeValue(t *testing.T) {
	m := handModel(10)
	s := solver(t)
	pl, err := plan.Solve(t.Context(), m, weekly, s)
	if err != nil {
		t.Fatal(err)
	}
	vals, _, err := plan.ValueLeadTimes(t.Context(), m, weekly, s, pl)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 1 || vals[0].Line != "widget" || vals[0].Queue {
		t.Fatalf("lead-time values %+v, want one, for widget", vals)
	}
	v := vals[0]
	if v.LeadWeeks != 3 || v.ShorterWeeks != 1 {
		t.Errorf("lead %d weeks, shorter by %d, want 3 and 1", v.LeadWeeks, v.ShorterWeeks)
	}
	near(t, "saves", v.SavesUSD, 10*1e6-10*100)
	near(t, "saves per week", v.SavesUSDPerWeek, 10*1e6-10*100)
	near(t, "shortfall avoided", v.ShortfallMW, (10*1e6-10*100)/1e6)
	if m.Lines[1].LeadWeeks != 3 {
		t.Errorf("the model's lead time was changed to %d", m.Lines[1].LeadWeeks)
	}
	t.Log(v.Text)
}

// Candidates: a lead time shorter than a period is not re-solved (the
// widget's 3 weeks with 4-week months); power sources are, by their queue
// (gizmo, 6 weeks); a line with no lead time never is.
func TestLeadTimeCandidates(t *testing.T) {
	m := handModel(10)
	m.Lines = append(m.Lines,
		sim.Line{Name: "gizmo", Kind: sim.Power, Unit: "MW", Capacity: 9, WeeklyGrowth: 1, Share: 1, LeadWeeks: 6, MaxMix: 1},
		sim.Line{Name: "gizmo2", Kind: sim.Power, Unit: "MW", Capacity: 9, WeeklyGrowth: 1, Share: 1, MaxMix: 1},
	)
	m.PowerLines = []int{2, 3}
	m.Stages[0].SecuresPower = true
	names := func(ls []int) (out []string) {
		for _, l := range ls {
			out = append(out, m.Lines[l].Name)
		}
		return out
	}
	if got := names(plan.LeadTimeCandidates(m, plan.Week)); len(got) != 2 || got[0] != "gizmo" || got[1] != "widget" {
		t.Errorf("weekly candidates %v, want [gizmo widget]", got)
	}
	if got := names(plan.LeadTimeCandidates(m, plan.Month)); len(got) != 1 || got[0] != "gizmo" {
		t.Errorf("monthly candidates %v, want [gizmo]", got)
	}
}

// Lumpy expansions from the scenario's expansion steps: with the widget
// line's step of 5 widgets/week, Options.Lumpy funds the same whole block
// as TestHandMIPExpansionBlock's explicit block, and the plan names it.
func TestHandMIPExpansionSteps(t *testing.T) {
	m := handModel(12)
	m.Expand = true
	m.Lines[1].ExpansionCostUSD = 1000
	m.Lines[1].MaxGrowth = 1000
	m.Lines[1].ExpansionStep = 5
	opt := weekly
	opt.Lumpy = true
	pl, err := plan.Solve(t.Context(), m, opt, solver(t))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "shortfall", pl.ShortfallMW, 5*12)
	added := 0.0
	for _, e := range pl.Expansions {
		added += e.PerWeek
	}
	near(t, "widgets/week added", added, 5)
	if b := pl.ExpansionBlocks["widget"]; b != 5 || len(pl.ExpansionBlocks) != 1 {
		t.Errorf("expansion blocks %v, want widget 5", pl.ExpansionBlocks)
	}
}
