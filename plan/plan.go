// Package plan is gwf's optimiser: a time-expanded linear program of the
// factory — MW brought online per period, the power sources that feed them,
// and capacity expansions of every supply line — solved for the least
// discounted capex that meets the target ramp, with the shortfall priced
// so an unreachable target is minimised rather than infeasible. The model
// is built in the solver-neutral form of package lp; package cbc solves it.
//
// When the scenario has finance, the money the simulation moves — cash,
// equity, debt with its interest and repayments, vendor and lease shares,
// deposits, revenue and running costs — is summed per period from the
// engine's equations (finance.go, sim/money.go). When it has a starting
// state, the committed pipeline — the fleet online and the projects under
// way, simulated with no new decisions — is in the model (committed.go):
// the LP plans only the new projects. Unit costs follow the simulation's
// learning curve from the industry's output (sim.Model.PricePath). Robots
// are not modelled (crews are the whole workforce), and projects are
// continuous MW unless the plan is a MIP. See docs/plan.md.
package plan

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// Period lengths.
const (
	Week    = "week"
	Month   = "month"
	Quarter = "quarter"
)

// Options shape the model.
type Options struct {
	Period string // week, month or quarter ("" is month)
	// TargetRate, when positive, replaces the scenario's target rate
	// (MW/week); the ramp from the initial rate to it is kept.
	TargetRate float64
	// DiscountRate per year for capex (default 8%); negative means 0.
	DiscountRate float64
	// ShortfallPenalty is the price of a MW of target not met ($/MW;
	// default $1B, far above any MW's capex).
	ShortfallPenalty float64
	// Integer makes the MW online in each period a whole number of
	// projects (project.size each): the model becomes a MIP.
	Integer bool
	// ExpansionBlocks makes the expansions of the lines named a whole
	// number of blocks of so many units/week of the line (crews: workers)
	// each: a MIP. Lumpy does so for every line with an expansion step in
	// the scenario (sim.Line.ExpansionStep), a block being its step, unless
	// ExpansionBlocks names the line.
	ExpansionBlocks map[string]float64
	Lumpy           bool
	// NoFinance leaves capital out of the model even when the scenario
	// has finance (for comparison): capex is then unlimited.
	NoFinance bool
	// Committed is the starting state's committed pipeline, when already
	// simulated (CommittedPipeline); nil: Build simulates it when the
	// model has a starting state. The lead-time re-solves pass the main
	// solve's, since the pipeline's orders are already placed.
	Committed *Committed
}

// block is line ln's expansion block under opt (0: continuous).
func (opt *Options) block(ln *sim.Line) float64 {
	if b, ok := opt.ExpansionBlocks[ln.Name]; ok {
		return b
	}
	if opt.Lumpy {
		return ln.ExpansionStep
	}
	return 0
}

// Blocky reports whether opt makes any expansion lumpy (a MIP).
func (opt *Options) Blocky() bool { return opt.Lumpy || len(opt.ExpansionBlocks) > 0 }

// PeriodWeeks is the nominal length of a period in weeks.
func PeriodWeeks(p string) (float64, bool) {
	switch p {
	case Week:
		return 1, true
	case Month, "":
		return units.WeeksPerYear / 12, true
	case Quarter:
		return units.WeeksPerYear / 4, true
	}
	return 0, false
}

// Problem is the built model with what is needed to read its solution.
type Problem struct {
	M     *sim.Model
	Opt   Options
	LP    *lp.Model
	Begin []int // first week of each period; Begin[len] = horizon
	Build time.Duration

	online   []int // var: MW online in period p
	short    []int // var: MW of target not met in period p
	target   []float64
	power    [][]int // [period][power source] var, or -1
	expand   [][]int // [line][period] var: capacity added (units/week) funded in period, or -1
	supply   []rowInfo
	before   []int                // per stage: weeks from its (as-late-as-possible) start to online
	critical int                  // start-to-online weeks (longest stage chain)
	layerUSD []map[string]float64 // per period: discounted capex per MW online, by layer
	// powerLayerUSD is, per period and power source, the discounted capex
	// per MW of that source's power booked in another layer: needs limited
	// to some sources (for_power), such as large power transformers.
	powerLayerUSD [][]map[string]float64
	fin           *finRows    // capital rows, when finance is in the model
	equityRow     map[int]int // row: equity raised in a funding year
	// paid is the capex paid (undiscounted) per period by what may
	// finance it: [kind][period] terms on the LP's variables.
	paid [3][][]lp.Term
	// committed is the starting state's committed pipeline and cm its sums
	// per period; both nil when the scenario has no starting state.
	committed *Committed
	cm        *committedRows
	// prices are the lines' unit costs per week (price), filled in as
	// needed.
	prices [][]float64
}

// rowInfo is a supply row: line l's use in a period against its supply,
// base (share × industry over the period; crews: the average workforce)
// plus k × the expansions online (var added, or -1).
type rowInfo struct {
	row, line, period int
	base              float64
	added             int
	k                 float64
}

// Build compiles the LP for m. When m has a starting state, the committed
// pipeline (opt.Committed, or CommittedPipeline(m) when nil) is in the
// model: its MW count towards the target, what it takes of each line is
// off that line's supply, and its money is in the funding rows.
func Build(m *sim.Model, opt Options) (*Problem, error) {
	t0 := time.Now()
	opt, pw, err := withDefaults(m, opt)
	if err != nil {
		return nil, err
	}
	pr := &Problem{M: m, Opt: opt, LP: &lp.Model{}, Begin: periodBegins(m.Weeks, pw)}
	if err := pr.addCommitted(); err != nil {
		return nil, err
	}
	// Stage timing, as late as possible before online.
	pr.critical, pr.before = stageTiming(m)
	use, paid := pr.addPeriods()
	pr.addSupply(use, paid)
	pr.paid = paid
	if m.Finance != nil && !opt.NoFinance {
		pr.addFinance(paid)
	}
	pr.Build = time.Since(t0)
	return pr, nil
}

// withDefaults fills in opt's defaults and checks its period against m's
// horizon; it returns the period's nominal length in weeks.
func withDefaults(m *sim.Model, opt Options) (Options, float64, error) {
	if opt.Period == "" {
		opt.Period = Month
	}
	pw, ok := PeriodWeeks(opt.Period)
	if !ok {
		return opt, 0, fmt.Errorf("period %q: want week, month or quarter", opt.Period)
	}
	if pw > float64(m.Weeks) {
		return opt, 0, fmt.Errorf("period %s is longer than the horizon (%d weeks)", opt.Period, m.Weeks)
	}
	if opt.DiscountRate == 0 {
		opt.DiscountRate = 0.08
	}
	if opt.DiscountRate < 0 {
		opt.DiscountRate = 0
	}
	if opt.ShortfallPenalty <= 0 {
		opt.ShortfallPenalty = 1e9
	}
	return opt, pw, nil
}

// periodBegins is the first week of each period of pw weeks (rounded to
// whole weeks) over a horizon of weeks, with the horizon appended.
func periodBegins(weeks int, pw float64) []int {
	var begin []int
	for i := 0; ; i++ {
		b := int(math.Round(float64(i) * pw))
		if b >= weeks {
			return append(begin, weeks)
		}
		begin = append(begin, b)
	}
}

// addCommitted takes in the starting state's committed pipeline (the
// options', or simulated now) when the model has one.
func (pr *Problem) addCommitted() error {
	c := pr.Opt.Committed
	if c == nil && !HasStartingState(pr.M) {
		return nil
	}
	if c == nil {
		var err error
		if c, err = CommittedPipeline(pr.M); err != nil {
			return fmt.Errorf("plan: starting state: %w", err)
		}
	}
	pr.committed, pr.cm = c, c.perPeriod(pr.M, pr.Begin)
	return nil
}

// periodOf is the period holding week w, or -1 outside the horizon.
func (pr *Problem) periodOf(w int) int { return periodIndex(pr.Begin, w) }

// nweeks is the length of period p in weeks.
func (pr *Problem) nweeks(p int) float64 { return float64(pr.Begin[p+1] - pr.Begin[p]) }

// df discounts a dollar paid in week w to the start.
func (pr *Problem) df(w int) float64 {
	return math.Pow(1+pr.Opt.DiscountRate, -float64(max(w, 0))/units.WeeksPerYear)
}

// addPeriods adds, per period, the MW online (with its recipe's capex),
// the shortfall and target row, and the power mix. It returns each line's
// use per period (the supply rows' terms) and the capex paid per period
// by what may finance it (nothing but the funding, vendor, lease).
func (pr *Problem) addPeriods() ([][][]lp.Term, [3][][]lp.Term) {
	m, L := pr.M, pr.LP
	np := len(pr.Begin) - 1
	use := make([][][]lp.Term, len(m.Lines))
	for l := range use {
		use[l] = make([][]lp.Term, np)
	}
	var paid [3][][]lp.Term
	for k := range paid {
		paid[k] = make([][]lp.Term, np)
	}
	pr.online = make([]int, np)
	pr.short = make([]int, np)
	pr.target = make([]float64, np)
	pr.power = make([][]int, np)
	pr.powerLayerUSD = make([][]map[string]float64, np)
	for p := range np {
		rc := pr.recipeFor(p)
		pr.layerUSD = append(pr.layerUSD, rc.layer)
		pr.online[p] = L.AddVar(fmt.Sprintf("online_p%d", p), 0, math.Inf(1), rc.cost)
		if !rc.ok {
			L.Vars[pr.online[p]].Hi = 0
		}
		for _, py := range rc.pays {
			paid[py.kind][py.period] = append(paid[py.kind][py.period], lp.Term{Var: pr.online[p], Coef: py.usd})
		}
		pr.addWhole(p, rc.ok)
		for _, u := range rc.uses {
			use[u.line][u.period] = append(use[u.line][u.period], lp.Term{Var: pr.online[p], Coef: u.per})
		}
		pr.addTarget(p)
		pr.addPower(p, &rc, use, paid)
	}
	return use, paid
}

// recipe is what a MW online in one period takes: its capex (discounted,
// by layer, and the payments undiscounted by the period they are paid
// in), its lines' use by period, the needs served per grid MW of some
// power sources only, and when its power stage starts.
type recipe struct {
	ok         bool // every input can be ordered after week 0
	cost       float64
	layer      map[string]float64
	pays       []payment
	uses       []lineUse
	powerNeeds []powerNeed
	powerWeek  int // the power stage's start, or -1 if no stage secures power
}

// lineUse is units of a line per MW online, used in a period.
type lineUse struct {
	line, period int
	per          float64
}

// powerNeed is a need per grid MW limited to some power sources
// (for_power): it goes on the power variables of those sources.
type powerNeed struct {
	need         sim.Need
	period, week int
	layer        string
}

// recipeFor is what a MW online in period p (in its first week) takes,
// each stage starting before(s) weeks earlier: the recipe's units
// (accelerators at the generation's price then), the finance.capex items
// (building, land) paid when their stage starts, and the crews held.
func (pr *Problem) recipeFor(p int) recipe {
	m := pr.M
	w := pr.Begin[p] // projects of period p come online in its first week
	rc := recipe{ok: true, layer: map[string]float64{}, powerWeek: -1}
	for s, st := range m.Stages {
		ws := w - pr.before[s]
		ps := pr.periodOf(ws)
		if ps < 0 {
			rc.ok = false
			break
		}
		pr.addItems(&rc, s, ws, ps)
		gi := m.GenerationAt(ws)
		g := &m.Generations[gi]
		for _, n := range st.Needs {
			ln := &m.Lines[n.Line]
			if ln.Kind == sim.Capital || ln.Kind == sim.Robot {
				continue
			}
			if n.Power != nil && n.Basis == sim.PerGridMW && st.SecuresPower {
				rc.powerNeeds = append(rc.powerNeeds, powerNeed{n, ps, ws, layerOf(*ln)})
				continue
			}
			if ws-ln.LeadWeeks < 0 {
				rc.ok = false
			}
			per := m.UnitsPerMW(n, gi)
			if n.Line == m.Accel {
				for _, in := range g.Inputs {
					rc.uses = append(rc.uses, lineUse{in.Line, ps, per * in.PerUnit})
				}
			}
			for _, py := range pr.purchase(n.Line, ws, per) {
				rc.pay(py, layerOf(*ln), pr.df(py.week))
			}
			rc.uses = append(rc.uses, lineUse{n.Line, ps, per})
		}
		rc.uses = append(rc.uses, pr.crewUses(st, ws)...)
		if st.SecuresPower && rc.powerWeek < 0 {
			rc.powerWeek = ws
		}
	}
	if rc.ok {
		pr.addReplacement(&rc, w)
	}
	return rc
}

// addReplacement books the accelerators a MW online in week w is refitted
// with at the end of their life, when that falls within the horizon: the
// generation in production then, at its price, vendor-financeable, as the
// simulation replaces them.
func (pr *Problem) addReplacement(rc *recipe, w int) {
	m := pr.M
	if m.Finance == nil || m.Finance.AccelLifeWeeks <= 0 || m.Accel < 0 {
		return
	}
	wr := w + m.Finance.AccelLifeWeeks
	pp := pr.periodOf(wr)
	if pp < 0 {
		return
	}
	g := &m.Generations[m.GenerationAt(wr)]
	usd := g.AcceleratorsPerMW() * pr.price(m.Accel, wr)
	rc.pay(payment{period: pp, usd: usd, kind: m.Financing(m.Accel), week: wr}, layerOf(m.Lines[m.Accel])+" (replacement)", pr.df(wr))
}

// price is line l's unit cost in week w (clamped to the horizon): the
// simulation's learning curve from the industry's output
// (sim.Model.PricePath), accelerators by the generation in production.
func (pr *Problem) price(l, w int) float64 {
	if pr.prices == nil {
		pr.prices = make([][]float64, len(pr.M.Lines))
	}
	if pr.prices[l] == nil {
		pr.prices[l] = pr.M.PricePath(l)
	}
	return pr.prices[l][min(max(w, 0), len(pr.prices[l])-1)]
}

// purchase is what buying per units of line l for a stage starting in
// week ws costs, as the simulation pays it: with finance, the deposit
// share when ordered a lead time earlier, the rest on delivery; each at
// the price of its week, financeable as the line is (vendor for
// accelerators).
func (pr *Problem) purchase(l, ws int, per float64) []payment {
	m := pr.M
	kind := m.Financing(l)
	if kind < 0 {
		kind = fNone
	}
	deposit := 0.0
	if m.Finance != nil {
		deposit = m.Finance.Deposit
	}
	out := []payment{{period: pr.periodOf(ws), usd: per * (1 - deposit) * pr.price(l, ws), kind: kind, week: ws}}
	if deposit > 0 {
		wo := max(0, ws-m.Lines[l].LeadWeeks)
		out = append(out, payment{period: pr.periodOf(wo), usd: per * deposit * pr.price(l, wo), kind: kind, week: wo})
	}
	return out
}

// pay books a payment of the recipe: undiscounted in its period, and
// discounted (factor df) in the objective and the layer's cost.
func (rc *recipe) pay(py payment, layer string, df float64) {
	rc.pays = append(rc.pays, py)
	rc.cost += py.usd * df
	rc.layer[layer] += py.usd * df
}

// addItems books the finance.capex items (land, building shell) of stage
// s, started in week ws of period ps: paid then, a share leasable, in the
// objective and the cost by layer like the simulation's capex.
func (pr *Problem) addItems(rc *recipe, s, ws, ps int) {
	if pr.M.Finance == nil {
		return
	}
	for _, it := range pr.M.Finance.Items {
		if it.Stage == s && it.PerMW != 0 {
			rc.pay(payment{period: ps, usd: it.PerMW, kind: fLease, week: ws}, itemLayer(it), pr.df(ws))
		}
	}
}

// itemLayer is the layer a capex item is reported under, as in the
// simulation's capex by layer.
func itemLayer(it sim.CapexItem) string {
	if it.Layer != "" {
		return it.Layer
	}
	return it.Name
}

// crewUses is the workers a stage started in week ws holds per MW: the
// average concurrent workers in each period its weeks overlap.
func (pr *Problem) crewUses(st sim.Stage, ws int) []lineUse {
	var out []lineUse
	for _, c := range st.Crews {
		if pr.M.Lines[c.Line].Kind != sim.Crew {
			continue
		}
		for q := ws; q < ws+st.Weeks; {
			pq := pr.periodOf(q)
			end := min(ws+st.Weeks, pr.Begin[pq+1])
			out = append(out, lineUse{c.Line, pq, c.Amount * float64(end-q) / pr.nweeks(pq)})
			q = end
		}
	}
	return out
}

// addWhole makes period p's MW online a whole number of projects (a MIP)
// when the options ask for it.
func (pr *Problem) addWhole(p int, ok bool) {
	if !pr.Opt.Integer || !ok {
		return
	}
	n := pr.LP.AddVar(fmt.Sprintf("projects_p%d", p), 0, math.Inf(1), 0)
	pr.LP.Vars[n].Integer = true
	pr.LP.AddRow(fmt.Sprintf("whole_p%d", p), lp.EQ, 0, lp.Term{Var: pr.online[p], Coef: 1}, lp.Term{Var: n, Coef: -pr.M.SizeMW})
}

// addPower adds period p's power: grid MW = PUE × MW from the sources,
// each at most its max_mix, ordered a lead time before the power stage;
// a source's variable also carries the needs limited to it (for_power).
func (pr *Problem) addPower(p int, rc *recipe, use [][][]lp.Term, paid [3][][]lp.Term) {
	m, L := pr.M, pr.LP
	pr.power[p] = make([]int, len(m.PowerLines))
	for k := range pr.power[p] {
		pr.power[p][k] = -1 // no power variable: nothing can come online
	}
	pr.powerLayerUSD[p] = make([]map[string]float64, len(m.PowerLines))
	if len(m.PowerLines) == 0 || rc.powerWeek < 0 {
		return
	}
	ws := rc.powerWeek
	ps := pr.periodOf(ws)
	mix := []lp.Term{{Var: pr.online[p], Coef: -m.PUE}}
	for k, li := range m.PowerLines {
		ln := &m.Lines[li]
		v := L.AddVar(fmt.Sprintf("power_%s_p%d", ln.Name, p), 0, math.Inf(1), 0)
		pr.power[p][k] = v
		if ps >= 0 {
			for _, py := range pr.purchase(li, ws, 1) {
				if py.usd != 0 {
					paid[py.kind][py.period] = append(paid[py.kind][py.period], lp.Term{Var: v, Coef: py.usd})
					L.Vars[v].Cost += py.usd * pr.df(py.week)
				}
			}
		}
		if ws-ln.LeadWeeks < 0 || ws < ln.AvailableWeek || !rc.ok {
			L.Vars[v].Hi = 0
		}
		mix = append(mix, lp.Term{Var: v, Coef: 1})
		if ln.MaxMix < 1 {
			L.AddRow(fmt.Sprintf("mix_%s_p%d", ln.Name, p), lp.LE, 0, lp.Term{Var: v, Coef: 1}, lp.Term{Var: pr.online[p], Coef: -ln.MaxMix * m.PUE})
		}
		use[li][ps] = append(use[li][ps], lp.Term{Var: v, Coef: 1})
		for _, pn := range rc.powerNeeds {
			if !pn.need.Power[k] {
				continue
			}
			// pn.need.Amount units per grid MW from this source.
			if pn.week-m.Lines[pn.need.Line].LeadWeeks < 0 {
				L.Vars[v].Hi = 0
			}
			use[pn.need.Line][pn.period] = append(use[pn.need.Line][pn.period], lp.Term{Var: v, Coef: pn.need.Amount})
			if pr.powerLayerUSD[p][k] == nil {
				pr.powerLayerUSD[p][k] = map[string]float64{}
			}
			for _, py := range pr.purchase(pn.need.Line, pn.week, pn.need.Amount) {
				paid[py.kind][py.period] = append(paid[py.kind][py.period], lp.Term{Var: v, Coef: py.usd})
				L.Vars[v].Cost += py.usd * pr.df(py.week)
				pr.powerLayerUSD[p][k][pn.layer] += py.usd * pr.df(py.week)
			}
		}
	}
	L.AddRow(fmt.Sprintf("power_p%d", p), lp.EQ, 0, mix...)
}

// addTarget adds period p's shortfall and target row: the MW the plan
// brings online plus the committed pipeline's, plus the shortfall, at
// least the target's MW over p's weeks. (The target is a rate of MW
// added, as in the simulation's milestones: the fleet online at the start
// does not count towards it.)
func (pr *Problem) addTarget(p int) {
	m, opt := pr.M, pr.Opt
	for wk := pr.Begin[p]; wk < pr.Begin[p+1]; wk++ {
		if opt.TargetRate > 0 {
			pr.target[p] += targetRate(m, opt.TargetRate, wk)
		} else {
			pr.target[p] += m.TargetRate(wk)
		}
	}
	need := pr.target[p]
	if pr.cm != nil {
		need -= pr.cm.added[p]
	}
	pr.short[p] = pr.LP.AddVar(fmt.Sprintf("short_p%d", p), 0, math.Inf(1), opt.ShortfallPenalty)
	pr.LP.AddRow(fmt.Sprintf("target_p%d", p), lp.GE, need, lp.Term{Var: pr.online[p], Coef: 1}, lp.Term{Var: pr.short[p], Coef: 1})
}

// addSupply adds each line's expansions and supply rows: use ≤ share ×
// industry − what the committed pipeline takes (never below 0) +
// expansions online.
func (pr *Problem) addSupply(use [][][]lp.Term, paid [3][][]lp.Term) {
	m, opt, L := pr.M, pr.Opt, pr.LP
	np := len(pr.Begin) - 1
	inf := math.Inf(1)
	pr.expand = make([][]int, len(m.Lines))
	for l := range m.Lines {
		ln := &m.Lines[l]
		pr.expand[l] = make([]int, np)
		for p := range pr.expand[l] {
			pr.expand[l][p] = -1
		}
		if ln.Kind == sim.Capital || ln.Kind == sim.Robot {
			continue
		}
		canExpand := m.Expand && ln.MaxGrowth > 0 && ln.ExpansionCostUSD >= 0
		arriving := make([][]int, np) // expansion vars arriving in period q
		if canExpand {
			for p := range np {
				q := pr.periodOf(pr.Begin[p] + ln.ExpansionWeeks)
				if q < 0 {
					continue
				}
				v := L.AddVar(fmt.Sprintf("expand_%s_p%d", ln.Name, p), 0, inf, ln.ExpansionCostUSD*pr.df(pr.Begin[p]))
				pr.expand[l][p] = v
				arriving[q] = append(arriving[q], v)
				if ln.ExpansionCostUSD != 0 {
					paid[fNone][p] = append(paid[fNone][p], lp.Term{Var: v, Coef: ln.ExpansionCostUSD})
				}
				if b := opt.block(ln); b > 0 {
					k := L.AddVar(fmt.Sprintf("blocks_%s_p%d", ln.Name, p), 0, inf, 0)
					L.Vars[k].Integer = true
					L.AddRow(fmt.Sprintf("block_%s_p%d", ln.Name, p), lp.EQ, 0, lp.Term{Var: v, Coef: 1}, lp.Term{Var: k, Coef: -b})
				}
			}
		}
		cum := -1 // var: cumulative expansions online in period
		for p := range np {
			base := 0.0
			for wk := pr.Begin[p]; wk < pr.Begin[p+1]; wk++ {
				if wk >= ln.AvailableWeek {
					base += ln.Share * ln.Capacity * math.Pow(ln.WeeklyGrowth, float64(wk))
				}
			}
			if ln.Kind == sim.Crew {
				base /= pr.nweeks(p) // average workforce over the period
			}
			if canExpand {
				// E_p = E_{p-1} + arrivals
				c := L.AddVar(fmt.Sprintf("added_%s_p%d", ln.Name, p), 0, inf, 0)
				terms := []lp.Term{{Var: c, Coef: 1}}
				if cum >= 0 {
					terms = append(terms, lp.Term{Var: cum, Coef: -1})
				}
				for _, a := range arriving[p] {
					terms = append(terms, lp.Term{Var: a, Coef: -1})
				}
				L.AddRow(fmt.Sprintf("acc_%s_p%d", ln.Name, p), lp.EQ, 0, terms...)
				cum = c
				// Growth ceiling: funded in p ≤ max_growth × years(p) ×
				// (weekly supply then); supply then counts expansions online.
				if v := pr.expand[l][p]; v >= 0 {
					yrs := pr.nweeks(p) / units.WeeksPerYear
					weekly := base
					if ln.Kind != sim.Crew {
						weekly = base / pr.nweeks(p)
					}
					L.AddRow(fmt.Sprintf("growth_%s_p%d", ln.Name, p), lp.LE, ln.MaxGrowth*yrs*weekly,
						lp.Term{Var: v, Coef: 1}, lp.Term{Var: c, Coef: -ln.MaxGrowth * yrs})
				}
			}
			if len(use[l][p]) == 0 {
				continue
			}
			terms := use[l][p]
			k := pr.nweeks(p)
			if ln.Kind == sim.Crew {
				k = 1
			}
			if cum >= 0 {
				terms = append(terms, lp.Term{Var: cum, Coef: -k})
			}
			r := L.AddRow(fmt.Sprintf("supply_%s_p%d", ln.Name, p), lp.LE, max(0, base-pr.committedUse(l, p)), terms...)
			pr.supply = append(pr.supply, rowInfo{row: r, line: l, period: p, base: base, added: cum, k: k})
		}
	}
}

// committedUse is what the committed pipeline takes of line l in period p
// (crews: average workers held), 0 without a starting state.
func (pr *Problem) committedUse(l, p int) float64 {
	if pr.cm == nil || pr.cm.used[l] == nil {
		return 0
	}
	return pr.cm.used[l][p]
}

func targetRate(m *sim.Model, rate float64, w int) float64 {
	mm := *m
	mm.TargetMWpw = rate
	if mm.InitialMWpw > rate {
		mm.InitialMWpw = rate
	}
	return mm.TargetRate(w)
}

// Solve builds and solves the plan for m.
func Solve(ctx context.Context, m *sim.Model, opt Options, s lp.Solver) (*Plan, error) {
	pr, err := Build(m, opt)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if pr.LP.HasInteger() {
		ms, err := solveMIP(ctx, s, pr.LP)
		if err != nil {
			return nil, err
		}
		pl := pr.Read(ms.sol)
		pl.plainSolver = ms.plain
		pl.setGap(ms.sol)
		pl.RelaxationUSD, pl.Rounded = ms.relaxation, ms.rounded
		pl.basis, pl.basisOf = ms.relaxBasis, ms.relaxed
		pl.Stats.SolveSeconds = time.Since(t0).Seconds()
		return pl, nil
	}
	sol, plain, err := solveLP(ctx, s, pr.LP, true)
	if err != nil {
		return nil, err
	}
	pl := pr.Read(sol)
	pl.plainSolver = plain
	pl.setGap(sol)
	pl.RelaxationUSD = sol.Objective
	pl.basis, pl.basisOf = sol.Basis, pr.LP
	pl.Stats.SolveSeconds = time.Since(t0).Seconds()
	return pl, nil
}

// Plan is a solved plan, ready to print or write.
type Plan struct {
	Scenario        string  `json:"scenario" yaml:"scenario"`
	Period          string  `json:"period" yaml:"period"`
	StartDate       string  `json:"start_date" yaml:"start_date"`
	HorizonWeeks    int     `json:"horizon_weeks" yaml:"horizon_weeks"`
	CriticalWeeks   int     `json:"start_to_online_weeks" yaml:"start_to_online_weeks"`
	DiscountRate    float64 `json:"discount_rate" yaml:"discount_rate"`
	PenaltyUSDPerMW float64 `json:"shortfall_penalty_usd_per_mw" yaml:"shortfall_penalty_usd_per_mw"`
	ObjectiveUSD    float64 `json:"objective_usd" yaml:"objective_usd"`
	CapexUSD        float64 `json:"discounted_capex_usd" yaml:"discounted_capex_usd"`
	// InterestUSD is the discounted interest on the plan's own draws,
	// the objective's third part (after capex and the shortfall penalty).
	InterestUSD float64 `json:"discounted_interest_usd,omitempty" yaml:"discounted_interest_usd,omitempty"`
	ShortfallMW float64 `json:"shortfall_mw" yaml:"shortfall_mw"`
	// Capital says whether the funding rows were in the model (the
	// scenario has finance and --no-finance was not given).
	Capital bool `json:"capital_in_model" yaml:"capital_in_model"`
	// Start is the scenario's starting state as the plan took it in (the
	// committed pipeline, simulated); nil when the scenario has none.
	// Periods' OnlineMW are then the new MW only, CommittedMW the
	// pipeline's.
	Start *StartingState `json:"starting_state,omitempty" yaml:"starting_state,omitempty"`
	// Integer is set when projects are whole (a MIP); ExpansionBlock when
	// expansions come in blocks. Gap is the MIP's relative optimality gap
	// (0: proven optimal), Stopped whether its time limit ended the search.
	Integer bool `json:"integer,omitempty" yaml:"integer,omitempty"`
	// ExpansionBlocks is each line's expansion block (units/week), for
	// the lines whose expansions come in blocks.
	ExpansionBlocks map[string]float64 `json:"expansion_blocks,omitempty" yaml:"expansion_blocks,omitempty"`
	Gap             float64            `json:"mip_gap,omitempty" yaml:"mip_gap,omitempty"`
	Stopped         bool               `json:"stopped_on_time_limit,omitempty" yaml:"stopped_on_time_limit,omitempty"`
	CostByLayer     []LayerCost        `json:"cost_by_layer" yaml:"cost_by_layer"`
	Periods         []Period           `json:"periods" yaml:"periods"`
	Expansions      []Expansion        `json:"expansions" yaml:"expansions"`
	ShadowPrices    []ShadowPrice      `json:"shadow_prices" yaml:"shadow_prices"`
	Stats           Stats              `json:"stats" yaml:"stats"`
	Omitted         []string           `json:"not_modelled" yaml:"not_modelled"`
	PowerMix        []PowerBySource    `json:"power_mw_by_source" yaml:"power_mw_by_source"`
	// LeadTimeValues is what one period less of each line's lead time
	// would save (ValueLeadTimes), most valuable per week first; absent
	// when not computed.
	LeadTimeValues []LeadTimeValue `json:"lead_time_values,omitempty" yaml:"lead_time_values,omitempty"`
	// GapUSD is a MIP's objective less the solver's best bound, GapOfCost
	// that as a share of the cost part of the objective (the shortfall
	// penalty apart); both 0 when proven optimal.
	GapUSD    float64 `json:"mip_gap_usd,omitempty" yaml:"mip_gap_usd,omitempty"`
	GapOfCost float64 `json:"mip_gap_of_cost,omitempty" yaml:"mip_gap_of_cost,omitempty"`
	// RelaxationUSD is the objective of the LP relaxation (the plan's own
	// objective when it is an LP): a bound on any MIP's, and the base the
	// lead-time values of a MIP are measured from. Rounded is set when the
	// MIP solver found no whole-project plan within its time limit and the
	// plan is the relaxation's rounded down (its gap then against the
	// relaxation).
	RelaxationUSD float64 `json:"relaxation_objective_usd,omitempty" yaml:"relaxation_objective_usd,omitempty"`
	Rounded       bool    `json:"rounded_from_relaxation,omitempty" yaml:"rounded_from_relaxation,omitempty"`
	// plainSolver is the solver without presolve when the main solve
	// needed that retry (nil otherwise): ValueLeadTimes then starts
	// with it instead of failing the same way again.
	plainSolver lp.Solver
	// basis is the optimal basis of basisOf, the main model (a MIP's
	// relaxation), when the solver reported one: the lead-time
	// re-solves start from it.
	basis   *lp.Basis
	basisOf *lp.Model
}

// Period is one period's build schedule.
type Period struct {
	Index     int     `json:"period" yaml:"period"`
	Label     string  `json:"label" yaml:"label"`
	Week      int     `json:"first_week" yaml:"first_week"`
	TargetMW  float64 `json:"target_mw" yaml:"target_mw"`
	OnlineMW  float64 `json:"online_mw" yaml:"online_mw"` // new MW the plan brings online
	StartedMW float64 `json:"started_mw" yaml:"started_mw"`
	// CommittedMW is what the starting state's projects under way bring
	// online in the period (the committed pipeline, simulated); the plan
	// does not start them.
	CommittedMW float64 `json:"committed_mw,omitempty" yaml:"committed_mw,omitempty"`
	ShortfallMW float64 `json:"shortfall_mw" yaml:"shortfall_mw"`
	// PowerMW is the grid MW each source feeds the MW online in this
	// period (absent when nothing comes online).
	PowerMW []PowerBySource `json:"power_mw,omitempty" yaml:"power_mw,omitempty"`
	// Money, when capital is in the model (all 0 otherwise), summed over
	// money periods of at least four weeks (a weekly plan's four or five
	// weeks; other plans' periods): flows on the money period's last
	// period, cash, debt and the reserve at its end on each. What the
	// plan's new MW earn in the period (RevenueUSD), the equity it raises
	// (EquityUSD) and the interest it pays on its own draws (InterestUSD);
	// at the period's end, cash and debt outstanding on every facility,
	// the committed pipeline's included (CashUSD, DebtUSD), and the
	// reserve cash may not fall below (ReserveUSD; when the committed
	// pipeline alone is below it, the plan may not make that worse).
	RevenueUSD  float64 `json:"revenue_usd,omitempty" yaml:"revenue_usd,omitempty"`
	EquityUSD   float64 `json:"equity_usd,omitempty" yaml:"equity_usd,omitempty"`
	InterestUSD float64 `json:"interest_usd,omitempty" yaml:"interest_usd,omitempty"`
	CashUSD     float64 `json:"cash_usd,omitempty" yaml:"cash_usd,omitempty"`
	DebtUSD     float64 `json:"debt_usd,omitempty" yaml:"debt_usd,omitempty"`
	ReserveUSD  float64 `json:"reserve_usd,omitempty" yaml:"reserve_usd,omitempty"`
	// CapexUSD is the capex the plan pays in the period, undiscounted:
	// the recipe's units, the finance.capex items (building, land) and
	// power for the MW whose stages start then, and the expansions funded
	// then. CommittedCapexUSD is the committed pipeline's (its
	// simulation's capex booked in the period's weeks).
	CapexUSD          float64 `json:"capex_usd,omitempty" yaml:"capex_usd,omitempty"`
	CommittedCapexUSD float64 `json:"committed_capex_usd,omitempty" yaml:"committed_capex_usd,omitempty"`
}

// Expansion is capacity funded on a line.
type Expansion struct {
	Line        string  `json:"line" yaml:"line"`
	Unit        string  `json:"unit" yaml:"unit"`
	Period      string  `json:"funded" yaml:"funded"`
	Week        int     `json:"week" yaml:"week"`
	OnlineWeek  int     `json:"online_week" yaml:"online_week"`
	PerWeek     float64 `json:"units_per_week" yaml:"units_per_week"`
	CostUSD     float64 `json:"cost_usd" yaml:"cost_usd"`
	PeriodIndex int     `json:"-" yaml:"-"`
}

// LayerCost is discounted capex of one layer.
type LayerCost struct {
	Layer   string  `json:"layer" yaml:"layer"`
	CostUSD float64 `json:"discounted_usd" yaml:"discounted_usd"`
}

// PowerBySource is the grid MW the plan takes from a source.
type PowerBySource struct {
	Source string  `json:"source" yaml:"source"`
	MW     float64 `json:"grid_mw" yaml:"grid_mw"`
}

// Stats is the model's size and times.
type Stats struct {
	Rows         int     `json:"rows" yaml:"rows"`
	Columns      int     `json:"columns" yaml:"columns"`
	NonZeros     int     `json:"nonzeros" yaml:"nonzeros"`
	BuildSeconds float64 `json:"build_seconds" yaml:"build_seconds"`
	SolveSeconds float64 `json:"solve_seconds" yaml:"solve_seconds"`
	// LeadTimeSeconds is how long the lead-time re-solves took.
	LeadTimeSeconds float64 `json:"lead_time_seconds,omitempty" yaml:"lead_time_seconds,omitempty"`
}

// Label names period p in the user's terms: 2028-W14, 2028-04, 2028 Q2.
func (pr *Problem) Label(p int) string {
	d := pr.M.Date(pr.Begin[p])
	switch pr.Opt.Period {
	case Week:
		return d.Format(time.DateOnly)
	case Quarter:
		d = pr.M.Date((pr.Begin[p] + pr.Begin[p+1]) / 2)
		return fmt.Sprintf("%d Q%d", d.Year(), (int(d.Month())-1)/3+1)
	}
	d = pr.M.Date((pr.Begin[p] + pr.Begin[p+1]) / 2)
	return d.Format("2006-01")
}

// Read turns a solution into a Plan, in steps: the header and the
// periods, capex (discounted and paid per period), expansions, power and
// cost by layer, financing, and the shadow prices ranked by the $ saved
// by relaxing each binding row by 1% of its level (RelaxUSD).
func (pr *Problem) Read(sol *lp.Solution) *Plan {
	rd := &reading{Problem: pr, sol: sol, pl: pr.newPlan(sol)}
	rd.periods()
	rd.capex()
	layers := map[string]float64{}
	rd.expansions(layers)
	rd.powerMix(layers)
	rd.recipeLayers(layers)
	rd.pl.CostByLayer = sortedLayers(layers)
	rd.financing()
	rd.pl.ShadowPrices = append(rd.pl.ShadowPrices, rd.capitalPrices()...)
	rd.pl.ShadowPrices = append(rd.pl.ShadowPrices, rd.supplyPrices()...)
	RankShadowPrices(rd.pl.ShadowPrices)
	return rd.pl
}

// reading is a solution being read into a plan.
type reading struct {
	*Problem
	sol *lp.Solution
	pl  *Plan
}

// x is variable v's value, solver noise rounded away (0 for v < 0).
func (rd *reading) x(v int) float64 {
	if v < 0 {
		return 0
	}
	return clean(rd.sol.X[v])
}

// newPlan is the plan's header: what was solved, how, and what is not in
// the model.
func (pr *Problem) newPlan(sol *lp.Solution) *Plan {
	m := pr.M
	pl := &Plan{
		Scenario: m.Name, Period: pr.Opt.Period, StartDate: m.Start.Format(time.DateOnly), HorizonWeeks: m.Weeks,
		CriticalWeeks: pr.critical, DiscountRate: pr.Opt.DiscountRate,
		PenaltyUSDPerMW: pr.Opt.ShortfallPenalty, ObjectiveUSD: sol.Objective,
		Periods: []Period{}, Expansions: []Expansion{}, ShadowPrices: []ShadowPrice{},
		CostByLayer: []LayerCost{}, PowerMix: []PowerBySource{},
		Omitted: []string{
			financeOmitted(pr),
			"learning curves: unit costs fall with the industry's output as in the simulation, but the plan's own expansions do not speed that",
			"robots: crews are the whole workforce",
			"whole projects: MW are continuous, not campuses of project.size",
		},
	}
	pl.Integer = pr.Opt.Integer
	for _, ln := range m.Lines {
		if b := pr.Opt.block(&ln); b > 0 && m.Expand && ln.MaxGrowth > 0 {
			if pl.ExpansionBlocks == nil {
				pl.ExpansionBlocks = map[string]float64{}
			}
			pl.ExpansionBlocks[ln.Name] = b
		}
	}
	pl.Gap, pl.Stopped = sol.Gap, sol.Status == lp.Stopped
	if pl.Integer {
		pl.Omitted = slices.DeleteFunc(pl.Omitted, func(s string) bool { return strings.HasPrefix(s, "whole projects") })
	}
	pl.Stats = Stats{Rows: len(pr.LP.Rows), Columns: len(pr.LP.Vars), NonZeros: pr.LP.NonZeros(), BuildSeconds: pr.Build.Seconds()}
	if pr.committed != nil {
		pl.Start = startingState(pr.committed)
		pl.Omitted = append(pl.Omitted, "starting state: the committed pipeline is simulated on its own (the new projects do not compete with it for the lines' queues), and stock it leaves unused is not offered to the new projects")
	}
	return pl
}

// periods reads the build schedule: target, MW online (new and
// committed), shortfall, and the MW started (online shifted back by the
// critical path).
func (rd *reading) periods() {
	pl := rd.pl
	for p := range rd.online {
		per := Period{Index: p, Label: rd.Label(p), Week: rd.Begin[p], TargetMW: rd.target[p], ShortfallMW: rd.x(rd.short[p])}
		if rd.cm != nil {
			per.CommittedMW = clean(rd.cm.added[p])
			per.CommittedCapexUSD = clean(rd.cm.capex[p])
		}
		pl.ShortfallMW += per.ShortfallMW
		pl.Periods = append(pl.Periods, per)
	}
	for p := range rd.online {
		on := rd.x(rd.online[p])
		pl.Periods[p].OnlineMW = on
		if q := periodIndex(rd.Begin, rd.Begin[p]-rd.critical); q >= 0 {
			pl.Periods[q].StartedMW += on
		}
	}
}

// capex reads the discounted capex (the objective less the shortfall's
// penalty) and each period's capex paid, undiscounted.
func (rd *reading) capex() {
	for i, v := range rd.LP.Vars {
		if v.Cost != 0 && !strings.HasPrefix(v.Name, "short_") && (rd.fin == nil || !rd.fin.interest[i] && !rd.fin.isCash(i)) {
			rd.pl.CapexUSD += v.Cost * rd.x(i)
		}
	}
	for k := range rd.paid {
		for p, ts := range rd.paid[k] {
			for _, t := range ts {
				rd.pl.Periods[p].CapexUSD += t.Coef * rd.x(t.Var)
			}
		}
	}
	for p := range rd.pl.Periods {
		rd.pl.Periods[p].CapexUSD = clean(rd.pl.Periods[p].CapexUSD)
	}
}

// expansions reads the expansions funded, booking their cost under their
// line's layer "(expansion)".
func (rd *reading) expansions(layers map[string]float64) {
	for l, ln := range rd.M.Lines {
		for p, v := range rd.expand[l] {
			if v < 0 || rd.x(v) < 1e-9 {
				continue
			}
			layers[layerOf(ln)+" (expansion)"] += rd.LP.Vars[v].Cost * rd.x(v)
			rd.pl.Expansions = append(rd.pl.Expansions, Expansion{
				Line: ln.Name, Unit: ln.Unit, Period: rd.Label(p), Week: rd.Begin[p],
				OnlineWeek: rd.Begin[p] + ln.ExpansionWeeks, PerWeek: rd.x(v), CostUSD: ln.ExpansionCostUSD * rd.x(v), PeriodIndex: p,
			})
		}
	}
}

// powerMix reads the grid MW from each source, per period and in all,
// booking their cost under the source's layer and the layers of the
// needs limited to it (for_power).
func (rd *reading) powerMix(layers map[string]float64) {
	m := rd.M
	for k, li := range m.PowerLines {
		tot := 0.0
		for p := range rd.online {
			v := rd.power[p][k]
			if v < 0 {
				continue
			}
			tot += rd.x(v)
			if rd.x(v) > 0 {
				rd.pl.Periods[p].PowerMW = append(rd.pl.Periods[p].PowerMW, PowerBySource{Source: m.Lines[li].Name, MW: rd.x(v)})
			}
			own := rd.LP.Vars[v].Cost
			for layer, c := range rd.powerLayerUSD[p][k] {
				layers[layer] += c * rd.x(v)
				own -= c
			}
			layers[layerOf(m.Lines[li])] += own * rd.x(v)
		}
		rd.pl.PowerMix = append(rd.pl.PowerMix, PowerBySource{Source: m.Lines[li].Name, MW: tot})
	}
}

// recipeLayers books the recipe's capex per MW online (capex items
// included) under the layers of its lines and items.
func (rd *reading) recipeLayers(layers map[string]float64) {
	for p := range rd.online {
		for k, c := range rd.layerUSD[p] {
			layers[k] += c * rd.x(rd.online[p])
		}
	}
}

// sortedLayers lists the cost by layer, largest first.
func sortedLayers(layers map[string]float64) []LayerCost {
	out := []LayerCost{}
	for k, c := range layers {
		out = append(out, LayerCost{Layer: k, CostUSD: c})
	}
	slices.SortFunc(out, func(a, b LayerCost) int {
		if a.CostUSD != b.CostUSD {
			if a.CostUSD > b.CostUSD {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Layer, b.Layer)
	})
	return out
}

// financing reads the money per money period when capital is in the
// model: the plan's revenue, equity raised and interest paid (on the
// money period's last period), and cash, debt outstanding (the committed
// pipeline's included) and the reserve at its end (on each of its
// periods).
func (rd *reading) financing() {
	fr := rd.fin
	if fr == nil {
		return
	}
	rd.pl.Capital = true
	f := rd.M.Finance
	for _, v := range slices.Sorted(maps.Keys(fr.interest)) { // a fixed order: the same sum every time
		rd.pl.InterestUSD += rd.LP.Vars[v].Cost * rd.x(v)
	}
	for g, members := range fr.members {
		last := &rd.pl.Periods[fr.last(g)]
		last.RevenueUSD = clean(rd.x(fr.rev[g]) * bn)
		for _, v := range fr.equity[g] {
			last.EquityUSD += rd.x(v) * bn
		}
		it := map[int]float64{}
		for i := range fr.facs {
			fr.addInterest(it, &fr.facs[i], g)
		}
		for _, t := range sortedTerms(it) {
			last.InterestUSD += t.Coef * rd.x(t.Var) * bn
		}
		last.InterestUSD = clean(last.InterestUSD)
		cash := clean(rd.x(fr.cash[g])*bn + fr.committedCash[g])
		reserve := fr.committedReserve[g] + f.Reserve(f.OpsPerMWWeek)*rd.x(fr.cum[g]) + f.Reserve(1)*rd.x(fr.energy[g])*bn
		debt := 0.0
		for _, x := range fr.facs {
			debt += rd.x(x.out[g]) * bn
		}
		if rd.cm != nil {
			for k := range rd.cm.outstanding {
				debt += rd.cm.owed(k, fr.last(g))
			}
		}
		for _, q := range members {
			per := &rd.pl.Periods[q]
			per.CashUSD, per.DebtUSD, per.ReserveUSD = cash, clean(debt), reserve
		}
	}
}

func financeOmitted(pr *Problem) string {
	switch {
	case pr.fin != nil:
		return "finance: cash, equity, debt, interest and repayments are summed per period, with draws spread evenly over their period; running costs are funded, not in the objective (interest is)"
	case pr.M.Finance != nil:
		return "finance: left out (--no-finance): capital is not a constraint in the LP (capex is discounted, not funded)"
	}
	return "finance: the scenario has none, so capital is not a constraint in the LP (capex is discounted, not funded)"
}

func layerOf(l sim.Line) string {
	if l.Layer != "" {
		return l.Layer
	}
	return l.Name
}

func periodIndex(begin []int, w int) int {
	if w < 0 || w >= begin[len(begin)-1] {
		return -1
	}
	i, found := slices.BinarySearch(begin, w)
	if !found {
		i--
	}
	return i
}

// clean rounds solver noise to zero.
func clean(v float64) float64 {
	if math.Abs(v) < 1e-7 {
		return 0
	}
	return v
}
