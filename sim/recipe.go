package sim

import "math"

// This file is the one home of a project's arithmetic that the engine, the
// controller, the plan and the backtest share: how many units of a line a
// MW of IT needs, how long a stage must wait for inputs ordered at a
// project's start, and the project's critical path.

// AcceleratorsPerMW is how many accelerators of the generation a MW of IT
// capacity holds.
func (g *Generation) AcceleratorsPerMW() float64 { return 1000 / g.KWPerAccelerator }

// UnitsPerMW is what need n asks of its line per MW of IT capacity fitted
// with generation g: per grid MW it is scaled by the PUE, per accelerator
// or per rack by the generation's density.
func (m *Model) UnitsPerMW(n Need, g int) float64 {
	gen := &m.Generations[g]
	switch n.Basis {
	case PerGridMW:
		return n.Amount * m.PUE
	case PerAccelerator:
		return n.Amount * gen.AcceleratorsPerMW()
	case PerRack:
		return n.Amount * gen.AcceleratorsPerMW() / gen.PerRack
	}
	return n.Amount
}

// InputLeadWeeks is how long after an order placed at once stage i could
// start for want of what it consumes: the longest lead time among its
// needs, less how far into the stage each is needed (Need.At). power is a
// project's grid MW by source (indexed like PowerLines), or nil for any
// mix: a need that applies only to some sources (Need.Power) counts only
// when the project draws power from one of them. Power sources themselves,
// which depend on the mix, are left to the caller.
func (m *Model) InputLeadWeeks(i int, power []float64) int {
	st := &m.Stages[i]
	lead := 0
	for _, n := range st.Needs {
		if !n.appliesTo(power) {
			continue
		}
		lead = max(lead, m.Lines[n.Line].LeadWeeks-n.offsetWeeks(st.Weeks))
	}
	return lead
}

// appliesTo reports whether n asks anything of a project drawing power
// (nil: any mix).
func (n Need) appliesTo(power []float64) bool {
	if n.Power == nil || power == nil {
		return true
	}
	for j, on := range n.Power {
		if on && power[j] > 0 {
			return true
		}
	}
	return false
}

// StageEnds is a project's critical path when everything is ordered at its
// start: ends[i] is the week, counted from the start, stage i ends at the
// earliest, given the stages it comes after and InputLeadWeeks, a stage
// that secures power also waiting powerLeadWeeks. power is the project's
// grid MW by source, or nil for any mix (see InputLeadWeeks). finish is
// the latest end: the start-to-online time. ends is reused when it has
// room.
func (m *Model) StageEnds(powerLeadWeeks int, power []float64, ends []int) (_ []int, finish int) {
	ends = append(ends[:0], make([]int, len(m.Stages))...)
	for i, st := range m.Stages {
		es := m.InputLeadWeeks(i, power)
		for _, a := range st.After {
			es = max(es, ends[a])
		}
		if st.SecuresPower {
			es = max(es, powerLeadWeeks)
		}
		ends[i] = es + st.Weeks
		finish = max(finish, ends[i])
	}
	return ends, finish
}

// EquityYear is the funding year week w falls in: equity per year is
// allowed per 52-week year from the start.
func EquityYear(w int) int { return w / 52 }

// ExpansionSteps is qty units per week of added capacity in the line's
// whole expansion steps, to the nearest (less than half a step funds
// nothing); qty itself when the line has no step.
func (l *Line) ExpansionSteps(qty float64) float64 {
	if l.ExpansionStep <= 0 {
		return qty
	}
	return math.Round(qty/l.ExpansionStep) * l.ExpansionStep
}
