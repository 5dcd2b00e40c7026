package report

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
	"github.com/gwf-project/gwf/units"
)

// The text of gwf plan and of a run following a plan (gwf run --plan).

// PlanText writes gwf plan's text: the header (with the model's size and
// times when verbose), the MIP's status, capital, the starting state, the
// build schedule, money, expansions, cost by layer, the ranked shadow
// prices and lead-time values, and what is not in the plan. solver names
// the solver for the verbose line.
func PlanText(w io.Writer, pl *plan.Plan, verbose bool, solver string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "gwf plan — scenario %q, %sly periods from %s; start to online %d weeks\n", pl.Scenario, pl.Period, pl.StartDate, pl.CriticalWeeks)
	if verbose {
		fmt.Fprintf(&b, "Model: %d rows, %d columns, %d non-zeros; built in %.1f ms, solved (%s) in %.1f ms\n",
			pl.Stats.Rows, pl.Stats.Columns, pl.Stats.NonZeros, pl.Stats.BuildSeconds*1e3, solver, pl.Stats.SolveSeconds*1e3)
		if pl.LeadTimeValues != nil {
			fmt.Fprintf(&b, "Lead times: %d re-solves, one period shorter each, in %.1f ms\n", len(pl.LeadTimeValues), pl.Stats.LeadTimeSeconds*1e3)
		}
	}
	if pl.Integer || len(pl.ExpansionBlocks) > 0 {
		var what []string
		if pl.Integer {
			what = append(what, "whole projects")
		}
		if len(pl.ExpansionBlocks) > 0 {
			var bs []string
			for _, l := range slices.Sorted(maps.Keys(pl.ExpansionBlocks)) {
				bs = append(bs, l+" "+units.FormatNumber(pl.ExpansionBlocks[l], 1))
			}
			what = append(what, "expansions in blocks of units/week ("+strings.Join(bs, ", ")+")")
		}
		status := "proven optimal"
		switch {
		case pl.Rounded:
			status = "no whole plan found within the time limit, so the LP relaxation's rounded"
		case pl.Stopped:
			status = "stopped at the time limit"
		}
		fmt.Fprintf(&b, "MIP (%s; %s): %s, %s\n", strings.Join(what, ", "), solver, status, gapText(pl))
	}
	if pl.Capital {
		b.WriteString("Capital: in the model (each period: cash after capex, running costs, interest and repayments stays above the reserve; equity per year, debt within its limits)\n")
		if n, first := capitalBinds(pl); n > 0 {
			fmt.Fprintf(&b, "Money binds: in %d periods from %s more money would save (the plan builds what can be paid for; see Money by year)\n", n, first)
		}
	} else {
		b.WriteString("Capital: not in the model (capex unlimited)\n")
	}
	if pl.Start != nil {
		b.WriteString(pl.Start.Text + "\n")
	}
	fmt.Fprintf(&b, "Discounted capex %s (at %s%%/year)", units.FormatUSD(pl.CapexUSD), units.FormatNumber(100*pl.DiscountRate, 1))
	if pl.ShortfallMW > 0.5 {
		fmt.Fprintf(&b, "; the target cannot be met: short by %s over the horizon\n", units.FormatMW(pl.ShortfallMW))
	} else {
		b.WriteString("; the target is met in every period\n")
	}
	b.WriteString("\nBuild schedule by year (MW):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if pl.Start != nil {
		fmt.Fprintln(tw, "year\ttarget\tcommitted\tonline\tstarted\tshortfall\t")
	} else {
		fmt.Fprintln(tw, "year\ttarget\tonline\tstarted\tshortfall\t")
	}
	type yr struct{ target, committed, online, started, short float64 }
	var years []string
	agg := map[string]*yr{}
	for _, p := range pl.Periods {
		y := p.Label[:4]
		if agg[y] == nil {
			agg[y] = &yr{}
			years = append(years, y)
		}
		a := agg[y]
		a.target += p.TargetMW
		a.committed += p.CommittedMW
		a.online += p.OnlineMW
		a.started += p.StartedMW
		a.short += p.ShortfallMW
	}
	for _, y := range years {
		a := agg[y]
		if pl.Start != nil {
			fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t\n", y, a.target, a.committed, a.online, a.started, a.short)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t\n", y, a.target, a.online, a.started, a.short)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pl.Capital {
		writeFinancing(&b, pl)
	}
	b.WriteString("\nExpansions funded (units/week added, total by line):\n")
	if len(pl.Expansions) == 0 {
		b.WriteString("  none\n")
	}
	type ex struct {
		first string
		qty   float64
		cost  float64
		unit  string
	}
	var lines []string
	exs := map[string]*ex{}
	for _, e := range pl.Expansions {
		if exs[e.Line] == nil {
			exs[e.Line] = &ex{first: e.Period, unit: e.Unit}
			lines = append(lines, e.Line)
		}
		exs[e.Line].qty += e.PerWeek
		exs[e.Line].cost += e.CostUSD
	}
	for _, l := range lines {
		x := exs[l]
		fmt.Fprintf(&b, "  %-20s +%s %s/week from %s on, %s\n", l, units.FormatNumber(x.qty, 1), x.unit, x.first, units.FormatUSD(x.cost))
	}
	b.WriteString("\nDiscounted capex by layer:\n")
	for _, c := range pl.CostByLayer {
		if c.CostUSD >= 0.5 {
			fmt.Fprintf(&b, "  %-24s %s\n", c.Layer, units.FormatUSD(c.CostUSD))
		}
	}
	b.WriteString("\nMost valuable relaxations (binding supply and money rows, ranked by the $ saved by 1% more for one period):\n")
	if err := pl.WriteRanking(&b, 10); err != nil {
		return err
	}
	var shorter []plan.LeadTimeValue
	for _, v := range pl.LeadTimeValues {
		if v.SavesUSDPerWeek > 0 && v.Error == "" {
			shorter = append(shorter, v)
		}
	}
	if len(shorter) > 0 {
		slices.SortStableFunc(shorter, func(a, b plan.LeadTimeValue) int { return cmp.Compare(b.SavesUSDPerWeek, a.SavesUSDPerWeek) })
		b.WriteString("\nShorter lead times (by re-solving; not on the same measure as the rows above):\n")
		for _, v := range shorter {
			fmt.Fprintf(&b, "  %s\n", v.Text)
		}
	}
	var failed []string
	for _, v := range pl.LeadTimeValues {
		if v.Error != "" {
			failed = append(failed, v.Text)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "\nLead-time re-solves that failed (%d of %d; the plan above stands):\n", len(failed), len(pl.LeadTimeValues))
		for _, f := range failed {
			fmt.Fprintf(&b, "  %s\n", f)
		}
	}
	b.WriteString("\nNot in this plan: " + strings.Join(pl.Omitted, "; ") + ".\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// gapText is a MIP's optimality gap in dollars and as a share of the cost
// part of the objective (the shortfall penalty apart).
func gapText(pl *plan.Plan) string {
	if pl.GapUSD <= 0 {
		return "optimality gap $0"
	}
	t := "optimality gap " + units.FormatUSD(pl.GapUSD) + " (objective less the solver's best bound"
	if pl.GapOfCost > 0 {
		t += "; " + units.FormatNumber(100*pl.GapOfCost, 2) + "% of the cost, the shortfall penalty apart"
	}
	return t + "; " + units.FormatNumber(100*pl.Gap, 3) + "% of the objective)"
}

// writeFinancing prints, per year, the plan's money: what its new MW
// earn, the equity it raises and the interest it pays; cash and debt at
// the year's end (the committed pipeline's included); the periods where
// cash is at its floor, and those where more cash would save money (a
// positive dual).
func writeFinancing(b *strings.Builder, pl *plan.Plan) {
	priced, floor := map[string]int{}, map[string]int{}
	type yr struct{ revenue, equity, interest float64 }
	agg := map[string]*yr{}
	for _, sp := range pl.ShadowPrices {
		if sp.Line == sim.CapitalLine && len(sp.Period) >= 4 {
			priced[sp.Period[:4]]++
		}
	}
	for _, p := range pl.Periods {
		y := p.Label[:4]
		if p.CashUSD <= p.ReserveUSD+max(1e6, 1e-6*p.ReserveUSD) {
			floor[y]++
		}
		if agg[y] == nil {
			agg[y] = &yr{}
		}
		agg[y].revenue += p.RevenueUSD
		agg[y].equity += p.EquityUSD
		agg[y].interest += p.InterestUSD
	}
	b.WriteString("\nMoney by year (the plan's new MW; cash and debt at the year's end with the committed pipeline's; periods with cash at its reserve, and where more cash would save):\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "year\trevenue\tequity\tinterest\tcash\tdebt\tat reserve\tpriced\t")
	for i, p := range pl.Periods {
		y := p.Label[:4]
		if i+1 < len(pl.Periods) && pl.Periods[i+1].Label[:4] == y {
			continue
		}
		a := agg[y]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", y, units.FormatUSD(a.revenue), units.FormatUSD(a.equity), units.FormatUSD(a.interest),
			units.FormatUSD(p.CashUSD), units.FormatUSD(p.DebtUSD), floor[y], priced[y])
	}
	_ = tw.Flush()
}

// capitalBinds counts the periods where a money row is priced (a capital
// shadow price) and names the first.
func capitalBinds(pl *plan.Plan) (int, string) {
	seen := map[string]bool{}
	first, firstWeek := "", 0
	for _, sp := range pl.ShadowPrices {
		if sp.Line != sim.CapitalLine || seen[sp.Period] {
			continue
		}
		seen[sp.Period] = true
		if first == "" || sp.Week < firstWeek {
			first, firstWeek = sp.Period, sp.Week
		}
	}
	return len(seen), first
}

// PlanVsSimText prints the plan's MW online against the run's at each
// year end and at the end of the horizon, capex by year, and the first
// divergence beyond the tolerance (plan.Compare).
func PlanVsSimText(w io.Writer, pl *plan.Plan, res *sim.Result) error {
	c := pl.Compare(res)
	var b strings.Builder
	b.WriteString("\nPlan vs simulated (MW online, following the plan):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if pl.Capital {
		fmt.Fprintln(tw, "at\tplanned\tsimulated\tdifference\tdebt planned\tdebt simulated\t")
	} else {
		fmt.Fprintln(tw, "at\tplanned\tsimulated\tdifference\t")
	}
	for _, y := range c.Online {
		if pl.Capital {
			fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%+.0f\t%s\t%s\t\n", y.At, y.PlannedMW, y.SimulatedMW, y.SimulatedMW-y.PlannedMW, units.FormatUSD(y.PlannedDebtUSD), units.FormatUSD(y.SimulatedDebtUSD))
			continue
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%+.0f\t\n", y.At, y.PlannedMW, y.SimulatedMW, y.SimulatedMW-y.PlannedMW)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := len(res.Weeks); n > 0 {
		fmt.Fprintf(&b, "Projects of %s; MW started: %s simulated.\n", units.FormatMW(res.Model.SizeMW), units.FormatMW(res.Weeks[n-1].StartedMW))
	}
	if d := c.First; d != nil {
		fmt.Fprintf(&b, "Warning: the simulation differs from the plan by more than %.0f%% first at %s (%+.1f%%): %s.\n", 100*c.Tolerance, d.At, 100*d.DiffShare, d.Cause)
	} else {
		fmt.Fprintf(&b, "The simulation stays within %.0f%% of the plan's MW online at every year end.\n", 100*c.Tolerance)
	}
	writeCapexVsSim(&b, c.Capex)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCapexVsSim prints the plan's capex against the run's, undiscounted,
// by calendar year (plan.CompareCapex).
func writeCapexVsSim(b *strings.Builder, years []plan.CapexYear) {
	if len(years) == 0 {
		return
	}
	b.WriteString("\nCapex by year, undiscounted (the plan's new MW and expansions plus the committed pipeline's, against the simulation's):\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "year\tplanned\tsimulated\tdifference\t")
	for _, y := range years {
		d := "—"
		if y.PlanUSD != 0 {
			d = units.FormatNumber(100*(y.SimUSD-y.PlanUSD)/y.PlanUSD, 1) + "%"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\n", y.Year, units.FormatUSD(y.PlanUSD), units.FormatUSD(y.SimUSD), d)
	}
	_ = tw.Flush()
}

// PlanHTML writes the HTML report of a run that followed pl, with the
// plan's MW online charted against the simulation's week by week.
func PlanHTML(w io.Writer, sc *scenario.Scenario, res *sim.Result, sum *summary.Summary, pl *plan.Plan) error {
	n := len(res.Weeks)
	online := Comparison{Name: "IT capacity online", Unit: "MW"}
	for wk := 0; wk < n; wk++ {
		online.Weeks = append(online.Weeks, wk)
		online.Recorded = append(online.Recorded, pl.PlannedOnline(wk))
		online.Simulated = append(online.Simulated, res.Weeks[wk].OnlineMW)
	}
	caption := fmt.Sprintf("The plan's IT capacity online (solid) against the simulation that followed it (dashed), week by week. At the end: %s planned, %s simulated.",
		units.FormatMW(pl.PlannedOnline(n-1)), units.FormatMW(res.Weeks[n-1].OnlineMW))
	return HTMLWithPlan(w, sc, res, sum, caption, []Comparison{online})
}
