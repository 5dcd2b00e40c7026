package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/sim"
)

func (e *env) whyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "why WEEK [SCENARIO]",
		Short: "Explain one week of a run: what came online and what held the rest back",
		Long: `Run SCENARIO (the reference by default) and explain week WEEK (0-based):
the target, what came online and from which projects, the MW each resource
held back, which stages were waiting on what, and the money that week.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			week, err := strconv.Atoi(args[0])
			if err != nil {
				return usageError{fmt.Errorf("WEEK must be a whole number (got %q)", args[0])}
			}
			pace := oneRunGC()
			defer pace.restore()
			sc, err := e.load(args[1:])
			if err != nil {
				return err
			}
			pace.fit(sc)
			m, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			if week < 0 || week >= m.Weeks {
				return usageError{fmt.Errorf("week %d is outside the run (want 0 to %d)", week, m.Weeks-1)}
			}
			return report.Why(e.stdout, sim.Run(m, sim.NewController()), week)
		},
	}
}
