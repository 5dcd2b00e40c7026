package backtest

import (
	"fmt"
	"math"
	"slices"

	"github.com/gwf-project/gwf/sim"
)

// Aggregation is how a weekly quantity becomes one figure for a period.
type Aggregation uint8

const (
	// Sum adds the weekly quantity over the period (flows: MW added,
	// accelerators shipped, revenue).
	Sum Aggregation = iota
	// Mean averages it over the period (levels: prices, cost per GW).
	Mean
)

// Series is a recorded quantity and how the simulation maps onto it.
type Series struct {
	Name        string
	Unit        string
	Aggregation Aggregation
	// Mapping says, in a sentence, which simulated quantity is compared.
	Mapping string
	// weekly is the simulated quantity in week w, or an error when the
	// model lacks what the series needs.
	weekly func(o *outcome, w int) (float64, error)
}

// Catalogue lists the series the backtest knows, in report order. A data
// file must be named after one of them.
var Catalogue = []Series{
	{
		Name: "it_capacity_added", Unit: "MW", Aggregation: Sum,
		Mapping: "IT MW brought online in the period (Weeks.AddedMW)",
		weekly:  func(o *outcome, w int) (float64, error) { return o.res.Weeks[w].AddedMW, nil },
	},
	{
		Name: "it_capacity_started", Unit: "MW", Aggregation: Sum,
		Mapping: "IT MW of projects started in the period (change in Weeks.StartedMW)",
		weekly: func(o *outcome, w int) (float64, error) {
			prev := 0.0
			if w > 0 {
				prev = o.res.Weeks[w-1].StartedMW
			}
			return o.res.Weeks[w].StartedMW - prev, nil
		},
	},
	{
		Name: "accelerators_shipped", Unit: "accelerators", Aggregation: Sum,
		Mapping: "accelerator packages delivered to projects in the period (the accelerator line's Delivered series)",
		weekly: func(o *outcome, w int) (float64, error) {
			return o.res.Lines[o.m.Accel].Delivered[w], nil
		},
	},
	{
		Name: "nvidia_dc_revenue", Unit: "USD", Aggregation: Sum,
		Mapping: "spending on accelerators delivered in the period: Delivered × UnitCost of the accelerator line",
		weekly: func(o *outcome, w int) (float64, error) {
			l := &o.res.Lines[o.m.Accel]
			return l.Delivered[w] * l.UnitCost[w], nil
		},
	},
	{
		Name: "capex_per_gw", Unit: "USD/GW", Aggregation: Mean,
		Mapping: "cost of 1 GW of IT at the week's prices: the recipe of every stage at each line's UnitCost for the generation in production, grid power at the run's power mix, plus finance capex items",
		weekly:  func(o *outcome, w int) (float64, error) { return 1000 * o.capexPerMW(w), nil },
	},
	{
		Name: "gpu_hour_price", Unit: "USD/accelerator-hour", Aggregation: Mean,
		Mapping: "revenue per fully used MW-hour (finance.revenue, with its decline) times the all-in power of one H100 (generation \"hopper\")",
		weekly:  gpuHourPrice("hopper"),
	},
}

// SeriesNamed returns the series called name.
func SeriesNamed(name string) (Series, bool) {
	i := slices.IndexFunc(Catalogue, func(s Series) bool { return s.Name == name })
	if i < 0 {
		return Series{}, false
	}
	return Catalogue[i], true
}

// SeriesNames lists the catalogue's names in order.
func SeriesNames() []string {
	out := make([]string, len(Catalogue))
	for i, s := range Catalogue {
		out[i] = s.Name
	}
	return out
}

// outcome is one simulated run as the series read it.
type outcome struct {
	m   *sim.Model
	res *sim.Result
	// powerMix is the share of grid MW each power line (Model.PowerLines)
	// supplied to the projects started from the case's start date on.
	powerMix []float64
}

func newOutcome(m *sim.Model, res *sim.Result, fromWeek int) *outcome {
	o := &outcome{m: m, res: res, powerMix: make([]float64, len(m.PowerLines))}
	total := 0.0
	for _, p := range res.Projects {
		if p.StartWeek < fromWeek {
			continue
		}
		for j, mw := range p.PowerMW {
			o.powerMix[j] += mw
			total += mw
		}
	}
	for j := range o.powerMix {
		if total > 0 {
			o.powerMix[j] /= total
		} else {
			o.powerMix[j] = 1 / float64(len(o.powerMix))
		}
	}
	return o
}

// capexPerMW is what one MW of IT costs at week w's prices: each stage's
// needs per MW at the line's unit cost (accelerators and racks for the
// generation in production), grid power (MW × PUE) at the power mix, and
// the finance capex items per MW.
func (o *outcome) capexPerMW(w int) float64 {
	m := o.m
	gi := m.GenerationAt(w)
	perMW := 0.0
	for _, st := range m.Stages {
		for _, n := range st.Needs {
			perMW += m.UnitsPerMW(n, gi) * o.res.Lines[n.Line].UnitCost[w]
		}
	}
	for j, l := range m.PowerLines {
		perMW += m.PUE * o.powerMix[j] * o.res.Lines[l].UnitCost[w]
	}
	if m.Finance != nil {
		for _, it := range m.Finance.Items {
			perMW += it.PerMW
		}
	}
	return perMW
}

// gpuHourPrice is the rental price of one accelerator of generation gen
// per hour: the scenario's revenue per fully used MW-week, declining, over
// 168 hours, times the accelerator's all-in MW.
func gpuHourPrice(gen string) func(o *outcome, w int) (float64, error) {
	return func(o *outcome, w int) (float64, error) {
		fm := o.m.Finance
		if fm == nil || fm.RevenuePerMWWeek <= 0 {
			return 0, fmt.Errorf("the scenario has no finance.revenue.per_mw_year")
		}
		i := slices.IndexFunc(o.m.Generations, func(g sim.Generation) bool { return g.Name == gen })
		if i < 0 {
			return 0, fmt.Errorf("the scenario has no generation %q", gen)
		}
		perMWHour := fm.RevenuePerMWWeek * math.Pow(fm.RevenueDecline, float64(w)) / (24 * 7)
		return perMWHour * o.m.Generations[i].KWPerAccelerator / 1000, nil
	}
}
