package export

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/gwf-project/gwf/sim"
)

// The files a CSV export writes.
const (
	WeeklyCSVName     = "weekly.csv"
	ProjectsCSVName   = "projects.csv"
	AllocationCSVName = "allocation.csv" // only when the scenario has missions
)

// WriteAllocationCSV writes one row per week and mission: demand and
// compute served, in PFLOP/s.
func WriteAllocationCSV(w io.Writer, r *sim.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"week", "date", "mission", "kind", "demand_pflops", "served_pflops", "unmet_pflops"}); err != nil {
		return err
	}
	for _, wk := range r.Weeks {
		for k, mi := range r.Model.Missions {
			kind := "inference"
			if mi.Training {
				kind = "training"
			}
			d, sv := r.Missions[k].Demand[wk.Week], r.Missions[k].Served[wk.Week]
			if err := cw.Write([]string{strconv.Itoa(wk.Week), date(wk.Date), mi.Name, kind, f(d / 1e15), f(sv / 1e15), f((d - sv) / 1e15)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

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
	if m.Finance != nil {
		head = append(head, "opex_usd", "revenue_usd", "interest_usd", "depreciation_usd", "cash_usd", "debt_usd", "capital_bound")
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
		if m.Finance != nil {
			row = append(row, f(wk.OpexUSD), f(wk.RevenueUSD), f(wk.InterestUSD), f(wk.DepreciationUSD), f(wk.CashUSD), f(wk.DebtUSD), strconv.FormatBool(wk.CapitalBound))
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
	if err := cw.Write([]string{"project", "name", "mw", "generation", "project_start_week", "project_online_week", "stage", "ready_week", "start_week", "end_week", "wait_weeks", "waited_on"}); err != nil {
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
			row := []string{strconv.Itoa(p.ID), p.Name, f(p.MW), p.Generation, strconv.Itoa(p.StartWeek), wk(p.OnlineWeek), st.Stage, wk(st.ReadyWeek), wk(st.StartWeek), wk(st.EndWeek), strconv.Itoa(st.WaitWeeks), st.WaitedOn}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
