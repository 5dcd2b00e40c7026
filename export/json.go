package export

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// Run is the JSON form of one run.
type Run struct {
	Scenario     string      `json:"scenario"`
	Seed         int64       `json:"seed"`
	Version      string      `json:"gwf_version"`
	HorizonWeeks int         `json:"horizon_weeks"`
	StartDate    string      `json:"start_date"`
	Target       Target      `json:"target"`
	Milestones   Milestones  `json:"milestones"`
	Totals       Totals      `json:"totals"`
	Quarters     []Quarter   `json:"bottlenecks_by_quarter"`
	Shortfalls   []Shortfall `json:"shortfalls"`
	Lines        []Line      `json:"lines"`
	Weekly       []Week      `json:"weekly"`
	Projects     []Project   `json:"projects"`
}

// Target is the ramp the run pursued.
type Target struct {
	RateMWPerWeek    Num    `json:"rate_mw_per_week"`
	InitialMWPerWeek Num    `json:"initial_mw_per_week"`
	By               string `json:"by"`
}

// Milestone is a week and its date.
type Milestone struct {
	Week int    `json:"week"`
	Date string `json:"date"`
}

// Milestones are the headline dates; nil when not reached.
type Milestones struct {
	GWPerWeek *Milestone            `json:"gw_per_week"`
	OnlineGW  map[string]*Milestone `json:"online_gw"`
}

// Totals are whole-run figures.
type Totals struct {
	OnlineMW        Num `json:"online_mw"`
	PipelineMW      Num `json:"pipeline_mw"`
	OnlinePFLOPS    Num `json:"online_pflops"`
	ProjectsStarted int `json:"projects_started"`
	ProjectsOnline  int `json:"projects_online"`
	MeanBuildWeeks  Num `json:"mean_build_weeks"`
	CapexUSD        Num `json:"capex_usd"`
	BestRateMW      Num `json:"best_quarter_rate_mw_per_week"`
	BestRateWeek    int `json:"best_quarter_rate_week"`
}

// Quarter is a quarter's binding constraint.
type Quarter struct {
	Quarter    string `json:"quarter"`
	Bottleneck string `json:"bottleneck"`
	HeldBackMW Num    `json:"held_back_mw"`
}

// Shortfall is a line's total effect.
type Shortfall struct {
	Resource     string `json:"resource"`
	Layer        string `json:"layer"`
	MWWeeks      Num    `json:"held_back_mw_weeks"`
	BindingWeeks int    `json:"binding_weeks"`
}

// Line is a supply line at the end of the run.
type Line struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Layer        string `json:"layer"`
	Unit         string `json:"unit"`
	SupplyStart  Num    `json:"supply_start_per_week"`
	SupplyEnd    Num    `json:"supply_end_per_week"`
	DedicatedEnd Num    `json:"dedicated_end_per_week"`
	Delivered    Num    `json:"delivered"`
}

// Week is one week of the run.
type Week struct {
	Week        int    `json:"week"`
	Date        string `json:"date"`
	OnlineMW    Num    `json:"online_mw"`
	AddedMW     Num    `json:"added_mw"`
	StartedMW   Num    `json:"started_mw"`
	PipelineMW  Num    `json:"pipeline_mw"`
	TargetMW    Num    `json:"target_mw"`
	OnlinePFLOP Num    `json:"online_pflops"`
	CapexUSD    Num    `json:"capex_usd"`
	Bottleneck  string `json:"bottleneck"`
	HeldBackMW  Num    `json:"held_back_mw"`
}

// Project is one project's history.
type Project struct {
	ID         int     `json:"id"`
	MW         Num     `json:"mw"`
	Generation string  `json:"generation"`
	StartWeek  int     `json:"start_week"`
	OnlineWeek *int    `json:"online_week"`
	Stages     []Stage `json:"stages"`
}

// Stage is one stage of a project; weeks are null when not reached.
type Stage struct {
	Stage     string `json:"stage"`
	Start     *int   `json:"start_week"`
	End       *int   `json:"end_week"`
	WaitWeeks int    `json:"wait_weeks"`
	WaitedOn  string `json:"waited_on,omitempty"`
}

// Num is a float printed with at most six significant decimals, so output
// is stable and readable.
type Num float64

// MarshalJSON prints n compactly and deterministically.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	f = math.Round(f*1e6) / 1e6
	if f == 0 {
		f = 0 // no negative zero
	}
	return strconv.AppendFloat(nil, f, 'f', -1, 64), nil
}

var kindNames = map[sim.Kind]string{
	sim.Material: "material", sim.Accelerator: "accelerator", sim.Power: "power",
	sim.Crew: "crew", sim.Robot: "robot", sim.Upstream: "upstream",
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func ms(m *summary.Milestone) *Milestone {
	if m == nil {
		return nil
	}
	return &Milestone{Week: m.Week, Date: date(m.Date)}
}

func opt(w int) *int {
	if w < 0 {
		return nil
	}
	return &w
}

// Build assembles the JSON form of r.
func Build(r *sim.Result, s *summary.Summary) *Run {
	m := r.Model
	out := &Run{
		Scenario:     m.Name,
		Seed:         m.Seed,
		Version:      version.Version,
		HorizonWeeks: m.Weeks,
		StartDate:    date(m.Start),
		Target: Target{
			RateMWPerWeek:    Num(m.TargetMWpw),
			InitialMWPerWeek: Num(m.InitialMWpw),
			By:               date(m.Date(m.TargetWeek)),
		},
		Milestones: Milestones{GWPerWeek: ms(s.GWPerWeek), OnlineGW: map[string]*Milestone{}},
		Totals: Totals{
			OnlineMW:        Num(s.FinalMW),
			PipelineMW:      Num(s.PipelineMW),
			OnlinePFLOPS:    Num(s.OnlineFLOPS / 1e15),
			ProjectsStarted: s.Started,
			ProjectsOnline:  s.Online,
			MeanBuildWeeks:  Num(s.MeanBuild),
			CapexUSD:        Num(s.CapexUSD),
			BestRateMW:      Num(s.BestRate),
			BestRateWeek:    s.BestRateAt,
		},
		Quarters:   []Quarter{},
		Shortfalls: []Shortfall{},
	}
	for _, gw := range summary.OnlineMilestonesGW {
		out.Milestones.OnlineGW[strconv.Itoa(gw)] = ms(s.OnlineGW[gw])
	}
	for _, q := range s.Quarters {
		out.Quarters = append(out.Quarters, Quarter{Quarter: q.Label, Bottleneck: q.Bottleneck, HeldBackMW: Num(q.HeldBackMW)})
	}
	for _, f := range s.Shortfalls {
		out.Shortfalls = append(out.Shortfalls, Shortfall{Resource: f.Line, Layer: f.Layer, MWWeeks: Num(f.MWWeeks), BindingWeeks: f.BindingWeeks})
	}
	for i, l := range m.Lines {
		ser := r.Lines[i]
		line := Line{Name: l.Name, Kind: kindNames[l.Kind], Layer: l.Layer, Unit: l.Unit}
		if n := len(ser.Supply); n > 0 {
			line.SupplyStart, line.SupplyEnd, line.DedicatedEnd = Num(ser.Supply[0]), Num(ser.Supply[n-1]), Num(ser.Dedicated[n-1])
		}
		for _, d := range ser.Delivered {
			if l.Kind != sim.Crew && l.Kind != sim.Robot {
				line.Delivered += Num(d)
			}
		}
		out.Lines = append(out.Lines, line)
	}
	for _, w := range r.Weeks {
		wk := Week{
			Week:        w.Week,
			Date:        date(w.Date),
			OnlineMW:    Num(w.OnlineMW),
			AddedMW:     Num(w.AddedMW),
			StartedMW:   Num(w.StartedMW),
			PipelineMW:  Num(w.PipelineMW),
			TargetMW:    Num(w.TargetMW),
			OnlinePFLOP: Num(w.OnlineFLOPS / 1e15),
			CapexUSD:    Num(w.CapexUSD),
		}
		if w.Bottleneck >= 0 {
			wk.Bottleneck = m.Lines[w.Bottleneck].Name
			wk.HeldBackMW = Num(r.HeldBackMW(w.Week, w.Bottleneck))
		}
		out.Weekly = append(out.Weekly, wk)
	}
	for _, p := range r.Projects {
		pj := Project{ID: p.ID, MW: Num(p.MW), Generation: p.Generation, StartWeek: p.StartWeek, OnlineWeek: opt(p.OnlineWeek)}
		for _, st := range p.Stages {
			pj.Stages = append(pj.Stages, Stage{Stage: st.Stage, Start: opt(st.StartWeek), End: opt(st.EndWeek), WaitWeeks: st.WaitWeeks, WaitedOn: st.WaitedOn})
		}
		out.Projects = append(out.Projects, pj)
	}
	return out
}

// WriteJSON writes the JSON form of r to w, indented, ending in a newline.
func WriteJSON(w io.Writer, r *sim.Result, s *summary.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Build(r, s))
}
