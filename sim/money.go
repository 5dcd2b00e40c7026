package sim

import "math"

// The money equations the simulation runs week by week and the planner's
// funding rows take their coefficients from: one home for each.

// Instalment is the principal repaid each week on amount drawn from f:
// equal instalments over its tenor, from the week after the draw.
func (f *Facility) Instalment(amount float64) float64 {
	return amount / float64(f.TenorWeeks)
}

// Interest is a week's interest on outstanding, charged before that
// week's instalment is paid.
func (f *Facility) Interest(outstanding float64) float64 {
	return outstanding * f.WeeklyRate
}

// Headroom is what f may still lend with outstanding drawn, when the
// factory's revenue runs at annualRevenue a year: its limit plus its
// revenue multiple, less what is outstanding, never below 0.
func (f *Facility) Headroom(outstanding, annualRevenue float64) float64 {
	return nonNegative(f.Limit + f.RevenueMultiple*annualRevenue - outstanding)
}

// nonNegative is x, or 0 if x is negative: max(0, x) for the values money
// takes (never -0: every zero here comes from a difference of equal
// amounts or from 0 itself), in a compare and a branch where the builtin
// max of floats takes a dozen instructions to order signed zeros and NaN.
func nonNegative(x float64) float64 {
	if x < 0 {
		return 0
	}
	return x
}

// Lends reports whether f lends anything at all.
func (f *Facility) Lends() bool { return f.Limit > 0 || f.RevenueMultiple > 0 }

// Facilities lists the debt, vendor and lease facilities (in that order,
// the simulation's facility kinds).
func (fm *Finance) Facilities() [3]*Facility {
	return [3]*Facility{&fm.Debt, &fm.Vendor, &fm.Lease}
}

// Reserve is the cash the factory keeps against running costs of
// runningPerWeek a week (energy and operations).
func (fm *Finance) Reserve(runningPerWeek float64) float64 {
	return fm.ReserveWeeks * runningPerWeek
}

// RampShare is the share of its full revenue a MW earns k weeks after the
// week it came online (k = 0: that week, when it earns nothing yet).
func (fm *Finance) RampShare(k int) float64 {
	if r := fm.RampWeeks; r > 0 && k < r {
		return float64(k) / float64(r)
	}
	return 1
}

// RevenuePerMW is what a fully ramped MW earns in a week whose price is
// priceFactor times the start's (PriceFactor).
func (fm *Finance) RevenuePerMW(priceFactor float64) float64 {
	return fm.RevenuePerMWWeek * priceFactor * fm.Utilisation
}

// PriceFactor is the price of compute in week w as a share of the start's:
// RevenueDecline compounded weekly. (The simulation compounds it as it
// goes, which agrees to rounding.)
func (fm *Finance) PriceFactor(w int) float64 {
	return math.Pow(fm.RevenueDecline, float64(w))
}

// EnergyPerWeek is the weekly energy bill of gridMW drawn from power line
// k (indexed like Model.PowerLines).
func (fm *Finance) EnergyPerWeek(k int, gridMW float64) float64 {
	return gridMW * 24 * 7 * fm.EnergyPerMWh[k]
}

// Financing is the facility that may finance purchases from line l: the
// vendor facility for accelerators, none (-1) for the rest. Capex items
// (land, building shell) are leasable (LeaseKind).
func (m *Model) Financing(l int) int {
	if l == m.Accel {
		return vendor
	}
	return -1
}

// Facility kinds, indexing Finance.Facilities.
const (
	DebtKind   = debt
	VendorKind = vendor
	LeaseKind  = lease
)

// learning is line l's learning-curve factor on its unit cost once
// cumulative output reaches q (the line's own scale for accelerators, see
// grow): 1 without learning.
func (l *Line) learning(q float64) float64 {
	if l.LearningExponent > 0 && l.CumulativeOutput > 0 {
		// x^-b as exp(-b·ln x): the same value, about twice as fast.
		return math.Exp(-l.LearningExponent * math.Log(q/l.CumulativeOutput))
	}
	return 1
}

// PricePath is line l's unit cost in each week of the horizon as the
// simulation's learning curve sets it from the industry's output alone
// (capacity funded by the factory's own expansions, which also counts
// towards learning in a run, is left out, so these prices are at most a
// little above a run's). Accelerators are priced by the generation in
// production, each learning from its own output.
func (m *Model) PricePath(l int) []float64 {
	ln := &m.Lines[l]
	out := make([]float64, m.Weeks)
	base, cum := ln.Capacity, ln.CumulativeOutput
	gen, genStart := m.GenerationAt(0), cum
	for w := range out {
		if w > 0 {
			base *= ln.WeeklyGrowth
		}
		if ln.Kind == Accelerator {
			if g := m.GenerationAt(w); g != gen {
				gen, genStart = g, cum
			}
		}
		cum += base
		q := cum
		if ln.Kind == Accelerator {
			q = ln.CumulativeOutput + cum - genStart
		}
		out[w] = ln.UnitCostUSD * ln.learning(q)
		if ln.Kind == Accelerator {
			out[w] = m.Generations[gen].UnitCostUSD * ln.learning(q)
		}
	}
	return out
}

// Outstanding is what the factory owes facility kind (DebtKind,
// VendorKind, LeaseKind) at the start of this week.
func (s *State) Outstanding(kind int) float64 { return s.money.fac[kind].outstanding }
