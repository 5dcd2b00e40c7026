package sim

import (
	"math"

	"github.com/gwf-project/gwf/allocate"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/units"
)

// Finance is the money side of a Model. A Model without one runs with
// capital unconstrained and records only capex.
type Finance struct {
	Deposit           float64 // share of an order's price paid when placed
	Items             []CapexItem
	OpsPerMWWeek      float64
	AccelLifeWeeks    int
	FacilityLifeWeeks int
	RevenuePerMWWeek  float64 // at the start date, fully utilised
	RevenueDecline    float64 // weekly factor the price is multiplied by
	Utilisation       float64
	RampWeeks         int
	Cash              float64
	ReserveWeeks      float64
	EquityPerYear     float64
	Debt, Vendor      Facility
	Lease             Facility
	// InitialDebt is outstanding on the debt facility at the start.
	InitialDebt float64
	// FleetRevenuePerWeek is what the fleet online at the start earns a
	// week at start-date prices (its run-rate), or 0 to price it per MW.
	FleetRevenuePerWeek float64
	// EnergyPerMWh is the running cost of a MWh from each power line
	// (indexed like Model.PowerLines).
	EnergyPerMWh []float64
}

// CapexItem is a cost per MW of IT paid when stage Stage starts.
type CapexItem struct {
	Name  string
	Layer string
	Stage int
	PerMW float64
}

// Facility is a source of debt; see scenario.Facility.
type Facility struct {
	Share           float64
	Limit           float64
	RevenueMultiple float64
	WeeklyRate      float64
	TenorWeeks      int
}

func compileFinance(s *scenario.Scenario, m *Model) {
	f := &s.Finance
	if !financeSet(f) {
		return
	}
	fin := &Finance{
		Deposit:           f.Deposit.V,
		OpsPerMWWeek:      f.Operations.V / units.WeeksPerYear,
		AccelLifeWeeks:    weeks(accelLife(f)),
		FacilityLifeWeeks: weeks(orDefault(f.FacilityLife, 20*units.WeeksPerYear)),
		RevenuePerMWWeek:  f.Revenue.PerMWYear.V / units.WeeksPerYear,
		RevenueDecline:    math.Pow(1-f.Revenue.Decline.V, 1/units.WeeksPerYear),
		Utilisation:       orDefault(f.Revenue.Utilisation, 1),
		RampWeeks:         weeks(f.Revenue.Ramp.V),
		Cash:              f.Cash.V,
		ReserveWeeks:      f.Reserve.V,
		EquityPerYear:     f.Equity.PerYear.V,
		Debt:              facility(f.Debt),
		Vendor:            facility(f.Vendor),
		Lease:             facility(f.Lease),
	}
	for _, it := range f.Capex {
		fin.Items = append(fin.Items, CapexItem{Name: it.Name, Layer: it.Layer, Stage: m.StageIndex(it.Stage), PerMW: it.Cost.V})
	}
	for _, l := range m.PowerLines {
		fin.EnergyPerMWh = append(fin.EnergyPerMWh, s.Resource(m.Lines[l].Name).EnergyPrice.V)
	}
	m.Finance = fin
	m.Lines = append(m.Lines, Line{Name: CapitalLine, Kind: Capital, Layer: "finance", Unit: "USD", MaxMix: 1})
	m.Capital = len(m.Lines) - 1
}

// CapexBucket is a heading capex is reported under: a supply line, a
// capex item, or the expansion of supply lines.
type CapexBucket struct {
	Name  string
	Layer string
}

// CapexBuckets lists the headings capex is reported under: each line, then
// each capex item, then supply-line expansions.
func (m *Model) CapexBuckets() []CapexBucket {
	out := make([]CapexBucket, 0, len(m.Lines)+4)
	for _, l := range m.Lines {
		out = append(out, CapexBucket{Name: l.Name, Layer: l.Layer})
	}
	if m.Finance != nil {
		for _, it := range m.Finance.Items {
			out = append(out, CapexBucket{Name: it.Name, Layer: it.Layer})
		}
	}
	return append(out, CapexBucket{Name: "expansions", Layer: "supply-line expansions"})
}

func (m *Model) expansionBucket() int {
	n := len(m.Lines)
	if m.Finance != nil {
		n += len(m.Finance.Items)
	}
	return n
}

// CapitalLine is the name under which a shortage of money is reported.
const CapitalLine = "capital"

func financeSet(f *scenario.Finance) bool {
	return f.Cash.Set || f.Revenue.PerMWYear.Set || f.Debt.Limit.Set || f.Equity.PerYear.Set || f.Deposit.Set || len(f.Capex) > 0 || f.Operations.Set
}

func orDefault(v scenario.Value, def float64) float64 {
	if v.Set {
		return v.V
	}
	return def
}

func facility(f scenario.Facility) Facility {
	return Facility{
		Share:           f.Share.V,
		Limit:           f.Limit.V,
		RevenueMultiple: f.RevenueMultiple.V,
		WeeklyRate:      math.Pow(1+f.Rate.V, 1/units.WeeksPerYear) - 1,
		TenorWeeks:      max(1, weeks(f.Tenor.V)),
	}
}

// facilityState is a debt facility during a run: what is outstanding and
// the principal falling due each week from the draws made so far.
type facilityState struct {
	outstanding float64
	instalment  float64   // principal due each week from the draws so far
	due         []float64 // change to instalment in each week
}

// money is the factory's cash during a run.
type money struct {
	cash      cents
	committed float64 // capex of started projects not yet paid (estimate)
	fac       [3]facilityState
	yearStart int
	equityYr  float64
	energy    float64 // USD/week of energy for what is online

	// this week
	capex, capexAccel, opex, revenue, interest, principal float64
	drawn, equity, financed                               float64
	capitalBound                                          bool

	annualRevenue float64 // last week's revenue, annualised (for covenants)
	lastInterest  float64 // last week's interest
	priceFactor   float64 // (1 − decline) to the power of the week

	// run totals, for the cash balance check
	inflow, outflow cents
	added           []float64 // MW added each week, for utilisation ramps
	replace         [][]int32 // projects whose accelerators fall due each week
	carry           []int32   // replacements put off to next week, after its own
}

const (
	debt = iota
	vendor
	lease
)

func (fm *Finance) facility(k int) *Facility {
	switch k {
	case vendor:
		return &fm.Vendor
	case lease:
		return &fm.Lease
	}
	return &fm.Debt
}

func (s *State) initMoney() {
	fm := s.m.Finance
	if fm == nil {
		return
	}
	s.money.cash = toCents(fm.Cash)
	for k := range s.money.fac {
		s.money.fac[k].due = resize(s.money.fac[k].due, s.m.Weeks+1)
	}
	// Each week's list keeps its array from the run before, emptied.
	rp := s.money.replace
	if cap(rp) < s.m.Weeks {
		rp = append(rp[:cap(rp)], make([][]int32, s.m.Weeks-cap(rp))...)
	}
	rp = rp[:s.m.Weeks]
	for w := range rp {
		rp[w] = rp[w][:0]
	}
	s.money.replace = rp
}

// resetWeek clears the week's flows.
func (mo *money) resetWeek() {
	mo.capex, mo.capexAccel, mo.opex, mo.revenue = 0, 0, 0, 0
	mo.interest, mo.principal, mo.drawn, mo.equity, mo.financed = 0, 0, 0, 0, 0
	mo.capitalBound = false
}

// Debt is what the factory owes across its facilities.
func (s *State) Debt() float64 {
	d := 0.0
	for _, f := range s.money.fac {
		d += f.outstanding
	}
	return d
}

// headroom is what facility k can still lend.
func (s *State) headroom(k int) float64 {
	return s.m.Finance.facility(k).Headroom(s.money.fac[k].outstanding, s.money.annualRevenue)
}

// draw lends amount from facility k, repayable in equal weekly instalments
// over its tenor starting next week.
func (s *State) draw(k int, amount float64) {
	if amount <= 0 {
		return
	}
	f := s.m.Finance.facility(k)
	fs := &s.money.fac[k]
	fs.outstanding += amount
	// due holds changes to the weekly instalment: it starts next week and
	// stops after the tenor. Principal due beyond the horizon stays
	// outstanding at the end.
	per := f.Instalment(amount)
	if w := s.week + 1; w < len(fs.due) {
		fs.due[w] += per
	}
	if w := s.week + 1 + f.TenorWeeks; w < len(fs.due) {
		fs.due[w] -= per
	}
}

// equityRoom is what may still be raised this year.
func (s *State) equityRoom() float64 {
	mo := &s.money
	if y := EquityYear(s.week); y != mo.yearStart {
		mo.yearStart, mo.equityYr = y, 0
	}
	return nonNegative(s.m.Finance.EquityPerYear - mo.equityYr)
}

// fund makes sure cash covers amount, raising equity (up to the year's
// allowance) and then drawing debt as far as they allow. Equity comes
// first: investors' money is what the year's plan was sized on, and debt
// is kept for what equity cannot cover. It reports whether it succeeded.
func (s *State) fund(amount cents) bool {
	if amount <= 0 {
		return true // nothing to pay (an overdraft is not repaid by this)
	}
	mo := &s.money
	need := amount - mo.cash
	if need <= 0 {
		return true
	}
	if e := min(need, floorCents(s.equityRoom())); e > 0 {
		mo.cash += e
		mo.equity += e.usd()
		mo.equityYr += e.usd()
		mo.inflow += e
		need -= e
	}
	if need > 0 {
		if d := min(need, floorCents(s.headroom(debt))); d > 0 {
			s.draw(debt, d.usd())
			mo.cash += d
			mo.drawn += d.usd()
			mo.inflow += d
			need -= d
		}
	}
	return need <= 0
}

// cents is an amount of money in whole US cents. The factory's cash is
// kept in cents, every movement rounded to the cent, so its books balance
// exactly.
type cents int64

func toCents(usd float64) cents { return cents(math.Round(usd * 100)) }

func floorCents(usd float64) cents { return cents(math.Floor(usd * 100)) }

func (c cents) usd() float64 { return float64(c) / 100 }

// Funds is what the factory could spend this week: cash plus what debt and
// equity could still provide.
func (s *State) Funds() float64 {
	if s.m.Finance == nil {
		return math.Inf(1)
	}
	return s.money.cash.usd() + s.headroom(debt) + s.equityRoom()
}

// Liquidity is what a new commitment paid over the next horizon weeks may
// use: Funds, plus the equity the coming years allow, less capex already
// committed to started projects and the operating reserve.
func (s *State) Liquidity(horizon int) float64 {
	fm := s.m.Finance
	if fm == nil {
		return math.Inf(1)
	}
	mo := &s.money
	running := mo.energy + s.onlineMW*fm.OpsPerMWWeek
	reserve := fm.Reserve(running)
	// Over the horizon: the equity the coming years allow, and what today's
	// compute earns beyond its running costs and interest ("compute is
	// revenue"), without assuming growth.
	operating := max(0, mo.annualRevenue/units.WeeksPerYear-running-mo.lastInterest)
	future := (fm.EquityPerYear/units.WeeksPerYear + operating) * float64(horizon)
	return s.Funds() + future - mo.committed - reserve
}

// payCapex pays a capital cost if it can be funded, with the share a
// vendor or lease facility covers (financing kind fk, or -1 for none). It
// reports whether it paid; capex that cannot be paid waits. accel marks
// accelerator spending (depreciated over their life); project marks
// spending that settles a started project's commitment. bucket is the
// Model.CapexBuckets entry the spending is reported under (-1: the caller
// books it).
func (s *State) payCapex(amount float64, fk int, accel, project bool, bucket int) bool {
	if amount <= 0 {
		return true
	}
	if s.m.Finance == nil {
		s.capexUSD += amount
		if bucket >= 0 {
			s.capexBy[bucket] += amount
		}
		return true
	}
	mo := &s.money
	financed := s.financed(amount, fk)
	cashPart := toCents(amount - financed)
	if !s.fund(cashPart) {
		mo.capitalBound = true
		return false
	}
	if financed > 0 {
		s.draw(fk, financed)
		mo.financed += financed
	}
	mo.cash -= cashPart
	mo.outflow += cashPart
	mo.capex += amount
	if accel {
		mo.capexAccel += amount
	}
	if project {
		mo.committed = nonNegative(mo.committed - amount)
	}
	s.capexUSD += amount
	if bucket >= 0 {
		s.capexBy[bucket] += amount
	}
	return true
}

// financed is the part of a capital cost of amount that facility fk (-1:
// none) would lend now; payCapex pays the rest in cash.
func (s *State) financed(amount float64, fk int) float64 {
	if fk < 0 {
		return 0
	}
	f := s.m.Finance.facility(fk)
	return min(amount*f.Share, f.Headroom(s.money.fac[fk].outstanding, s.money.annualRevenue))
}

// failsQuietly reports whether payCapex(amount, fk, …) would fail now
// without moving any money: cash falls short of its cash part, and there
// is neither equity nor debt left to raise (fund raises what it can even
// when that is not enough).
func (s *State) failsQuietly(amount float64, fk int) bool {
	if amount <= 0 || s.m.Finance == nil {
		return false
	}
	c := toCents(amount - s.financed(amount, fk))
	return c > s.money.cash && floorCents(s.equityRoom()) <= 0 && floorCents(s.headroom(debt)) <= 0
}

// payRunning pays a cost that cannot wait (operations, interest,
// principal), funding it if need be. Should funding fall short, cash goes
// negative (an overdraft the run reports) and every capex waits until
// revenue restores it.
func (s *State) payRunning(amount float64) {
	if amount <= 0 {
		return
	}
	mo := &s.money
	c := toCents(amount)
	if !s.fund(c) {
		mo.capitalBound = true
	}
	mo.cash -= c
	mo.outflow += c
}

// affordable is how many units at price each could be paid for now.
func (s *State) affordable(price float64, fk int) float64 {
	if s.m.Finance == nil || price <= 0 {
		return math.Inf(1)
	}
	// A dollar short of the funds, so rounding to cents never leaves a
	// delivery unpaid.
	funds := nonNegative(s.Funds() - 1)
	amount := funds
	if fk >= 0 {
		// The facility covers its share up to its headroom: amount A costs
		// A − min(share·A, H) in cash.
		share, h := s.m.Finance.facility(fk).Share, s.headroom(fk)
		if share >= 1 {
			amount = funds + h
		} else if a := funds / (1 - share); share*a <= h {
			amount = a
		} else {
			amount = funds + h
		}
	}
	return amount / price * (1 - 1e-9)
}

// settleWeek moves the week's running money: revenue in, operations,
// interest and principal out, accelerators replaced at the end of their
// life.
func (s *State) settleWeek() {
	fm := s.m.Finance
	if fm == nil {
		return
	}
	mo := &s.money
	mo.added = append(mo.added, s.addedMW)
	// Revenue: online MW, each project ramping to full utilisation.
	ramped := s.onlineMW
	if r := fm.RampWeeks; r > 0 {
		n := len(mo.added)
		for k := 0; k < r && k < n; k++ {
			ramped -= mo.added[n-1-k] * (1 - fm.RampShare(k))
		}
	}
	if s.week == 0 {
		mo.priceFactor = 1
	} else {
		mo.priceFactor *= fm.RevenueDecline
	}
	if fm.FleetRevenuePerWeek > 0 {
		ramped -= s.m.FleetMW() // earns its run-rate instead
	}
	mo.revenue = s.revenuePerMW(mo.priceFactor)*ramped + s.fleetRevenueTerm(mo.priceFactor)
	rc := toCents(mo.revenue)
	mo.cash += rc
	mo.inflow += rc
	mo.annualRevenue = mo.revenue * units.WeeksPerYear

	mo.opex = mo.energy + s.onlineMW*fm.OpsPerMWWeek
	s.payRunning(mo.opex)
	for k := range mo.fac {
		fs := &mo.fac[k]
		f := fm.facility(k)
		interest := f.Interest(fs.outstanding)
		fs.instalment += fs.due[s.week]
		principal := nonNegative(min(fs.instalment, fs.outstanding))
		mo.interest += interest
		mo.principal += principal
		s.payRunning(interest + principal)
		fs.outstanding -= principal
	}
	mo.lastInterest = mo.interest
	s.replaceAccelerators()
}

// onlineMoney books what a project brings into service in week online:
// its energy bill, and when its accelerators are due for replacement.
func (s *State) onlineMoney(p *project, idx int32, online int) {
	fm := s.m.Finance
	if fm == nil {
		return
	}
	for j, mw := range p.power {
		s.money.energy += fm.EnergyPerWeek(j, mw)
	}
	if w := max(s.week, online+fm.AccelLifeWeeks); fm.AccelLifeWeeks > 0 && w < s.m.Weeks {
		s.money.replace[w] = append(s.money.replace[w], idx)
	}
}

// replaceAccelerators refits projects whose accelerators reached the end of
// their life with the newest generation, when it can be paid for; those it
// cannot pay for keep running and wait a week.
func (s *State) replaceAccelerators() {
	m := s.m
	// This week's replacements, then those put off from last week: kept
	// apart, so that a long wait for money does not copy the list weekly.
	due, carry := s.money.replace[s.week], s.money.carry
	s.money.replace[s.week], s.money.carry = due[:0], nil // the array is kept for the next run
	if len(due) == 0 && len(carry) == 0 {
		return
	}
	g := m.GenerationAt(s.week)
	gen := &m.Generations[g]
	price := s.price(m.Accel)
	for k := range len(due) + len(carry) {
		var idx int32
		if k < len(due) {
			idx = due[k]
		} else {
			idx = carry[k-len(due)]
		}
		p := s.projects[idx]
		accels := p.mw * gen.AcceleratorsPerMW()
		if !s.payCapex(accels*price, vendor, true, false, m.Accel) {
			if s.week+1 < m.Weeks {
				if k < len(due) {
					s.money.carry = append(append(make([]int32, 0, len(due)-k+len(carry)), due[k:]...), carry...)
				} else {
					s.money.carry = carry[k-len(due):]
				}
			}
			return
		}
		old := &m.Generations[p.gen]
		s.onlineFLOPS += accels*gen.FLOPSPerAccelerator - p.accels*old.FLOPSPerAccelerator
		s.genMW[p.gen] -= p.mw
		s.genMW[g] += p.mw
		p.gen, p.accels = g, accels
		if w := s.week + m.Finance.AccelLifeWeeks; w < m.Weeks {
			s.money.replace[w] = append(s.money.replace[w], idx)
		}
	}
}

// remainingCapex is what a project is expected still to cost, at today's
// prices: everything its pending stages consume and their capex items. A
// generation not yet in production is priced at its list price. Projects
// started get the same figure from scheduleProject, summed in the same
// order as their orders are scheduled; this is the estimate for one not
// started (ProjectCapex).
func (s *State) remainingCapex(p *project) float64 {
	est := 0.0
	for k := range s.shape.orders {
		o := &s.shape.orders[k]
		if p.stages[o.stage].status != pending {
			continue
		}
		if o.need != nil {
			est += s.cost(p, int(o.line), p.amount(o.need, s.m.PUE))
		} else if q := p.power[o.power]; q != 0 { // as scheduleProject: nothing from a source costs nothing
			est += s.cost(p, int(o.line), q)
		}
	}
	return s.itemsCost(p, est)
}

// cost is what qty units of line l cost project p at today's prices
// (accelerators of p's generation: see accelPrice).
func (s *State) cost(p *project, l int, qty float64) float64 {
	price := s.price(l)
	if l == s.m.Accel {
		price = s.accelPrice(p.gen)
	}
	return qty * price
}

// itemsCost adds to est the capex items of p's pending stages.
func (s *State) itemsCost(p *project, est float64) float64 {
	if s.m.Finance != nil {
		for _, it := range s.m.Finance.Items {
			if p.stages[it.Stage].status == pending {
				est += it.PerMW * p.mw
			}
		}
	}
	return est
}

// accelPrice is today's price of an accelerator of generation g: the line's
// learnt price for the generation in production, the list price for a
// newer one.
func (s *State) accelPrice(g int) float64 {
	if g == s.lines[s.m.Accel].gen {
		return s.price(s.m.Accel)
	}
	return s.m.Generations[g].UnitCostUSD
}

// ProjectCapex estimates what a project started now would cost, at today's
// prices, with its power split evenly over the power sources.
func (s *State) ProjectCapex() float64 {
	m := s.m
	g := &m.Generations[m.GenerationAt(s.week)]
	p := &s.probe // scratch: every stage pending
	*p = project{mw: m.SizeMW, power: resize(p.power, len(m.PowerLines)), stages: resize(p.stages, len(m.Stages))}
	p.accels = p.mw * g.AcceleratorsPerMW()
	p.racks = p.accels / g.PerRack
	for j := range p.power {
		p.power[j] = p.mw * m.PUE / float64(len(p.power))
	}
	p.gen = m.GenerationAt(s.week)
	return s.remainingCapex(p)
}

// stageCapex is the per-MW capex items paid when stage i starts.
func (s *State) stageCapex(p *project, i int) float64 {
	if s.m.Finance == nil {
		return 0
	}
	c := 0.0
	for _, it := range s.m.Finance.Items {
		if it.Stage == i {
			c += it.PerMW * p.mw
		}
	}
	return c
}

// Mission is a demand for compute; see scenario.Mission.
type Mission struct {
	Name       string
	Training   bool
	Priority   int
	Weight     float64
	Guaranteed float64
	// Demand at the start: FLOP/s, or MW when InMW.
	Base         float64
	InMW         bool
	WeeklyGrowth float64
	MaxFLOPS     float64
	StartWeek    int
}

// demandAt is the mission's demand in week w (FLOP/s), given its growth
// factor since its start and the fleet's FLOP/s per MW that week (for
// missions whose demand is written in MW).
func (mi *Mission) demandAt(w int, growth, flopsPerMW float64) float64 {
	if w < mi.StartWeek {
		return 0
	}
	d := mi.Base * growth
	if mi.InMW {
		d *= flopsPerMW
	}
	if mi.MaxFLOPS > 0 {
		d = min(d, mi.MaxFLOPS)
	}
	return d
}

func compileMissions(s *scenario.Scenario, m *Model) {
	for _, ms := range s.Missions {
		d := ms.Demand
		mi := Mission{
			Name:         ms.Name,
			Training:     ms.Kind == scenario.Training,
			Priority:     int(ms.Priority),
			Weight:       orDefault(ms.Weight, 1),
			Guaranteed:   ms.Guaranteed.V,
			WeeklyGrowth: math.Pow(1+d.Growth.V, 1/units.WeeksPerYear),
			MaxFLOPS:     d.Max.V,
		}
		switch {
		case d.Compute.Set:
			mi.Base = d.Compute.V
		case d.Power.Set:
			mi.Base, mi.InMW = d.Power.V, true
		default:
			mi.Base = d.Users.V * d.TokensPerUserDay.V * d.FLOPPerToken.V / 86400 / orDefault(d.Efficiency, 1)
		}
		if d.Start.Set {
			mi.StartWeek = max(0, m.WeekOf(d.Start.Time))
		}
		m.Missions = append(m.Missions, mi)
	}
	switch s.Allocation.Policy {
	case scenario.StrictPriority:
		m.Allocation = allocate.StrictPriority
	case scenario.WeightedShare:
		m.Allocation = allocate.WeightedShare
	default:
		m.Allocation = allocate.MaxMinFair
	}
}

// accelLife returns the accelerator life in weeks, defaulting to five
// years.
func accelLife(f *scenario.Finance) float64 {
	return orDefault(f.AcceleratorLife, 5*units.WeeksPerYear)
}
