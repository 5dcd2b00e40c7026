package export

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/gwf-project/gwf/sim"
)

// WeeklyCSVName and ProjectsCSVName are the files WriteCSV-based exports use.
const (
	WeeklyCSVName   = "weekly.csv"
	ProjectsCSVName = "projects.csv"
)

func f(v float64) string {
	b, _ := Num(v).MarshalJSON()
	return string(b)
}

// WriteWeeklyCSV writes one row per week: the capacity series, the
// bottleneck, and the MW each line held back.
func WriteWeeklyCSV(w io.Writer, r *sim.Result) error {
	m := r.Model
	cw := csv.NewWriter(w)
	head := []string{"week", "date", "online_mw", "added_mw", "started_mw", "pipeline_mw", "target_mw", "online_pflops", "capex_usd", "bottleneck"}
	for _, l := range m.Lines {
		head = append(head, "held_back_mw:"+l.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, wk := range r.Weeks {
		b := ""
		if wk.Bottleneck >= 0 {
			b = m.Lines[wk.Bottleneck].Name
		}
		row := []string{strconv.Itoa(wk.Week), date(wk.Date), f(wk.OnlineMW), f(wk.AddedMW), f(wk.StartedMW), f(wk.PipelineMW), f(wk.TargetMW), f(wk.OnlineFLOPS / 1e15), f(wk.CapexUSD), b}
		for l := range m.Lines {
			row = append(row, f(r.HeldBackMW(wk.Week, l)))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteProjectsCSV writes one row per project stage.
func WriteProjectsCSV(w io.Writer, r *sim.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"project", "mw", "generation", "project_start_week", "project_online_week", "stage", "ready_week", "start_week", "end_week", "wait_weeks", "waited_on"}); err != nil {
		return err
	}
	wk := func(w int) string {
		if w < 0 {
			return ""
		}
		return strconv.Itoa(w)
	}
	for _, p := range r.Projects {
		for _, st := range p.Stages {
			row := []string{strconv.Itoa(p.ID), f(p.MW), p.Generation, strconv.Itoa(p.StartWeek), wk(p.OnlineWeek), st.Stage, wk(st.ReadyWeek), wk(st.StartWeek), wk(st.EndWeek), strconv.Itoa(st.WaitWeeks), st.WaitedOn}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
