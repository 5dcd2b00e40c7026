package plan

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/gwf-project/gwf/plan/lp"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// RelaxShare is the relaxation every binding row is ranked by: the $
// saved by relaxing the row by this share of its level for its one
// period (ShadowPrice.RelaxUSD).
const RelaxShare = 0.01

// ShadowPrice is the value of relaxing one binding row of the plan for
// one period: a line's supply (the dual of its supply row) or the
// financing available by then (line "capital", unit "USD": the dual of
// the funding row).
//
// Duals come in each row's own unit — $ per unit/week of supply, $ per
// worker, $ per $ of financing — so they are not comparable with one
// another. Shadow prices are ranked instead by RelaxUSD, the $ the
// objective would fall by if the row were relaxed by 1% of its level
// (RelaxShare × Level) for that one period, at the dual's rate: for a
// supply row, 1% of the line's supply in the period (share × industry
// plus the expansions online; crews: 1% of the workforce); for a cash
// floor, 1% of the period's spending (capex, running costs, interest). A supply row's level
// grows with the period's length as its dual stays per unit, so summed
// over the periods of a year (or the horizon) the measure is the same at
// weekly, monthly and quarterly periods up to aggregation.
type ShadowPrice struct {
	Line   string `json:"line" yaml:"line"`
	Unit   string `json:"unit" yaml:"unit"`
	Period string `json:"period" yaml:"period"`
	Week   int    `json:"first_week" yaml:"first_week"`
	// SavesUSD is what one more unit per week of supply through the
	// period saves (one more worker for crews, one more dollar for
	// capital).
	SavesUSD float64 `json:"saves_usd_per_unit_per_week" yaml:"saves_usd_per_unit_per_week"`
	// Dual is the row's dual as the solver gave it ($ per unit of the
	// row's right-hand side: units over the period, workers, or $).
	Dual float64 `json:"dual" yaml:"dual"`
	// Level is what 1% is taken of, in the row's unit (units over the
	// period, workers, or $); RelaxUSD = −Dual × RelaxShare × Level is
	// the ranking measure.
	Level    float64 `json:"level" yaml:"level"`
	RelaxUSD float64 `json:"relax_1pct_saves_usd" yaml:"relax_1pct_saves_usd"`
	// ShortfallMW is SavesUSD / penalty: the MW of shortfall it would
	// avoid, when the target is short (else the saving is capex).
	ShortfallMW float64 `json:"shortfall_mw_avoided" yaml:"shortfall_mw_avoided"`
	Text        string  `json:"text" yaml:"text"`
}

// RankShadowPrices orders shadow prices by RelaxUSD, largest first
// (ties: the larger SavesUSD, then the earlier period, then the line).
func RankShadowPrices(sps []ShadowPrice) {
	slices.SortStableFunc(sps, func(a, b ShadowPrice) int {
		switch {
		case a.RelaxUSD != b.RelaxUSD:
			return cmpDesc(a.RelaxUSD, b.RelaxUSD)
		case a.SavesUSD != b.SavesUSD:
			return cmpDesc(a.SavesUSD, b.SavesUSD)
		case a.Week != b.Week:
			return a.Week - b.Week
		}
		return strings.Compare(a.Line, b.Line)
	})
}

func cmpDesc(a, b float64) int {
	if a > b {
		return -1
	}
	return 1
}

// WriteRanking writes the first n shadow prices (all when n ≤ 0) as
// ranked, one a line: the rank and the text, which gives the saving of a
// 1% relaxation and the dual per unit; then how many more there are.
func (pl *Plan) WriteRanking(w io.Writer, n int) error {
	var b strings.Builder
	if len(pl.ShadowPrices) == 0 {
		b.WriteString("  none binding\n")
	}
	for i, sp := range pl.ShadowPrices {
		if n > 0 && i == n {
			fmt.Fprintf(&b, "  … %d more in --json or --out\n", len(pl.ShadowPrices)-n)
			break
		}
		fmt.Fprintf(&b, "  %2d. %s\n", i+1, sp.Text)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// minCapitalSaves is the least a dollar must save for a money row to be
// listed: below a cent per dollar a dual is the cash-holding tie-break's
// (see holdCost), not money that binds.
const minCapitalSaves = 0.01

// capitalPrices are the shadow prices of the binding money rows, each
// ranked by 1% of its level: a year's equity allowance (one more dollar
// of equity that year), a facility's limit in a period (one more dollar
// it may lend then: its limit plus revenue multiple), and a period's cash
// floor (one more dollar spent below the reserve then; the level is all
// that was spent by then, as an allowance and a limit are what may be
// spent or owed in all).
func (rd *reading) capitalPrices() []ShadowPrice {
	fr := rd.fin
	if fr == nil {
		return nil
	}
	var out []ShadowPrice
	add := func(row, p int, level float64, what string) {
		saves := rd.sol.Duals[row] / bn // $ per $ (the rows are in bn)
		if row < 0 || saves < 1e-9 {
			return
		}
		if rd.LP.Rows[row].Sense == lp.LE {
			saves = -saves
		}
		if saves < minCapitalSaves {
			return
		}
		sp := ShadowPrice{
			Line: sim.CapitalLine, Unit: "USD", Period: rd.Label(p), Week: rd.Begin[p],
			SavesUSD: saves, Dual: rd.sol.Duals[row], Level: level, RelaxUSD: saves * RelaxShare * level,
			ShortfallMW: saves / rd.Opt.ShortfallPenalty,
		}
		sp.Text = fmt.Sprintf("one more dollar of %s saves $%s; 1%% more (+%s of %s) saves %s",
			what, units.FormatNumber(saves, 2), units.FormatUSD(RelaxShare*level), units.FormatUSD(level), units.FormatUSD(sp.RelaxUSD))
		out = append(out, sp)
	}
	years := slices.Sorted(maps.Keys(rd.equityRow))
	for _, y := range years {
		p := slices.IndexFunc(rd.Begin, func(w int) bool { return sim.EquityYear(w) == y })
		if p < 0 || p >= len(rd.online) {
			continue
		}
		add(rd.equityRow[y], p, rd.LP.Rows[rd.equityRow[y]].RHS*bn, fmt.Sprintf("equity in the funding year from %s", rd.Label(p)))
	}
	for _, x := range fr.facs {
		for g, row := range x.limit {
			p := fr.members[g][0]
			add(row, p, rd.LP.Rows[row].RHS*bn+x.f.RevenueMultiple*units.WeeksPerYear/fr.nw(g)*rd.x(fr.rev[g])*bn, fmt.Sprintf("%s limit in %s", x.name, rd.Label(p)))
		}
	}
	spent := 0.0
	for g, row := range fr.floor {
		p := fr.members[g][0]
		spent += rd.spending(g)
		add(row, p, spent, fmt.Sprintf("cash in %s (1%% of all spent by then)", rd.Label(p)))
	}
	return out
}

// spending is what the plan and the committed pipeline pay out in money
// period g: capex, running costs and the plan's interest (the committed
// pipeline's net of its revenue).
func (rd *reading) spending(g int) float64 {
	fr, f := rd.fin, rd.M.Finance
	s := fr.nw(g) * (f.OpsPerMWWeek*rd.x(fr.cum[g]) + rd.x(fr.energy[g])*bn)
	for _, q := range fr.members[g] {
		per := &rd.pl.Periods[q]
		s += per.CapexUSD + per.InterestUSD
		if rd.cm != nil {
			s += max(0, rd.cm.net[q])
		}
	}
	return s
}

// supplyPrices are the shadow prices of the binding supply rows.
func (rd *reading) supplyPrices() []ShadowPrice {
	var out []ShadowPrice
	for _, ri := range rd.supply {
		d := rd.sol.Duals[ri.row]
		ln := &rd.M.Lines[ri.line]
		saves := -d * ri.k // k = 1 for crews: the row is average workers
		if saves < 1e-6 {
			continue
		}
		level := ri.base + ri.k*rd.x(ri.added)
		what, more := "unit/week", fmt.Sprintf("+%s %s/week", units.FormatNumber(RelaxShare*level/ri.k, 3), ln.Unit)
		if ln.Kind == sim.Crew {
			what, more = "worker", fmt.Sprintf("+%s workers", units.FormatNumber(RelaxShare*level, 1))
		}
		sp := ShadowPrice{
			Line: ln.Name, Unit: ln.Unit, Period: rd.Label(ri.period), Week: rd.Begin[ri.period],
			SavesUSD: saves, Dual: d, Level: level, RelaxUSD: -d * RelaxShare * level,
			ShortfallMW: saves / rd.Opt.ShortfallPenalty,
		}
		sp.Text = fmt.Sprintf("one more %s (%s) of %s in %s saves %s", what, ln.Unit, ln.Name, sp.Period, units.FormatUSD(saves))
		if sp.ShortfallMW >= 0.01 {
			sp.Text += fmt.Sprintf(" (≈ %s of shortfall)", units.FormatMW(sp.ShortfallMW))
		}
		sp.Text += fmt.Sprintf("; 1%% more (%s) saves %s", more, units.FormatUSD(sp.RelaxUSD))
		out = append(out, sp)
	}
	return out
}
