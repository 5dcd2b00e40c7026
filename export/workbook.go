package export

import (
	"fmt"
	"strings"
)

// lines splits a text report into the lines of a summary sheet.
func lines(text string) []string {
	return strings.Split(strings.TrimRight(text, "\n"), "\n")
}

// RunWorkbook is the workbook of one run: summary is the text report (gwf
// run's), or "" for a brief one made from the run itself; the chart is
// MW brought online per week against the target ramp.
func RunWorkbook(run *Run, summary string) *Workbook {
	wb := &Workbook{
		Title:  fmt.Sprintf("gwf run — scenario %q (seed %d), gwf %s", run.Scenario, run.Seed, run.Version),
		Tables: RunTables(run),
		Chart: &Chart{Title: "MW brought online per week against the target", Table: "weekly", X: "date",
			Series: []string{"added_mw", "target_mw"}, YTitle: "MW/week"},
	}
	if summary != "" {
		wb.Summary = lines(summary)
		return wb
	}
	wb.Summary = append(wb.Summary,
		fmt.Sprintf("Horizon: %d weeks from %s. Target: %s MW/week by %s.", run.HorizonWeeks, run.StartDate, f(float64(run.Target.RateMWPerWeek)), run.Target.By),
		fmt.Sprintf("At the end: %s MW online, %s MW in the pipeline; %d projects started, %d online.",
			f(float64(run.Totals.OnlineMW)), f(float64(run.Totals.PipelineMW)), run.Totals.ProjectsStarted, run.Totals.ProjectsOnline))
	for _, t := range wb.Tables {
		if t.Name != "milestones" {
			continue
		}
		for _, m := range t.Rows {
			at := "not reached"
			if m[1] == true {
				at = fmt.Sprintf("week %d, %s", m[2], FormatValue(m[3]))
			}
			wb.Summary = append(wb.Summary, fmt.Sprintf("  %s: %s", m[0], at))
		}
	}
	return wb
}

// MCWorkbook is the workbook of a Monte Carlo study: summary is gwf mc's
// text; the chart is MW online, P10/P50/P90 over the runs.
func MCWorkbook(m *MC, summary string) *Workbook {
	return &Workbook{
		Title:   fmt.Sprintf("gwf mc — scenario %q, %d runs, seed %d, gwf %s", m.Scenario, m.Completed, m.Seed, m.Version),
		Summary: lines(summary),
		Tables:  MCTables(m),
		Chart: &Chart{Title: "IT capacity online over the runs", Table: "bands", X: "date",
			Series: []string{"online_mw_p10", "online_mw_p50", "online_mw_p90"}, YTitle: "MW"},
	}
}

// PlanWorkbook is the workbook of a plan: summary is gwf plan's text; the
// chart is the plan's MW online per period against the target.
func PlanWorkbook(title, summary string, tables []*Table) *Workbook {
	return &Workbook{Title: title, Summary: lines(summary), Tables: tables,
		Chart: &Chart{Title: "MW brought online per period against the target", Table: "periods", X: "date",
			Series: []string{"target_mw", "online_mw", "committed_mw"}, YTitle: "MW"}}
}

// TablesWorkbook is a workbook of tables with no chart (a tornado, a
// backtest).
func TablesWorkbook(title, summary string, tables []*Table) *Workbook {
	return &Workbook{Title: title, Summary: lines(summary), Tables: tables}
}
