package cli

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/plan/cbc"
	"github.com/gwf-project/gwf/plan/glpk"
	"github.com/gwf-project/gwf/plan/highs"
	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

func (e *env) planCommand() *cobra.Command {
	var (
		period     string
		targetRate float64
		asJSON     bool
		out        string
		verbose    bool
		integer    bool
		blocks     []string
		timeLimit  time.Duration
		noFinance  bool
		noLead     bool
		solverName string
		tables     tableOutputs
	)
	cmd := &cobra.Command{
		Use:   "plan [SCENARIO]",
		Short: "The optimiser: the least-cost expansion and build schedule for the target ramp, with shadow prices",
		Long: `Build a time-expanded linear program of SCENARIO (the reference when none):
per period, MW brought online, the power sources that feed them and capacity
expansions of every supply line, with their lead times, costs and growth
ceilings. Solve it with COIN-OR CBC (or --solver glpk: GLPK's glpsol; highs:
HiGHS, where its highs program is on PATH) for the least discounted capex
that meets the target ramp; a target that cannot be met is not an error: the shortfall
is minimised and reported. Prints the build schedule, expansions, cost by
layer, and the shadow prices of binding supply constraints, most valuable
first. When the scenario has finance, the plan carries the money the
simulation moves, from the engine's equations: cash after capex, running
costs, interest and repayments stays above the reserve, equity within each
year's allowance, debt, vendor and lease within their limits (--no-finance
leaves it out). A starting state (initial) is in the model:
the fleet online and the projects under way are simulated on their own
(the committed pipeline); the MW they bring online count towards the
target, and what they take of each line's supply and of the funding is not
there for new projects. The build schedule is the new projects only.
Needs the cbc program (apt-get install coinor-cbc), or glpsol for --solver
glpk (apt-get install glpk-utils). Every solve, the lead-time re-solves
included, is bounded by --time-limit; a re-solve that fails or times out is
reported and the plan stands. --integer (whole projects) and
--expansion-block (lumpy expansions) make it a MIP; when the solver finds no
whole plan in time, the LP relaxation rounded is the plan, with its gap.
Unit costs follow the learning curves; robots are not modelled. See
docs/plan.md.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, ok := plan.PeriodWeeks(period)
			if !ok {
				return usageError{fmt.Errorf("--period: unknown period (got %q, want week, month or quarter)", period)}
			}
			if targetRate < 0 || math.IsNaN(targetRate) || math.IsInf(targetRate, 0) {
				return usageError{fmt.Errorf("--target-rate: negative or not a number (got %v MW/week, want 0 or more)", targetRate)}
			}
			if timeLimit < 0 {
				return usageError{fmt.Errorf("--time-limit: negative (got %s, want 0 for none, or more)", timeLimit)}
			}
			if timeLimit > 0 && timeLimit < time.Second {
				timeLimit = time.Second // cbc's -sec counts whole seconds
			}
			if err := tables.check(); err != nil {
				return err
			}
			solver, err := planSolver(solverName, timeLimit)
			if err != nil {
				return err
			}
			sc, err := e.load(args)
			if err != nil {
				return err
			}
			m, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			if pw > float64(m.Weeks) {
				return usageError{fmt.Errorf("--period: longer than the horizon (got %s = %s weeks, want at most %d weeks)", period, units.FormatNumber(pw, 1), m.Weeks)}
			}
			opt := plan.Options{Period: period, TargetRate: targetRate, Integer: integer, NoFinance: noFinance}
			if opt.ExpansionBlocks, opt.Lumpy, err = expansionBlocks(blocks, m); err != nil {
				return err
			}
			pl, err := plan.Solve(cmd.Context(), m, opt, solver)
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			if !noLead {
				// A re-solve that fails is in its value; an error here
				// (ctx ended, or a model that would not build) leaves the
				// values so far, and the main plan stands.
				vals, took, err := plan.ValueLeadTimes(cmd.Context(), m, opt, solver, pl)
				if err != nil {
					if cmd.Context().Err() != nil {
						return err
					}
					fmt.Fprintf(e.stderr, "gwf: warning: lead-time values incomplete: %v\n", err)
				}
				pl.LeadTimeValues, pl.Stats.LeadTimeSeconds = vals, took.Seconds()
			}
			if out != "" {
				if err := writeFileAtomic(out, func(w io.Writer) error {
					b, err := pl.Marshal()
					if err != nil {
						return err
					}
					_, err = w.Write(b)
					return err
				}); err != nil {
					return err
				}
			}
			if tables.any() {
				err := tables.write(export.PlanTables(pl), func() *export.Workbook {
					var text strings.Builder
					_ = writePlanText(&text, pl, false, plan.SolverName(solver))
					return export.PlanWorkbook(fmt.Sprintf("gwf plan — scenario %q, %sly periods", pl.Scenario, pl.Period), text.String(), export.PlanTables(pl))
				})
				if err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(pl)
			}
			return writePlanText(e.stdout, pl, verbose, plan.SolverName(solver))
		},
	}
	cmd.Flags().StringVar(&period, "period", plan.Month, "length of a period: week, month or quarter")
	cmd.Flags().Float64Var(&targetRate, "target-rate", 0, "target rate in MW/week, replacing the scenario's target.rate (0: the scenario's)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON object")
	cmd.Flags().StringVar(&out, "out", "", "write the plan as YAML to `FILE`")
	cmd.Flags().BoolVar(&integer, "integer", false, "whole projects: MW online per period in multiples of project.size (a MIP)")
	cmd.Flags().StringArrayVar(&blocks, "expansion-block", nil, "expansions of a line in whole blocks: `LINE=N` units/week of that line (workers for crews), or steps: every line in its scenario expansion.step (repeatable; a MIP)")
	cmd.Flags().DurationVar(&timeLimit, "time-limit", time.Minute, "bound every solve (the plan's and each lead-time re-solve) to this long: a MIP reports its best plan and optimality gap; a solver still running a grace period later is stopped (0: no limit)")
	cmd.Flags().BoolVar(&noFinance, "no-finance", false, "plan without the capital constraint, even when the scenario has finance (for comparison)")
	cmd.Flags().BoolVar(&noLead, "no-lead-times", false, "skip valuing shorter lead times (a re-solve per line whose lead time or queue is at least a period, at most 12)")
	cmd.Flags().StringVar(&solverName, "solver", "cbc", "the solver: cbc (COIN-OR CBC), glpk (GLPK's glpsol) or highs (HiGHS, where its highs program is on PATH)")
	tables.addFlags(cmd)
	cmd.Flags().BoolVar(&verbose, "verbose", false, "print the model's size (rows, columns, non-zeros) and build/solve times")
	return cmd
}

// planSolver is the solver --solver names, with the time limit; bad input
// (exit 2) for an unknown name, and how to install it when its program is
// missing. GWF_CBC, GWF_GLPSOL and GWF_HIGHS override the programs' paths.
func planSolver(name string, limit time.Duration) (lp.Solver, error) {
	var (
		s       lp.Solver
		ok      bool
		missing error
	)
	switch name {
	case "cbc":
		c := cbc.Solver{Path: os.Getenv("GWF_CBC"), TimeLimit: limit}
		s, ok, missing = c, c.Available(), cbc.ErrNotInstalled
	case "glpk":
		g := glpk.Solver{Path: os.Getenv("GWF_GLPSOL"), TimeLimit: limit}
		s, ok, missing = g, g.Available(), glpk.ErrNotInstalled
	case "highs":
		h := highs.Solver{Path: os.Getenv("GWF_HIGHS"), TimeLimit: limit}
		s, ok, missing = h, h.Available(), highs.ErrNotInstalled
	default:
		return nil, usageError{fmt.Errorf("--solver: unknown solver (got %q, want cbc, glpk or highs)", name)}
	}
	if !ok {
		return nil, fmt.Errorf("plan: %w", missing)
	}
	return s, nil
}

func writePlanText(w io.Writer, pl *plan.Plan, verbose bool, solver string) error {
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

// expansionBlocks reads --expansion-block values: LINE=N (N units/week of
// that line, more than 0) or steps (every line with an expansion step in
// the scenario, in its step). A line that is not m's, or cannot expand,
// and a value of another form are bad input.
func expansionBlocks(vals []string, m *sim.Model) (map[string]float64, bool, error) {
	var out map[string]float64
	lumpy := false
	for _, v := range vals {
		if v == "steps" {
			lumpy = true
			continue
		}
		name, num, ok := strings.Cut(v, "=")
		n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if !ok || err != nil || !(n > 0) || math.IsInf(n, 0) {
			return nil, false, usageError{fmt.Errorf("--expansion-block: want LINE=N with N more than 0 units/week of the line, or steps (got %q)", v)}
		}
		l := m.LineIndex(strings.TrimSpace(name))
		if l < 0 || m.Lines[l].MaxGrowth <= 0 {
			var can []string
			for _, ln := range m.Lines {
				if ln.MaxGrowth > 0 {
					can = append(can, ln.Name)
				}
			}
			return nil, false, usageError{fmt.Errorf("--expansion-block %s: no line %q that can expand (got %q, want one of %s)", v, name, name, strings.Join(can, ", "))}
		}
		if out == nil {
			out = map[string]float64{}
		}
		out[m.Lines[l].Name] = n
	}
	if lumpy {
		steps := 0
		for _, ln := range m.Lines {
			if ln.ExpansionStep > 0 && ln.MaxGrowth > 0 {
				steps++
			}
		}
		if steps == 0 {
			return nil, false, usageError{errors.New("--expansion-block steps: the scenario gives no line an expansion.step (set one, or give LINE=N)")}
		}
	}
	return out, lumpy, nil
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
