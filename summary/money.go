package summary

import (
	"github.com/gwf-project/gwf/sim"
)

// Money is the run's finances in brief. It is nil for a run without finance.
type Money struct {
	CapexUSD, OpexUSD, RevenueUSD, InterestUSD float64
	EquityUSD, DrawnUSD, FinancedUSD           float64
	DepreciationUSD                            float64
	EndCashUSD, EndDebtUSD                     float64
	// PeakNeedUSD is the largest cumulative shortfall of revenue against
	// capex, running costs and interest: the most outside money the factory
	// needed at once; PeakNeedWeek is when.
	PeakNeedUSD  float64
	PeakNeedWeek int
	// PaybackWeek is the first week cumulative revenue covers cumulative
	// capex, running costs and interest, or -1.
	PaybackWeek int
	// CapitalBoundWeeks counts weeks in which money held something back.
	CapitalBoundWeeks int
	// OverdrawnWeeks counts weeks that ended with running costs or debt
	// service unfunded; PeakOverdrawnUSD is the deepest such shortfall.
	OverdrawnWeeks   int
	PeakOverdrawnUSD float64
	// AtMilestone gives cumulative capex and opex when each online milestone
	// (1, 10, 100 GW) was reached.
	AtMilestone map[int][2]float64
	// CapexPerGW is, at the end of each calendar year, capex spent so far
	// per GW online so far.
	CapexPerGW []YearFigure
}

// YearFigure is a figure for one calendar year.
type YearFigure struct {
	Year  int
	Value float64
	// OK is false when the figure is undefined (no GW brought online).
	OK bool
}

func moneyOf(r *sim.Result, s *Summary) *Money {
	if r.Model.Finance == nil {
		return nil
	}
	mo := &Money{PaybackWeek: -1, AtMilestone: map[int][2]float64{}}
	need, capex, opex := 0.0, 0.0, 0.0
	type yr struct{ capex, mw float64 } // cumulative at the year's end
	years := map[int]*yr{}
	var order []int
	for _, w := range r.Weeks {
		mo.CapexUSD += w.CapexUSD
		mo.OpexUSD += w.OpexUSD
		mo.RevenueUSD += w.RevenueUSD
		mo.InterestUSD += w.InterestUSD
		mo.EquityUSD += w.EquityUSD
		mo.DrawnUSD += w.DrawnUSD
		mo.FinancedUSD += w.FinancedUSD
		mo.DepreciationUSD += w.DepreciationUSD
		mo.EndCashUSD, mo.EndDebtUSD = w.CashUSD, w.DebtUSD
		capex += w.CapexUSD
		opex += w.OpexUSD
		need = NeedAfter(need, w)
		if need > mo.PeakNeedUSD {
			mo.PeakNeedUSD, mo.PeakNeedWeek = need, w.Week
		}
		if need <= 0 && mo.PaybackWeek < 0 && w.Week > 0 && mo.CapexUSD > 0 {
			mo.PaybackWeek = w.Week
		} else if need > 0 {
			mo.PaybackWeek = -1
		}
		if w.CapitalBound {
			mo.CapitalBoundWeeks++
		}
		if w.OverdrawnUSD > 0 {
			mo.OverdrawnWeeks++
			mo.PeakOverdrawnUSD = max(mo.PeakOverdrawnUSD, w.OverdrawnUSD)
		}
		for gw, ms := range s.OnlineGW {
			if ms != nil && ms.Week == w.Week {
				mo.AtMilestone[gw] = [2]float64{capex, opex}
			}
		}
		y := w.Date.Year()
		if years[y] == nil {
			years[y] = &yr{}
			order = append(order, y)
		}
		years[y].capex = capex
		years[y].mw = w.OnlineMW
	}
	for _, y := range order {
		v := years[y]
		f := YearFigure{Year: y}
		if v.mw > 0 {
			f.Value, f.OK = v.capex/(v.mw/1000), true
		}
		mo.CapexPerGW = append(mo.CapexPerGW, f)
	}
	return mo
}

// MissionOutcome is how one mission fared.
type MissionOutcome struct {
	Name     string
	Training bool
	// ServedAt is the share of demand served in the week each online
	// milestone (1, 10, 100 GW) was reached; absent if not reached.
	ServedAt map[int]float64
	// FullyMetWeek is the first week demand was met in full (and stayed
	// met for a quarter), or -1.
	FullyMetWeek int
	// UnmetFLOP is demand not served, summed over the run (FLOP).
	UnmetFLOP float64
	// ServedShare is the share of all demand over the run that was served.
	ServedShare float64
}

func missionsOf(r *sim.Result, s *Summary) []MissionOutcome {
	var out []MissionOutcome
	const secondsPerWeek = 7 * 24 * 3600
	for k, mi := range r.Model.Missions {
		ser := r.Missions[k]
		o := MissionOutcome{Name: mi.Name, Training: mi.Training, ServedAt: map[int]float64{}, FullyMetWeek: -1}
		total, served := 0.0, 0.0
		met := make([]float64, len(ser.Demand))
		for w, d := range ser.Demand {
			total += d
			served += ser.Served[w]
			o.UnmetFLOP += (d - ser.Served[w]) * secondsPerWeek
			if d > 0 && ser.Served[w] >= d*(1-1e-9) {
				met[w] = 1
			}
		}
		if total > 0 {
			o.ServedShare = served / total
		}
		o.FullyMetWeek = SustainedFrom(met, 1, SustainWindow)
		for gw, ms := range s.OnlineGW {
			if ms != nil && ser.Demand[ms.Week] > 0 {
				o.ServedAt[gw] = ser.Served[ms.Week] / ser.Demand[ms.Week]
			}
		}
		out = append(out, o)
	}
	return out
}

// NeedAfter is the cumulative outside money needed after week w, given
// need before it: capex, running costs and interest less revenue. Its
// largest value over a run is the run's peak funding need.
func NeedAfter(need float64, w sim.Week) float64 {
	return need + (w.CapexUSD + w.OpexUSD + w.InterestUSD - w.RevenueUSD)
}

// CapexAndPeakNeed are a run's total capex and, with finance, its peak
// funding need (0 without finance), as Of reports them.
func CapexAndPeakNeed(r *sim.Result) (capex, peak float64) {
	need := 0.0
	for _, w := range r.Weeks {
		capex += w.CapexUSD
		if r.Model.Finance != nil {
			need = NeedAfter(need, w)
			peak = max(peak, need)
		}
	}
	return capex, peak
}
