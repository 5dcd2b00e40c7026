package sim

import (
	"math"
	"testing"
)

// A loan's schedule: $100M drawn in week 0 over a 10-week tenor at 10% a
// year is repaid $10M a week in weeks 1–10, with interest each week on
// what is outstanding at its start.
func TestLoanSchedule(t *testing.T) {
	rate := 0.10
	fm := &Finance{Debt: Facility{Limit: 100e6, WeeklyRate: math.Pow(1+rate, 1/(365.2425/7)) - 1, TenorWeeks: 10}, Cash: 1e9}
	m := &Model{Weeks: 20, Finance: fm, Capital: -1}
	s := &State{m: m}
	s.initMoney()
	s.draw(debt, 100e6)
	outstanding := 100e6
	for w := 0; w < 20; w++ {
		s.week = w
		s.money.resetWeek()
		s.settleWeek()
		wantInterest := outstanding * fm.Debt.WeeklyRate
		wantPrincipal := 0.0
		if w >= 1 && w <= 10 {
			wantPrincipal = 10e6
		}
		if math.Abs(s.money.interest-wantInterest) > 1e-6 || math.Abs(s.money.principal-wantPrincipal) > 1e-6 {
			t.Fatalf("week %d: interest %.4f principal %.4f, want %.4f and %.4f", w, s.money.interest, s.money.principal, wantInterest, wantPrincipal)
		}
		outstanding -= wantPrincipal
		if math.Abs(s.money.fac[debt].outstanding-outstanding) > 1e-6 {
			t.Fatalf("week %d: outstanding %.4f, want %.4f", w, s.money.fac[debt].outstanding, outstanding)
		}
	}
	// Total interest over the loan: weekly rate × (100 + 100 + 90 + … + 10) M.
	if outstanding != 0 {
		t.Errorf("loan not repaid: %.2f outstanding", outstanding)
	}
}
