package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/plan/cbc"
	"github.com/gwf-project/gwf/plan/glpk"
	"github.com/gwf-project/gwf/plan/highs"
	"github.com/gwf-project/gwf/plan/lp"
	"github.com/gwf-project/gwf/report"
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
			var lead *plan.LeadTimeResolves
			if !noLead {
				// The re-solves' models are built while the main plan
				// solves (in a solver process of its own).
				lead = plan.StartLeadTimes(cmd.Context(), m, opt, solver)
			}
			pl, err := plan.Solve(cmd.Context(), m, opt, solver)
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			if lead != nil {
				// A re-solve that fails is in its value; an error here
				// (ctx ended, or a model that would not build) leaves the
				// values so far, and the main plan stands.
				vals, took, err := lead.Value(cmd.Context(), pl)
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
					_ = report.PlanText(&text, pl, false, plan.SolverName(solver))
					return export.PlanWorkbook(fmt.Sprintf("gwf plan — scenario %q, %sly periods", pl.Scenario, pl.Period), text.String(), export.PlanTables(pl))
				})
				if err != nil {
					return err
				}
			}
			if asJSON {
				return jsonout.Write(e.stdout, pl)
			}
			return report.PlanText(e.stdout, pl, verbose, plan.SolverName(solver))
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
