package export

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/gwf-project/gwf/backtest"
	"github.com/gwf-project/gwf/calendar"
	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/plan"
)

// The tables of each result are built from its JSON form, so every format
// carries the JSON's numbers, and a stored result (the server keeps the
// JSON) gives the same tables as a fresh one.

// day parses a date as the JSON writes it; "" and bad dates are nil.
func day(s string) any {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return t
}

func optInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func numOrNil(p *Num) any {
	if p == nil {
		return nil
	}
	return float64(*p)
}

func milestoneRow(t *Table, name string, m *Milestone) {
	if m == nil {
		t.add(name, false, nil, nil)
		return
	}
	t.add(name, true, m.Week, day(m.Date))
}

// RunTables returns the tables of one run: weekly series, projects and
// their stages, mission allocation (when the scenario has missions),
// milestones, bottlenecks by quarter, shortfalls and supply lines.
func RunTables(run *Run) []*Table {
	src := fmt.Sprintf("gwf run, scenario %s, seed %d, gwf %s", run.Scenario, run.Seed, run.Version)
	weekly := &Table{Name: "weekly", Title: "Weekly series", Source: src, Columns: []Column{
		{Name: "week", Kind: KindInt, Unit: "week", Doc: "week of the run, from 0"},
		{Name: "date", Kind: KindDate, Doc: "the week's first day"},
		{Name: "online_mw", Kind: KindFloat, Unit: "MW", Doc: "IT capacity online at the week's end"},
		{Name: "added_mw", Kind: KindFloat, Unit: "MW/week", Doc: "IT capacity brought online in the week"},
		{Name: "target_mw", Kind: KindFloat, Unit: "MW/week", Doc: "the target ramp's MW/week for the week"},
		{Name: "started_mw", Kind: KindFloat, Unit: "MW", Doc: "IT capacity of projects started so far"},
		{Name: "pipeline_mw", Kind: KindFloat, Unit: "MW", Doc: "IT capacity under construction"},
		{Name: "online_pflops", Kind: KindFloat, Unit: "PFLOP/s", Doc: "compute online"},
		{Name: "capex_usd", Kind: KindMoney, Unit: "USD", Doc: "capital spent in the week"},
		{Name: "bottleneck", Kind: KindString, Doc: "the supply line holding back the most MW (empty: none)"},
		{Name: "held_back_mw", Kind: KindFloat, Unit: "MW", Doc: "MW the bottleneck held back"},
	}}
	fin := run.Finance != nil
	if fin {
		weekly.Columns = append(weekly.Columns,
			Column{Name: "opex_usd", Kind: KindMoney, Unit: "USD", Doc: "running costs in the week", Nullable: true},
			Column{Name: "revenue_usd", Kind: KindMoney, Unit: "USD", Doc: "revenue in the week", Nullable: true},
			Column{Name: "interest_usd", Kind: KindMoney, Unit: "USD", Doc: "interest paid in the week", Nullable: true},
			Column{Name: "depreciation_usd", Kind: KindMoney, Unit: "USD", Doc: "depreciation in the week", Nullable: true},
			Column{Name: "cash_usd", Kind: KindMoney, Unit: "USD", Doc: "cash at the week's end", Nullable: true},
			Column{Name: "debt_usd", Kind: KindMoney, Unit: "USD", Doc: "debt at the week's end", Nullable: true},
			Column{Name: "capital_bound", Kind: KindBool, Doc: "money held capacity back in the week"})
	}
	alloc := &Table{Name: "allocation", Title: "Compute by mission", Source: src, Columns: []Column{
		{Name: "week", Kind: KindInt, Unit: "week"},
		{Name: "date", Kind: KindDate, Doc: "the week's first day"},
		{Name: "mission", Kind: KindString},
		{Name: "demand_pflops", Kind: KindFloat, Unit: "PFLOP/s", Doc: "compute the mission asks for"},
		{Name: "served_pflops", Kind: KindFloat, Unit: "PFLOP/s", Doc: "compute it gets"},
	}}
	for _, w := range run.Weekly {
		d := day(w.Date)
		row := []any{w.Week, d, float64(w.OnlineMW), float64(w.AddedMW), float64(w.TargetMW), float64(w.StartedMW), float64(w.PipelineMW),
			float64(w.OnlinePFLOP), float64(w.CapexUSD), w.Bottleneck, float64(w.HeldBackMW)}
		if fin {
			row = append(row, numOrNil(w.OpexUSD), numOrNil(w.RevenueUSD), numOrNil(w.InterestUSD), numOrNil(w.DepreciationUSD),
				numOrNil(w.CashUSD), numOrNil(w.DebtUSD), w.CapitalBound)
		}
		weekly.add(row...)
		for _, a := range w.Allocation {
			alloc.add(w.Week, d, a.Mission, float64(a.DemandPFLOPS), float64(a.ServedPFLOPS))
		}
	}
	projects := &Table{Name: "projects", Title: "Projects and their stages", Source: src, Columns: []Column{
		{Name: "project", Kind: KindInt, Doc: "project id"},
		{Name: "name", Kind: KindString, Doc: "campus name (starting state only)"},
		{Name: "initial", Kind: KindBool, Doc: "part of the starting state"},
		{Name: "mw", Kind: KindFloat, Unit: "MW", Doc: "IT capacity"},
		{Name: "generation", Kind: KindString, Doc: "accelerator generation"},
		{Name: "start_week", Kind: KindInt, Unit: "week", Doc: "week the project started (negative: before the run)"},
		{Name: "online_week", Kind: KindInt, Unit: "week", Doc: "week it came online", Nullable: true},
		{Name: "stage", Kind: KindString},
		{Name: "stage_start_week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "stage_end_week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "wait_weeks", Kind: KindInt, Unit: "weeks", Doc: "weeks the stage waited for supply"},
		{Name: "waited_on", Kind: KindString, Doc: "the line it waited on most"},
	}}
	for _, p := range run.Projects {
		for _, st := range p.Stages {
			projects.add(p.ID, p.Name, p.Initial, float64(p.MW), p.Generation, p.StartWeek, optInt(p.OnlineWeek),
				st.Stage, optInt(st.Start), optInt(st.End), st.WaitWeeks, st.WaitedOn)
		}
	}
	ms := &Table{Name: "milestones", Title: "Milestones", Source: src, Columns: []Column{
		{Name: "milestone", Kind: KindString},
		{Name: "reached", Kind: KindBool, Doc: "reached within the horizon"},
		{Name: "week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "date", Kind: KindDate, Nullable: true, Doc: "the week's first day"},
	}}
	rate := strconv.FormatFloat(float64(run.Milestones.RateMW), 'f', -1, 64) + " MW/week"
	milestoneRow(ms, rate+" sustained", run.Milestones.GWPerWeek)
	quarter := func(name string, q *QuarterMilestone) {
		if q == nil {
			milestoneRow(ms, name, nil)
			return
		}
		milestoneRow(ms, name, &Milestone{Week: q.Week, Date: q.Date})
	}
	quarter("first quarter at "+rate, run.Milestones.FirstQuarter)
	quarter("four quarters at "+rate, run.Milestones.FourQuarters)
	for _, k := range sortedGW(run.Milestones.OnlineGW) {
		milestoneRow(ms, k+" GW online", run.Milestones.OnlineGW[k])
	}
	quarters := &Table{Name: "quarters", Title: "Binding constraint by quarter", Source: src, Columns: []Column{
		{Name: "quarter", Kind: KindString, Doc: "calendar quarter, 2026 Q1"},
		{Name: "bottleneck", Kind: KindString},
		{Name: "held_back_mw", Kind: KindFloat, Unit: "MW"},
	}}
	for _, q := range run.Quarters {
		quarters.add(q.Quarter, q.Bottleneck, float64(q.HeldBackMW))
	}
	lines := &Table{Name: "lines", Title: "Supply lines", Source: src, Columns: []Column{
		{Name: "line", Kind: KindString},
		{Name: "kind", Kind: KindString},
		{Name: "layer", Kind: KindString},
		{Name: "unit", Kind: KindString, Doc: "the unit of the line's supply"},
		{Name: "supply_start_per_week", Kind: KindFloat, Unit: "unit/week"},
		{Name: "supply_end_per_week", Kind: KindFloat, Unit: "unit/week"},
		{Name: "dedicated_end_per_week", Kind: KindFloat, Unit: "unit/week"},
		{Name: "delivered", Kind: KindFloat, Unit: "unit"},
		{Name: "held_back_mw_weeks", Kind: KindFloat, Unit: "MW·weeks", Doc: "MW held back, summed over the weeks"},
		{Name: "binding_weeks", Kind: KindInt, Unit: "weeks"},
	}}
	short := map[string]Shortfall{}
	for _, s := range run.Shortfalls {
		short[s.Resource] = s
	}
	for _, l := range run.Lines {
		s := short[l.Name]
		lines.add(l.Name, l.Kind, l.Layer, l.Unit, float64(l.SupplyStart), float64(l.SupplyEnd), float64(l.DedicatedEnd), float64(l.Delivered), float64(s.MWWeeks), s.BindingWeeks)
	}
	out := []*Table{weekly, projects}
	if len(alloc.Rows) > 0 {
		out = append(out, alloc)
	}
	return append(out, ms, quarters, lines)
}

// sortedGW returns the keys of an online-GW map in numeric order.
func sortedGW[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(keys[i])
		b, _ := strconv.Atoi(keys[j])
		return a < b
	})
	return keys
}

// MCTables returns the tables of a Monte Carlo study: weekly bands,
// milestones, binding lines by year and, for a study following a plan,
// the plan against the study.
func MCTables(m *MC) []*Table {
	src := fmt.Sprintf("gwf mc, scenario %s, seed %d, %d of %d runs, gwf %s", m.Scenario, m.Seed, m.Completed, m.Runs, m.Version)
	bands := &Table{Name: "bands", Title: "Weekly bands over the runs", Source: src, Columns: []Column{
		{Name: "week", Kind: KindInt, Unit: "week"},
		{Name: "date", Kind: KindDate, Doc: "the week's first day"},
		{Name: "online_mw_p10", Kind: KindFloat, Unit: "MW", Doc: "IT capacity online, P10 over the runs"},
		{Name: "online_mw_p50", Kind: KindFloat, Unit: "MW"},
		{Name: "online_mw_p90", Kind: KindFloat, Unit: "MW"},
		{Name: "added_mw_p10", Kind: KindFloat, Unit: "MW/week", Doc: "IT capacity brought online in the week, P10"},
		{Name: "added_mw_p50", Kind: KindFloat, Unit: "MW/week"},
		{Name: "added_mw_p90", Kind: KindFloat, Unit: "MW/week"},
	}}
	for _, w := range m.Weekly {
		bands.add(w.Week, day(w.Date), float64(w.OnlineMW.P10), float64(w.OnlineMW.P50), float64(w.OnlineMW.P90),
			float64(w.AddedMW.P10), float64(w.AddedMW.P50), float64(w.AddedMW.P90))
	}
	ms := &Table{Name: "milestones", Title: "Milestones over the runs", Source: src, Columns: []Column{
		{Name: "milestone", Kind: KindString},
		{Name: "reached_runs", Kind: KindInt, Unit: "runs"},
		{Name: "reached_share", Kind: KindFloat, Unit: "fraction"},
		{Name: "p10_week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "p10_date", Kind: KindDate, Nullable: true},
		{Name: "p50_week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "p50_date", Kind: KindDate, Nullable: true},
		{Name: "p90_week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "p90_date", Kind: KindDate, Nullable: true},
	}}
	at := func(p *Milestone) (any, any) {
		if p == nil {
			return nil, nil
		}
		return p.Week, day(p.Date)
	}
	add := func(x MCMilestone) {
		w10, d10 := at(x.P10)
		w50, d50 := at(x.P50)
		w90, d90 := at(x.P90)
		ms.add(x.Label, x.Reached, float64(x.Share), w10, d10, w50, d50, w90, d90)
	}
	add(m.Milestones.GWPerWeek)
	add(m.Milestones.FirstQuarter)
	add(m.Milestones.FourQuarters)
	for _, k := range sortedGW(m.Milestones.OnlineGW) {
		add(m.Milestones.OnlineGW[k])
	}
	binding := &Table{Name: "binding", Title: "Binding constraint by year", Source: src, Columns: []Column{
		{Name: "year", Kind: KindInt},
		{Name: "line", Kind: KindString},
		{Name: "share", Kind: KindFloat, Unit: "fraction", Doc: "share of the year's weeks, over all runs, the line bound"},
	}}
	for _, y := range m.Binding {
		for _, l := range y.Lines {
			binding.add(y.Year, l.Line, float64(l.Share))
		}
	}
	out := []*Table{bands, ms, binding}
	if len(m.PlanVsSimulated) > 0 {
		pv := &Table{Name: "plan_vs_simulated", Title: "Plan against the study", Source: src, Columns: []Column{
			{Name: "at", Kind: KindString},
			{Name: "week", Kind: KindInt, Unit: "week"},
			{Name: "planned_mw", Kind: KindFloat, Unit: "MW"},
			{Name: "online_mw_p10", Kind: KindFloat, Unit: "MW"},
			{Name: "online_mw_p50", Kind: KindFloat, Unit: "MW"},
			{Name: "online_mw_p90", Kind: KindFloat, Unit: "MW"},
			{Name: "on_plan_share", Kind: KindFloat, Unit: "fraction"},
		}}
		for _, y := range m.PlanVsSimulated {
			pv.add(y.At, y.Week, float64(y.PlannedMW), float64(y.OnlineMW.P10), float64(y.OnlineMW.P50), float64(y.OnlineMW.P90), float64(y.OnPlan))
		}
		out = append(out, pv)
	}
	return out
}

// SensitivityTables returns a tornado's table: one row per input.
func SensitivityTables(s *Sensitivity) []*Table {
	src := fmt.Sprintf("gwf sensitivity, scenario %s, gwf %s", s.Scenario, s.Version)
	t := &Table{Name: "inputs", Title: "Inputs at P10 and P90 (measure: " + s.Measure + ")", Source: src, Columns: []Column{
		{Name: "path", Kind: KindString, Doc: "the scenario value"},
		{Name: "distribution", Kind: KindString},
		{Name: "unit", Kind: KindString, Doc: "the unit of p10 and p90"},
		{Name: "p10", Kind: KindFloat, Unit: "(unit)"},
		{Name: "p90", Kind: KindFloat, Unit: "(unit)"},
		{Name: "at_p10_week", Kind: KindInt, Unit: "week", Nullable: true, Doc: "week the target rate is sustained with the input at P10"},
		{Name: "at_p10_date", Kind: KindDate, Nullable: true},
		{Name: "at_p10_online_mw_end", Kind: KindFloat, Unit: "MW"},
		{Name: "at_p90_week", Kind: KindInt, Unit: "week", Nullable: true},
		{Name: "at_p90_date", Kind: KindDate, Nullable: true},
		{Name: "at_p90_online_mw_end", Kind: KindFloat, Unit: "MW"},
		{Name: "swing_weeks", Kind: KindInt, Unit: "weeks"},
	}}
	at := func(o Outcome) (any, any, float64) {
		if o.GWPerWeek == nil {
			return nil, nil, float64(o.OnlineMWEnd)
		}
		return o.GWPerWeek.Week, day(o.GWPerWeek.Date), float64(o.OnlineMWEnd)
	}
	for _, in := range s.Inputs {
		lw, ld, lm := at(in.AtP10)
		hw, hd, hm := at(in.AtP90)
		t.add(in.Path, in.Distribution, in.Unit, float64(in.P10), float64(in.P90), lw, ld, lm, hw, hd, hm, in.SwingWeeks)
	}
	return []*Table{t}
}

// PlanTables returns a plan's tables: periods, expansions, shadow prices
// and discounted cost by layer.
func PlanTables(p *plan.Plan) []*Table {
	src := fmt.Sprintf("gwf plan, scenario %s, %s periods, gwf %s", p.Scenario, p.Period, version.Version)
	start, _ := time.Parse(time.DateOnly, p.StartDate)
	cal := calendar.New(start)
	periods := &Table{Name: "periods", Title: "Build schedule by period", Source: src, Columns: []Column{
		{Name: "period", Kind: KindInt},
		{Name: "label", Kind: KindString},
		{Name: "first_week", Kind: KindInt, Unit: "week"},
		{Name: "date", Kind: KindDate, Doc: "the period's first day"},
		{Name: "target_mw", Kind: KindFloat, Unit: "MW", Doc: "MW the target asks to bring online in the period"},
		{Name: "online_mw", Kind: KindFloat, Unit: "MW", Doc: "new MW the plan brings online"},
		{Name: "started_mw", Kind: KindFloat, Unit: "MW"},
		{Name: "committed_mw", Kind: KindFloat, Unit: "MW", Doc: "MW the committed pipeline brings online"},
		{Name: "shortfall_mw", Kind: KindFloat, Unit: "MW"},
	}}
	for _, q := range p.Periods {
		periods.add(q.Index, q.Label, q.Week, cal.Date(q.Week), q.TargetMW, q.OnlineMW, q.StartedMW, q.CommittedMW, q.ShortfallMW)
	}
	exp := &Table{Name: "expansions", Title: "Expansions funded", Source: src, Columns: []Column{
		{Name: "line", Kind: KindString},
		{Name: "unit", Kind: KindString},
		{Name: "funded", Kind: KindString, Doc: "period funded"},
		{Name: "week", Kind: KindInt, Unit: "week"},
		{Name: "date", Kind: KindDate},
		{Name: "online_week", Kind: KindInt, Unit: "week"},
		{Name: "units_per_week", Kind: KindFloat, Unit: "unit/week"},
		{Name: "cost_usd", Kind: KindMoney, Unit: "USD"},
	}}
	for _, e := range p.Expansions {
		exp.add(e.Line, e.Unit, e.Period, e.Week, cal.Date(e.Week), e.OnlineWeek, e.PerWeek, e.CostUSD)
	}
	sh := &Table{Name: "shadow_prices", Title: "Shadow prices", Source: src, Columns: []Column{
		{Name: "line", Kind: KindString},
		{Name: "unit", Kind: KindString},
		{Name: "period", Kind: KindString},
		{Name: "first_week", Kind: KindInt, Unit: "week"},
		{Name: "date", Kind: KindDate},
		{Name: "saves_usd_per_unit_per_week", Kind: KindMoney, Unit: "USD per unit/week", Doc: "what one more unit per week of supply through the period saves"},
		{Name: "dual", Kind: KindFloat, Unit: "USD per unit", Doc: "the row's dual as the solver gave it"},
	}}
	for _, s := range p.ShadowPrices {
		sh.add(s.Line, s.Unit, s.Period, s.Week, cal.Date(s.Week), s.SavesUSD, s.Dual)
	}
	cost := &Table{Name: "cost_by_layer", Title: "Discounted capex by layer", Source: src, Columns: []Column{
		{Name: "layer", Kind: KindString},
		{Name: "discounted_usd", Kind: KindMoney, Unit: "USD"},
	}}
	for _, l := range p.CostByLayer {
		cost.add(l.Layer, l.CostUSD)
	}
	return []*Table{periods, exp, sh, cost}
}

// BacktestTables returns a backtest's rows: each recorded figure against
// the simulated one.
func BacktestTables(rep *backtest.Report) []*Table {
	src := fmt.Sprintf("gwf backtest, case %s, scenario %s, gwf %s", rep.Case, rep.Scenario, version.Version)
	t := &Table{Name: "backtest", Title: "Recorded against simulated", Source: src, Columns: []Column{
		{Name: "series", Kind: KindString},
		{Name: "period", Kind: KindString},
		{Name: "from", Kind: KindDate, Nullable: true},
		{Name: "to", Kind: KindDate, Nullable: true},
		{Name: "unit", Kind: KindString, Doc: "the unit of the figures"},
		{Name: "recorded", Kind: KindFloat, Unit: "(unit)", Nullable: true},
		{Name: "low", Kind: KindFloat, Unit: "(unit)", Nullable: true},
		{Name: "high", Kind: KindFloat, Unit: "(unit)", Nullable: true},
		{Name: "simulated", Kind: KindFloat, Unit: "(unit)", Nullable: true},
		{Name: "abs_error", Kind: KindFloat, Unit: "(unit)", Nullable: true, Doc: "simulated − recorded"},
		{Name: "pct_error", Kind: KindFloat, Unit: "%", Nullable: true},
		{Name: "sample", Kind: KindString, Doc: "in or out of sample"},
		{Name: "source", Kind: KindString},
		{Name: "confidence", Kind: KindString},
	}}
	opt := func(n *backtest.Number) any {
		if n == nil {
			return nil
		}
		return float64(*n)
	}
	for _, r := range rep.Rows {
		t.add(r.Series, r.Period, day(r.From), day(r.To), r.Unit, float64(r.Recorded), opt(r.Low), opt(r.High),
			float64(r.Simulated), float64(r.AbsError), float64(r.PctError), r.Sample, r.Source, r.Confidence)
	}
	return []*Table{t}
}
