package plan

import (
	"fmt"
	"math"

	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// What may finance a capex payment besides the funding row.
const (
	fNone   = iota // cash, equity, debt
	fVendor        // accelerators: vendor.share of them, up to vendor.limit
	fLease         // capex items: lease.share of them, up to lease.limit
)

const hoursPerWeek = 24 * 7

// facility is a lender of a share of some capex (vendor, lease).
type facility struct {
	name         string
	share, limit float64
	kind         int
	paid         [][]lp.Term // per period: the capex it may cover
	max          float64     // reading a solution: the most drawn so far
}

// payment is capex per MW online, paid in a period.
type payment struct {
	period int
	usd    float64
	kind   int
}

// addFinance adds the capital rows. Per period p:
//
//	cum_p  = cum_{p-1} + online_p                       (MW online by p)
//	energy_p = energy_{p-1} + Σ_k 168 h × price_k × power_k_p  ($/week)
//	need_p = need_{p-1} + capex paid in p (undiscounted)
//	         − (revenue − operations per MW over p's weeks) × cum_p
//	         + weeks(p) × energy_p
//	need_p − vendor_p − lease_p − multiple × annual revenue × cum_p
//	       ≤ cash + equity.per_year × years begun by the end of p + debt.limit
//
// vendor_p and lease_p are cumulative draws: each period's draw is at most
// the facility's share of the capex it covers, the total at most its limit.
// Revenue ramps over ramp weeks; it is counted in full half a ramp after
// online (cum of that period). Interest, repayments and deposits are left
// out. With a starting state, the funding is less the debt outstanding at
// the start and more the debt's revenue multiple × the committed
// annualised revenue, and the row's right-hand side is less the committed
// pipeline's net spend through p (capex paid in cash and running costs
// less revenue, the fleet's run-rate included, all from its simulation),
// but never below 0: if the pipeline alone overdraws the funding, the plan
// funds nothing more then. (A constant in the funding row rather than in
// need_p: cbc's presolve misjudged the balance rows with constants.)
func (pr *Problem) addFinance(paid [3][][]lp.Term) {
	f, L := pr.M.Finance, pr.LP
	np := len(pr.online)
	inf := math.Inf(1)
	fr := &finRows{need: make([]int, np), fund: make([]int, np), rhs: make([]float64, np), committed: make([]float64, np), multi: make([]float64, np), cum: make([]int, np), earn: make([]int, np)}
	pr.fin = fr
	var facs []facility
	for _, x := range []facility{{"vendor", f.Vendor.Share, f.Vendor.Limit, fVendor, nil, 0}, {"lease", f.Lease.Share, f.Lease.Limit, fLease, nil, 0}} {
		if x.share > 0 && x.limit > 0 {
			x.paid = paid[x.kind]
			facs = append(facs, x)
		}
	}
	fr.facs = facs
	energy := -1
	committed := 0.0 // the committed pipeline's net spend so far
	prevNeed, prevCum := -1, -1
	prev := make([]int, len(facs))
	for i := range prev {
		prev[i] = -1
	}
	for p := range np {
		nw := float64(pr.Begin[p+1] - pr.Begin[p])
		// MW online by p.
		c := L.AddVar(fmt.Sprintf("cum_online_p%d", p), 0, inf, 0)
		t := []lp.Term{{Var: c, Coef: 1}, {Var: pr.online[p], Coef: -1}}
		if prevCum >= 0 {
			t = append(t, lp.Term{Var: prevCum, Coef: -1})
		}
		L.AddRow(fmt.Sprintf("acc_online_p%d", p), lp.EQ, 0, t...)
		prevCum, fr.cum[p] = c, c
		// Energy bill per week of what is online by p.
		var et []lp.Term
		for k, v := range pr.power[p] {
			if v >= 0 && k < len(f.EnergyPerMWh) && f.EnergyPerMWh[k] != 0 {
				et = append(et, lp.Term{Var: v, Coef: -hoursPerWeek * f.EnergyPerMWh[k]})
			}
		}
		if len(et) > 0 || energy >= 0 {
			e := L.AddVar(fmt.Sprintf("energy_usd_pw_p%d", p), 0, inf, 0)
			et = append(et, lp.Term{Var: e, Coef: 1})
			if energy >= 0 {
				et = append(et, lp.Term{Var: energy, Coef: -1})
			}
			L.AddRow(fmt.Sprintf("acc_energy_p%d", p), lp.EQ, 0, et...)
			energy = e
		}
		// Net cumulative need.
		rev := 0.0
		for w := pr.Begin[p]; w < pr.Begin[p+1]; w++ {
			rev += f.RevenuePerMWWeek * math.Pow(f.RevenueDecline, float64(w)) * f.Utilisation
		}
		n := L.AddVar(fmt.Sprintf("need_p%d", p), -inf, inf, 0)
		bt := []lp.Term{{Var: n, Coef: 1}}
		if prevNeed >= 0 {
			bt = append(bt, lp.Term{Var: prevNeed, Coef: -1})
		}
		for k := range paid {
			for _, x := range paid[k][p] {
				bt = append(bt, lp.Term{Var: x.Var, Coef: -x.Coef})
			}
		}
		// Revenue ramps linearly over ramp weeks: counted in full half a
		// ramp late (the same total once ramped).
		earning := -1
		if q := periodIndex(pr.Begin, pr.Begin[p]-f.RampWeeks/2); q >= 0 {
			earning = fr.cum[q]
		}
		fr.earn[p] = earning
		if earning == c {
			if net := rev - f.OpsPerMWWeek*nw; net != 0 {
				bt = append(bt, lp.Term{Var: c, Coef: net})
			}
		} else {
			if earning >= 0 && rev != 0 {
				bt = append(bt, lp.Term{Var: earning, Coef: rev})
			}
			if f.OpsPerMWWeek != 0 {
				bt = append(bt, lp.Term{Var: c, Coef: -f.OpsPerMWWeek * nw})
			}
		}
		if energy >= 0 {
			bt = append(bt, lp.Term{Var: energy, Coef: -nw})
		}
		L.AddRow(fmt.Sprintf("balance_p%d", p), lp.EQ, 0, bt...)
		prevNeed, fr.need[p] = n, n
		// Funding.
		years := float64(sim.EquityYear(pr.Begin[p+1]-1) + 1)
		fr.rhs[p] = f.Cash + f.EquityPerYear*years + f.Debt.Limit
		room := fr.rhs[p]
		if pr.cm != nil {
			// Debt outstanding at the start uses the facility's limit;
			// the committed revenue raises it by the revenue multiple.
			fr.rhs[p] += f.Debt.RevenueMultiple*pr.cm.annualRevenue[p] - pr.committed.DebtUSD
			// The committed pipeline's net spend so far comes first; what
			// is left (never less than nothing) funds the plan.
			committed += pr.cm.net[p]
			fr.committed[p] = committed
			room = max(0, fr.rhs[p]-committed)
		}
		fr.multi[p] = f.Debt.RevenueMultiple * units.WeeksPerYear * f.RevenuePerMWWeek * math.Pow(f.RevenueDecline, float64(pr.Begin[p])) * f.Utilisation
		ft := []lp.Term{{Var: n, Coef: 1}}
		if fr.multi[p] != 0 && earning >= 0 {
			ft = append(ft, lp.Term{Var: earning, Coef: -fr.multi[p]})
		}
		for i, x := range facs {
			d := L.AddVar(fmt.Sprintf("%s_drawn_p%d", x.name, p), 0, x.limit, 0)
			dt := []lp.Term{{Var: d, Coef: 1}}
			if prev[i] >= 0 {
				dt = append(dt, lp.Term{Var: prev[i], Coef: -1})
			}
			for _, y := range paid[x.kind][p] {
				dt = append(dt, lp.Term{Var: y.Var, Coef: -x.share * y.Coef})
			}
			L.AddRow(fmt.Sprintf("%s_share_p%d", x.name, p), lp.LE, 0, dt...)
			prev[i] = d
			ft = append(ft, lp.Term{Var: d, Coef: -1})
		}
		fr.fund[p] = L.AddRow(fmt.Sprintf("funding_p%d", p), lp.LE, room, ft...)
	}
}
