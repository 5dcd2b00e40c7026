package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// Committed is what a scenario's starting state does by itself, week by
// week: the simulation of the scenario under a policy that starts, orders
// and expands nothing, so only the fleet online and the projects under way
// at the start (with the orders placed before it) play out. It is the one
// source of truth the plan takes the committed pipeline from: the LP
// counts its MW as brought online, takes what it uses off each line's
// supply, and funds its capex from the same funding rows.
type Committed struct {
	// FleetMW is the IT capacity online at the start; UnderWayMW that of
	// the Projects campuses under way.
	FleetMW, UnderWayMW float64
	Projects            int
	// AddedMW is, per week, the committed MW brought online (the fleet
	// online at the start is not added: it is there from week 0).
	AddedMW []float64
	// Used is, per line and week, what the committed pipeline takes of the
	// line's supply: units delivered in the week (orders placed before the
	// start included; stock delivered before the start not), workers held
	// for crews, units used for upstream lines. Nil for a line it does not
	// use.
	Used [][]float64
	// Money per week: capex booked (paid by cash or by the vendor and
	// lease facilities); when the scenario has finance, the part the
	// facilities financed, revenue (the fleet's run-rate included) and
	// running costs.
	CapexUSD, FinancedUSD, RevenueUSD, OpexUSD []float64
	// With finance, per week: the equity it raised, its cash at the end,
	// and (per facility kind, sim.DebtKind … sim.LeaseKind) what it owes
	// at the start of the week.
	EquityUSD, CashUSD []float64
	Outstanding        [3][]float64
	// DebtUSD is the debt outstanding at the start (initial.debt).
	DebtUSD float64
}

// HasStartingState reports whether m declares anything that exists at
// its start: a fleet online, projects under way, orders placed, debt or a
// revenue run-rate.
func HasStartingState(m *sim.Model) bool {
	if len(m.InitialOnline)+len(m.UnderWay)+len(m.OnOrder) > 0 {
		return true
	}
	return m.Finance != nil && (m.Finance.InitialDebt != 0 || m.Finance.FleetRevenuePerWeek != 0)
}

// holdStill is the committed pipeline's policy: it starts, orders and
// expands nothing. It notes each line's stock in week 0, before anything
// is delivered or consumed (what was delivered before the start), and
// what is owed each facility at the start of each week.
type holdStill struct {
	stock []float64
	owed  [3][]float64
}

// Decide implements sim.Policy.
func (h *holdStill) Decide(s *sim.State) {
	if s.Model().Finance != nil {
		for k := range h.owed {
			h.owed[k] = append(h.owed[k], s.Outstanding(k))
		}
	}
	if s.Week() != 0 {
		return
	}
	h.stock = make([]float64, len(s.Model().Lines))
	for l := range h.stock {
		h.stock[l] = s.Stock(l)
	}
}

// CommittedPipeline simulates m's starting state alone (no new projects,
// orders or expansions) and returns what it does week by week. m must be
// compiled by sim.Compile.
func CommittedPipeline(m *sim.Model) (*Committed, error) {
	pol := &holdStill{}
	r := sim.Run(m, pol)
	if len(r.Invariants) > 0 {
		return nil, fmt.Errorf("committed pipeline of %q: the simulation broke its checks: %s", m.Name, strings.Join(r.Invariants, "; "))
	}
	if len(r.Weeks) == 0 {
		return nil, errors.New("committed pipeline: the simulation ran no weeks")
	}
	c := &Committed{FleetMW: m.FleetMW(), Projects: len(m.UnderWay), Used: make([][]float64, len(m.Lines))}
	for _, ip := range m.UnderWay {
		c.UnderWayMW += ip.MW
	}
	if m.Finance != nil {
		c.DebtUSD = m.Finance.InitialDebt
	}
	for _, wk := range r.Weeks {
		c.AddedMW = append(c.AddedMW, wk.AddedMW)
		c.CapexUSD = append(c.CapexUSD, wk.CapexUSD)
		if m.Finance != nil {
			c.FinancedUSD = append(c.FinancedUSD, wk.FinancedUSD)
			c.RevenueUSD = append(c.RevenueUSD, wk.RevenueUSD)
			c.OpexUSD = append(c.OpexUSD, wk.OpexUSD)
			c.EquityUSD = append(c.EquityUSD, wk.EquityUSD)
			c.CashUSD = append(c.CashUSD, wk.CashUSD)
		}
	}
	c.Outstanding = pol.owed
	for l, ln := range m.Lines {
		if ln.Kind == sim.Capital || ln.Kind == sim.Robot {
			continue
		}
		used := make([]float64, len(r.Weeks))
		uses := false
		for w, d := range r.Lines[l].Delivered {
			if w == 0 && ln.Kind != sim.Crew && ln.Kind != sim.Upstream && pol.stock != nil {
				d -= pol.stock[l] // delivered before the start: no capacity taken
			}
			if d > 1e-9 {
				used[w], uses = d, true
			}
		}
		if uses {
			c.Used[l] = used
		}
	}
	return c, nil
}

// OnlineBy is the committed MW online by the end of week w: the fleet and
// the projects under way that have come online.
func (c *Committed) OnlineBy(w int) float64 {
	mw := c.FleetMW
	for i := 0; i <= w && i < len(c.AddedMW); i++ {
		mw += c.AddedMW[i]
	}
	return mw
}

// StartingState is what a plan took from the scenario's starting state.
type StartingState struct {
	FleetMW    float64 `json:"online_mw" yaml:"online_mw"`
	UnderWayMW float64 `json:"under_way_mw" yaml:"under_way_mw"`
	Projects   int     `json:"projects_under_way" yaml:"projects_under_way"`
	// CommittedMW is the MW under way that the committed pipeline brings
	// online within the horizon (per period: Period.CommittedMW).
	CommittedMW float64 `json:"committed_online_mw" yaml:"committed_online_mw"`
	// CapexUSD is the committed pipeline's capex paid within the horizon
	// (undiscounted; not in the plan's objective, which is the new capex).
	CapexUSD float64 `json:"committed_capex_usd,omitempty" yaml:"committed_capex_usd,omitempty"`
	DebtUSD  float64 `json:"initial_debt_usd,omitempty" yaml:"initial_debt_usd,omitempty"`
	Text     string  `json:"text" yaml:"text"`
}

// startingState summarises c for the plan's output.
func startingState(c *Committed) *StartingState {
	st := &StartingState{FleetMW: c.FleetMW, UnderWayMW: c.UnderWayMW, Projects: c.Projects, DebtUSD: c.DebtUSD}
	for _, mw := range c.AddedMW {
		st.CommittedMW += mw
	}
	for _, usd := range c.CapexUSD {
		st.CapexUSD += usd
	}
	st.Text = fmt.Sprintf("Starting state: %s online, %s under way (committed pipeline simulated: %s of it online within the horizon",
		units.FormatMW(st.FleetMW), units.FormatMW(st.UnderWayMW), units.FormatMW(st.CommittedMW))
	if st.CapexUSD > 0 {
		st.Text += ", " + units.FormatUSD(st.CapexUSD) + " of its capex paid within it"
	}
	st.Text += ")"
	return st
}

// committedRows is the committed pipeline summed per period of the LP.
type committedRows struct {
	added []float64   // MW brought online in p
	used  [][]float64 // [line][period]: units taken (crews: average workers held), nil if none
	// Money in p: capex paid in cash (capex less what the facilities
	// financed) plus running costs less revenue; and the revenue
	// annualised, for the debt limit's revenue multiple.
	net, annualRevenue []float64
	capex              []float64 // capex booked in p (undiscounted)
	// With finance: cash at the end of p, running costs per week in its
	// last week, and what is owed each facility kind at its end.
	cash, runningPerWeek []float64
	outstanding          [3][]float64
}

// perPeriod sums c over the periods beginning at begin (begin[len] is the
// horizon). Crews are averaged over each period's weeks, as the LP's crew
// rows are.
func (c *Committed) perPeriod(m *sim.Model, begin []int) *committedRows {
	np := len(begin) - 1
	cr := &committedRows{added: make([]float64, np), used: make([][]float64, len(c.Used)), net: make([]float64, np), annualRevenue: make([]float64, np), capex: make([]float64, np)}
	sumOver := func(x []float64, p int) float64 {
		t := 0.0
		for w := begin[p]; w < begin[p+1] && w < len(x); w++ {
			t += x[w]
		}
		return t
	}
	for p := range np {
		nw := float64(begin[p+1] - begin[p])
		cr.added[p] = sumOver(c.AddedMW, p)
		rev := sumOver(c.RevenueUSD, p)
		cr.capex[p] = sumOver(c.CapexUSD, p)
		cr.net[p] = sumOver(c.CapexUSD, p) - sumOver(c.FinancedUSD, p) + sumOver(c.OpexUSD, p) - rev
		cr.annualRevenue[p] = rev / nw * units.WeeksPerYear
		last := begin[p+1] - 1
		if len(c.CashUSD) > last {
			cr.cash = append(cr.cash, c.CashUSD[last])
			cr.runningPerWeek = append(cr.runningPerWeek, c.OpexUSD[last])
		}
		for k, owed := range c.Outstanding {
			if len(owed) > 0 {
				// Owed at the start of the next week: the end of p.
				cr.outstanding[k] = append(cr.outstanding[k], owed[min(last+1, len(owed)-1)])
			}
		}
	}
	for l, u := range c.Used {
		if u == nil {
			continue
		}
		cr.used[l] = make([]float64, np)
		for p := range np {
			cr.used[l][p] = sumOver(u, p)
			if m.Lines[l].Kind == sim.Crew {
				cr.used[l][p] /= float64(begin[p+1] - begin[p])
			}
		}
	}
	return cr
}

// owed is what the committed pipeline owes facility kind k at the end of
// period p (0 when its simulation did not record it).
func (cr *committedRows) owed(k, p int) float64 {
	if p < len(cr.outstanding[k]) {
		return cr.outstanding[k][p]
	}
	return 0
}
