package plan

import (
	"fmt"
	"math"
	"slices"

	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// What may finance a capex payment besides cash: indices of
// sim.Finance.Facilities, which the payments' kinds share.
const (
	fNone   = sim.DebtKind   // cash (equity, debt, revenue)
	fVendor = sim.VendorKind // accelerators: vendor.share of them
	fLease  = sim.LeaseKind  // capex items: lease.share of them
)

// bn is the unit of money in the funding rows: a billion dollars, so the
// rows' coefficients stay within a few orders of 1 (a MW's capex is
// about 0.04, a week's revenue per MW about 0.0002) and the solvers see a
// well-conditioned model. The objective stays in dollars.
const bn = 1e9

// payment is capex per unit of a variable (MW online, grid MW), paid in a
// period, and what may finance it.
type payment struct {
	period int
	usd    float64
	kind   int
	week   int // when it is paid (for discounting)
}

// lender is a facility in the model: debt (any purpose), or vendor and
// lease (a share of the capex they cover). Per period: cumulative draws
// and outstanding principal, both in bn.
type lender struct {
	name  string
	kind  int
	f     *sim.Facility
	paid  [][]lp.Term // vendor and lease: per period, the capex ($) they may cover
	drawn []int       // var: cumulative draws by the end of p
	out   []int       // var: outstanding at the end of p (the plan's own draws)
	limit []int       // row: outstanding within the limit (-1: none)
}

// finRows are the capital side of the model (see addFinance), per money
// period: supply periods grouped to at least minMoneyWeeks weeks.
type finRows struct {
	fb      []int   // first week of each money period, and the horizon
	members [][]int // the supply periods of each money period
	cum     []int   // var: MW online by p
	energy  []int   // var: energy bill per week of what is online by p (bn), or -1
	rev     []int   // var: revenue in p of the plan's MW (bn)
	cash    []int   // var: the plan's cash at the end of p, net of the committed pipeline's (bn)
	equity  [][]int
	floor   []int // row: cash at least the reserve (capital's shadow price)
	facs    []lender
	// The committed pipeline's money (its simulation, or the scenario's
	// cash when it has no starting state), per period in dollars: cash at
	// the end, the reserve it needs then, equity raised per year, and its
	// annualised revenue (for the facilities' revenue multiples).
	committedCash, committedReserve []float64
	committedEquity                 map[int]float64
	// interest is, per facility var, its coefficient in the objective:
	// the discounted interest paid on it (kept apart from capex).
	interest map[int]bool
}

// minMoneyWeeks is the shortest money period: weekly plans sum their money
// over four or five weeks (money is smooth; weekly rows of it made the
// weekly LP ten times slower to solve, for nothing a week would show).
const minMoneyWeeks = 4

// moneyPeriods groups the supply periods beginning at begin (begin[len]
// is the horizon) into money periods of at least minMoneyWeeks weeks (a
// short tail joins the last): their first weeks with the horizon, and
// their members.
func moneyPeriods(begin []int) ([]int, [][]int) {
	fb := []int{begin[0]}
	var members [][]int
	var cur []int
	for q := 0; q+1 < len(begin); q++ {
		cur = append(cur, q)
		if begin[q+1]-fb[len(fb)-1] >= minMoneyWeeks {
			members = append(members, cur)
			fb = append(fb, begin[q+1])
			cur = nil
		}
	}
	if len(cur) > 0 {
		if len(members) == 0 {
			members = append(members, cur)
			fb = append(fb, begin[len(begin)-1])
		} else {
			members[len(members)-1] = append(members[len(members)-1], cur...)
			fb[len(fb)-1] = begin[len(begin)-1]
		}
	}
	return fb, members
}

// nw is the length of money period f in weeks.
func (fr *finRows) nw(f int) float64 { return float64(fr.fb[f+1] - fr.fb[f]) }

// last is the last supply period of money period f.
func (fr *finRows) last(f int) int { return fr.members[f][len(fr.members[f])-1] }

// addFinance adds the capital rows: the money the simulation moves week
// by week (sim/money.go), summed per money period (moneyPeriods: the
// supply periods, or for weekly plans four or five weeks of them), for
// what the plan adds on top of the committed pipeline. Money is in bn.
// Per money period p of nw weeks:
//
//	cash_p = cash_{p-1} + revenue_p + equity_p + Σ_f (drawn_f,p − drawn_f,p-1)
//	         − capex paid in p − operations × nw × cum_p − nw × energy_p
//	         − Σ_f (interest_f,p + principal_f,p)
//	cash_p − reserve weeks × (operations × cum_p + energy_p)
//	         ≥ min(0, committed reserve_p − committed cash_p)
//	out_f,p = out_f,p-1 + drawn_f,p − drawn_f,p-1 − principal_f,p
//	out_f,p ≤ limit_f + multiple_f × annual revenue_p − committed out_f,p
//	drawn_f,p − drawn_f,p-1 ≥ 0, and ≤ share_f × capex it covers in p
//	Σ equity in year y ≤ equity per year − committed equity in y
//
// Revenue is what each period's new MW earns as it ramps (RampShare) at
// the week's price (PriceFactor, RevenuePerMW). Principal is the
// facility's Instalment of what was drawn one to tenor weeks before each
// week, and interest its Interest on what is outstanding each week, with
// draws spread evenly over their period (cumulative draws and
// outstanding interpolated within it). Interest is in the objective,
// discounted, as a cost of its own. The committed pipeline (the starting
// state simulated alone: its capex, running costs, revenue, interest and
// repayments, and the equity and debt it raised) is in the right-hand
// sides; with nothing new the plan's own money is all zero, so the model
// stays feasible even when the committed pipeline overdraws.
func (pr *Problem) addFinance(paid [3][][]lp.Term) {
	f, L := pr.M.Finance, pr.LP
	inf := math.Inf(1)
	fb, members := moneyPeriods(pr.Begin)
	np := len(members)
	fr := &finRows{fb: fb, members: members, cum: make([]int, np), energy: make([]int, np), rev: make([]int, np), cash: make([]int, np), equity: make([][]int, np), floor: make([]int, np), interest: map[int]bool{}}
	pr.fin = fr
	pr.equityRow = map[int]int{}
	pr.committedMoney(fr)
	for k, fc := range f.Facilities() {
		if !fc.Lends() || fc.TenorWeeks <= 0 {
			continue
		}
		if k != sim.DebtKind && fc.Share <= 0 {
			continue
		}
		fr.facs = append(fr.facs, lender{name: [3]string{"debt", "vendor", "lease"}[k], kind: k, f: fc, paid: paid[k]})
	}
	energy := -1
	for p := range np {
		nw := fr.nw(p)
		// MW online by p.
		c := L.AddVar(fmt.Sprintf("cum_online_p%d", p), 0, inf, 0)
		t := []lp.Term{{Var: c, Coef: 1}}
		for _, q := range members[p] {
			t = append(t, lp.Term{Var: pr.online[q], Coef: -1})
		}
		if p > 0 {
			t = append(t, lp.Term{Var: fr.cum[p-1], Coef: -1})
		}
		L.AddRow(fmt.Sprintf("acc_online_p%d", p), lp.EQ, 0, t...)
		fr.cum[p] = c
		energy = pr.addEnergy(p, energy)
		fr.energy[p] = energy
		pr.addRevenue(p)
		for i := range fr.facs {
			pr.addLender(&fr.facs[i], p)
		}
		pr.addEquity(p)
		pr.addCash(p, paid, nw)
	}
}

// addEnergy adds the energy bill per week of what is online by p (bn),
// accumulated from the previous period's; it returns its variable (or
// prev when no power source has a price).
func (pr *Problem) addEnergy(p, prev int) int {
	f, L := pr.M.Finance, pr.LP
	var et []lp.Term
	for _, q := range pr.fin.members[p] {
		for k, v := range pr.power[q] {
			if v >= 0 && k < len(f.EnergyPerMWh) && f.EnergyPerMWh[k] != 0 {
				et = append(et, lp.Term{Var: v, Coef: -f.EnergyPerWeek(k, 1) / bn})
			}
		}
	}
	if len(et) == 0 && prev < 0 {
		return -1
	}
	e := L.AddVar(fmt.Sprintf("energy_bn_pw_p%d", p), 0, math.Inf(1), 0)
	et = append(et, lp.Term{Var: e, Coef: 1})
	if prev >= 0 {
		et = append(et, lp.Term{Var: prev, Coef: -1})
	}
	L.AddRow(fmt.Sprintf("acc_energy_p%d", p), lp.EQ, 0, et...)
	return e
}

// addRevenue adds the revenue of period p from the MW the plan brings
// online (bn): each period's MW come online in its first week and ramp
// (RampShare) at each week's price; MW fully ramped before p are taken
// together through the cumulative MW online.
func (pr *Problem) addRevenue(p int) {
	f, fr, L := pr.M.Finance, pr.fin, pr.LP
	coef := map[int]float64{}
	full := 0.0
	for w := fr.fb[p]; w < fr.fb[p+1]; w++ {
		full += f.RevenuePerMW(f.PriceFactor(w))
	}
	// The last money period whose MW are all fully ramped through p.
	g := -1
	for h := p; h >= 0; h-- {
		if pr.Begin[fr.last(h)]+f.RampWeeks <= fr.fb[p] {
			g = h
			break
		}
	}
	if g >= 0 && full != 0 {
		coef[fr.cum[g]] -= full / bn
	}
	for h := g + 1; h <= p; h++ {
		for _, q := range fr.members[h] {
			c := 0.0
			for w := max(fr.fb[p], pr.Begin[q]); w < fr.fb[p+1]; w++ {
				c += f.RevenuePerMW(f.PriceFactor(w)) * f.RampShare(w-pr.Begin[q])
			}
			if c != 0 {
				coef[pr.online[q]] -= c / bn
			}
		}
	}
	r := L.AddVar(fmt.Sprintf("revenue_bn_p%d", p), 0, math.Inf(1), 0)
	coef[r] = 1
	L.AddRow(fmt.Sprintf("revenue_p%d", p), lp.EQ, 0, sortedTerms(coef)...)
	fr.rev[p] = r
}

// addLender adds facility x's draws, outstanding and limit in period p.
func (pr *Problem) addLender(x *lender, p int) {
	L, f := pr.LP, x.f
	inf := math.Inf(1)
	d := L.AddVar(fmt.Sprintf("%s_drawn_bn_p%d", x.name, p), 0, inf, 0)
	o := L.AddVar(fmt.Sprintf("%s_out_bn_p%d", x.name, p), 0, inf, 0)
	x.drawn, x.out = append(x.drawn, d), append(x.out, o)
	// Draws never fall; vendor and lease lend at most their share of the
	// capex they cover.
	dt := []lp.Term{{Var: d, Coef: 1}}
	if p > 0 {
		dt = append(dt, lp.Term{Var: x.drawn[p-1], Coef: -1})
	}
	L.AddRow(fmt.Sprintf("%s_draw_p%d", x.name, p), lp.GE, 0, dt...)
	if x.kind != sim.DebtKind {
		st := slices.Clone(dt)
		for _, q := range pr.fin.members[p] {
			for _, y := range x.paid[q] {
				st = append(st, lp.Term{Var: y.Var, Coef: -f.Share * y.Coef / bn})
			}
		}
		L.AddRow(fmt.Sprintf("%s_share_p%d", x.name, p), lp.LE, 0, st...)
	}
	// Outstanding: last period's, plus draws, less principal. Principal in
	// week w is the instalment of what was drawn in weeks w−tenor … w−1.
	ot := map[int]float64{o: 1, d: -1}
	if p > 0 {
		ot[x.out[p-1]] -= 1
		ot[x.drawn[p-1]] += 1
	}
	pr.fin.addPrincipal(ot, x, p)
	L.AddRow(fmt.Sprintf("%s_out_p%d", x.name, p), lp.EQ, 0, sortedTerms(ot)...)
	// Within the limit and the revenue multiple, less what the committed
	// pipeline owes the facility.
	nw := pr.fin.nw(p)
	room := f.Limit
	if pr.cm != nil {
		q := pr.fin.last(p)
		room += f.RevenueMultiple*pr.cm.annualRevenue[q] - pr.cm.owed(x.kind, q)
	}
	lt := []lp.Term{{Var: o, Coef: 1}}
	if f.RevenueMultiple != 0 {
		lt = append(lt, lp.Term{Var: pr.fin.rev[p], Coef: -f.RevenueMultiple * units.WeeksPerYear / nw})
	}
	x.limit = append(x.limit, L.AddRow(fmt.Sprintf("%s_limit_p%d", x.name, p), lp.LE, max(0, room)/bn, lt...))
}

// interpolate adds coef × the value of chain (a variable per money
// period: its value at the period's end) at the end of week t to terms,
// linear within a period; 0 before week 0, the last period's beyond the
// horizon.
func (fr *finRows) interpolate(terms map[int]float64, chain []int, t int, coef float64) {
	if t < 0 {
		return
	}
	q := periodIndex(fr.fb, t)
	if q < 0 {
		q = len(fr.fb) - 2
		t = fr.fb[q+1] - 1
	}
	frac := float64(t-fr.fb[q]+1) / fr.nw(q)
	if q >= len(chain) {
		return // not added yet: only when t is beyond the period being built
	}
	terms[chain[q]] += coef * frac
	if q > 0 && frac < 1 {
		terms[chain[q-1]] += coef * (1 - frac)
	}
}

// addPrincipal adds to terms the principal facility x repays in money
// period p: in each week, its instalment of what was drawn one to tenor
// weeks before (cumulative draws interpolated within their periods).
func (fr *finRows) addPrincipal(terms map[int]float64, x *lender, p int) {
	for w := fr.fb[p]; w < fr.fb[p+1]; w++ {
		fr.interpolate(terms, x.drawn, w-1, x.f.Instalment(1))
		fr.interpolate(terms, x.drawn, w-1-x.f.TenorWeeks, -x.f.Instalment(1))
	}
}

// addInterest adds to terms the interest facility x charges in money
// period p: its weekly rate on what is outstanding each week.
func (fr *finRows) addInterest(terms map[int]float64, x *lender, p int) {
	for w := fr.fb[p]; w < fr.fb[p+1]; w++ {
		fr.interpolate(terms, x.out, w, x.f.Interest(1))
	}
}

// addEquity adds the equity the plan raises in period p, one variable per
// equity year p overlaps, each year's within the allowance less what the
// committed pipeline raised in it.
func (pr *Problem) addEquity(p int) {
	f, fr, L := pr.M.Finance, pr.fin, pr.LP
	if f.EquityPerYear <= 0 {
		return
	}
	for y := sim.EquityYear(fr.fb[p]); y <= sim.EquityYear(fr.fb[p+1]-1); y++ {
		room := max(0, f.EquityPerYear-fr.committedEquity[y]) / bn
		v := L.AddVar(fmt.Sprintf("equity_bn_p%d_y%d", p, y), 0, room, 0)
		fr.equity[p] = append(fr.equity[p], v)
		row, ok := pr.equityRow[y]
		if !ok {
			row = L.AddRow(fmt.Sprintf("equity_y%d", y), lp.LE, room)
			pr.equityRow[y] = row
		}
		L.Rows[row].Terms = append(L.Rows[row].Terms, lp.Term{Var: v, Coef: 1})
	}
}

// addCash adds money period p's cash balance, the cap on its equity and
// its cash floor.
func (pr *Problem) addCash(p int, paid [3][][]lp.Term, nw float64) {
	f, fr, L := pr.M.Finance, pr.fin, pr.LP
	c := L.AddVar(fmt.Sprintf("cash_bn_p%d", p), math.Inf(-1), math.Inf(1), 0)
	fr.cash[p] = c
	bt := map[int]float64{c: 1, fr.rev[p]: -1}
	if p > 0 {
		bt[fr.cash[p-1]] -= 1
	}
	for _, v := range fr.equity[p] {
		bt[v] -= 1
	}
	for k := range paid {
		for _, q := range fr.members[p] {
			for _, x := range paid[k][q] {
				bt[x.Var] += x.Coef / bn
			}
		}
	}
	if f.OpsPerMWWeek != 0 {
		bt[fr.cum[p]] += f.OpsPerMWWeek * nw / bn
	}
	if e := fr.energy[p]; e >= 0 {
		bt[e] += nw
	}
	mid := pr.df((fr.fb[p] + fr.fb[p+1]) / 2)
	for i := range fr.facs {
		x := &fr.facs[i]
		bt[x.drawn[p]] -= 1
		if p > 0 {
			bt[x.drawn[p-1]] += 1
		}
		// Principal: what the outstanding row takes off (instalments).
		fr.addPrincipal(bt, x, p)
		// Interest on what is outstanding each week, also a cost in the
		// objective (discounted at the period's middle).
		it := map[int]float64{}
		fr.addInterest(it, x, p)
		for v, k := range it {
			bt[v] += k
			L.Vars[v].Cost += k * bn * mid
			fr.interest[v] = true
		}
	}
	L.AddRow(fmt.Sprintf("cash_p%d", p), lp.EQ, 0, sortedTerms(bt)...)
	// Cash is spent before more is raised, as the simulation does: cash
	// held at the period's end costs a little more a week than the
	// dearest facility's interest, so the plan neither raises equity to
	// hold nor keeps revenue back to spare debt (a tie-break, reported
	// apart from capex and interest).
	L.Vars[c].Cost = pr.holdCost() * nw * bn * mid
	pr.addEquitySpent(p, bt)
	pr.addFloor(p)
}

// addEquitySpent limits the equity raised in money period p to what p
// spends (bt is p's cash balance row): equity pays for spending, not for
// cash to hold.
func (pr *Problem) addEquitySpent(p int, bt map[int]float64) {
	fr, L := pr.fin, pr.LP
	if len(fr.equity[p]) == 0 {
		return
	}
	et := map[int]float64{}
	for v, k := range bt {
		if v != fr.cash[p] && (p == 0 || v != fr.cash[p-1]) && v != fr.rev[p] && !slices.Contains(fr.equity[p], v) {
			et[v] = -k
		}
	}
	for _, x := range fr.facs {
		// Draws are not spending (principal, on the same variables, is).
		et[x.drawn[p]] -= 1
		if p > 0 {
			et[x.drawn[p-1]] += 1
		}
	}
	for _, v := range fr.equity[p] {
		et[v] = 1
	}
	L.AddRow(fmt.Sprintf("equity_spent_p%d", p), lp.LE, 0, sortedTerms(et)...)
}

// addFloor adds money period p's cash floor: the reserve on the plan's
// running costs, and the committed pipeline's shortfall below its own
// reserve not made worse.
func (pr *Problem) addFloor(p int) {
	f, fr, L := pr.M.Finance, pr.fin, pr.LP
	ft := []lp.Term{{Var: fr.cash[p], Coef: 1}}
	if r := f.Reserve(f.OpsPerMWWeek); r != 0 {
		ft = append(ft, lp.Term{Var: fr.cum[p], Coef: -r / bn})
	}
	if e := fr.energy[p]; e >= 0 && f.ReserveWeeks != 0 {
		ft = append(ft, lp.Term{Var: e, Coef: -f.Reserve(1)})
	}
	fr.floor[p] = L.AddRow(fmt.Sprintf("cash_floor_p%d", p), lp.GE, min(0, fr.committedReserve[p]-fr.committedCash[p])/bn, ft...)
}

// committedMoney fills in the committed pipeline's money per period: from
// its simulation when the scenario has a starting state, else the cash
// at the start and nothing else.
func (pr *Problem) committedMoney(fr *finRows) {
	f := pr.M.Finance
	np := len(fr.members)
	fr.committedCash, fr.committedReserve = make([]float64, np), make([]float64, np)
	fr.committedEquity = map[int]float64{}
	for p := range np {
		fr.committedCash[p] = f.Cash
	}
	if pr.cm == nil {
		return
	}
	for p := range np {
		q := fr.last(p)
		if q < len(pr.cm.cash) {
			fr.committedCash[p] = pr.cm.cash[q]
		}
		if q < len(pr.cm.runningPerWeek) {
			fr.committedReserve[p] = f.Reserve(pr.cm.runningPerWeek[q])
		}
	}
	for w, e := range pr.committed.EquityUSD {
		fr.committedEquity[sim.EquityYear(w)] += e
	}
}

// sortedTerms turns coefficients by variable into terms in variable
// order (deterministic models), dropping zeros.
func sortedTerms(coef map[int]float64) []lp.Term {
	out := make([]lp.Term, 0, len(coef))
	for v, c := range coef {
		if c != 0 {
			out = append(out, lp.Term{Var: v, Coef: c})
		}
	}
	slices.SortFunc(out, func(a, b lp.Term) int { return a.Var - b.Var })
	return out
}

// holdCost is the cost per $ per week of cash the plan holds: 10% above
// the dearest lending facility's weekly rate, or a token 1e-8 without one
// (a tie-break: there is no interest to spare).
func (pr *Problem) holdCost() float64 {
	r := 1e-8
	for _, x := range pr.fin.facs {
		r = max(r, 1.1*x.f.WeeklyRate)
	}
	return r
}

// isCash reports whether v is one of the cash variables.
func (fr *finRows) isCash(v int) bool {
	return len(fr.cash) > 0 && v >= fr.cash[0] && slices.Contains(fr.cash, v)
}
