package export

import (
	"io"
	"strconv"
	"time"

	"github.com/gwf-project/gwf/internal/jsonnum"
	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/plan"
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
	Finance      *Finance    `json:"finance"`
	Missions     []Mission   `json:"missions"`
	Generations  []string    `json:"generations"`
	Weekly       []Week      `json:"weekly"`
	Projects     []Project   `json:"projects"`
	// PlanVsSimulated is set when the run followed a plan (gwf run
	// --plan): the plan's MW online and capex against the run's by year,
	// and the first divergence beyond plan.DivergenceTolerance.
	PlanVsSimulated *plan.Comparison `json:"plan_vs_simulated,omitempty"`
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

// QuarterMilestone is a calendar quarter, with its first week in the run
// and that week's date.
type QuarterMilestone struct {
	Quarter string `json:"quarter"`
	Week    int    `json:"week"`
	Date    string `json:"date"`
}

// Milestones are the headline dates; nil when not reached. The rate
// milestones test RateMW, the scenario's target rate: GWPerWeek is the
// week from which it is sustained to the end, FirstQuarter the first
// calendar quarter averaging it, FourQuarters the first of four
// consecutive quarters each averaging it (see summary.RateMilestonesOf).
type Milestones struct {
	RateMW       Num                   `json:"rate_mw_per_week"`
	GWPerWeek    *Milestone            `json:"gw_per_week"`
	FirstQuarter *QuarterMilestone     `json:"first_quarter_at_target_rate"`
	FourQuarters *QuarterMilestone     `json:"four_quarters_at_target_rate"`
	OnlineGW     map[string]*Milestone `json:"online_gw"`
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
	// OnlineMWByGeneration follows the order of the top-level generations.
	OnlineMWByGeneration []Num `json:"online_mw_by_generation"`

	OpexUSD         *Num `json:"opex_usd,omitempty"`
	RevenueUSD      *Num `json:"revenue_usd,omitempty"`
	CashUSD         *Num `json:"cash_usd,omitempty"`
	DebtUSD         *Num `json:"debt_usd,omitempty"`
	InterestUSD     *Num `json:"interest_usd,omitempty"`
	DepreciationUSD *Num `json:"depreciation_usd,omitempty"`
	CapitalBound    bool `json:"capital_bound,omitempty"`

	Allocation []Allocation `json:"allocation,omitempty"`
}

// Allocation is one mission's demand and share of the week's compute.
type Allocation struct {
	Mission      string `json:"mission"`
	DemandPFLOPS Num    `json:"demand_pflops"`
	ServedPFLOPS Num    `json:"served_pflops"`
}

// Finance is the run's money in brief.
type Finance struct {
	CapexUSD          Num                   `json:"capex_usd"`
	FinancedUSD       Num                   `json:"financed_by_vendors_and_leases_usd"`
	OpexUSD           Num                   `json:"opex_usd"`
	RevenueUSD        Num                   `json:"revenue_usd"`
	InterestUSD       Num                   `json:"interest_usd"`
	DepreciationUSD   Num                   `json:"depreciation_usd"`
	EquityUSD         Num                   `json:"equity_raised_usd"`
	DebtDrawnUSD      Num                   `json:"debt_drawn_usd"`
	EndCashUSD        Num                   `json:"end_cash_usd"`
	EndDebtUSD        Num                   `json:"end_debt_usd"`
	PeakNeedUSD       Num                   `json:"peak_funding_need_usd"`
	PeakNeed          *Milestone            `json:"peak_funding_need_at"`
	Payback           *Milestone            `json:"cumulative_cash_positive_from"`
	CapitalBoundWeeks int                   `json:"capital_bound_weeks"`
	OverdrawnWeeks    int                   `json:"overdrawn_weeks"`
	PeakOverdrawnUSD  Num                   `json:"peak_overdrawn_usd"`
	AtMilestone       map[string]MoneyPoint `json:"at_online_gw"`
	CapexPerGW        []YearPoint           `json:"capex_per_gw_online_by_year"`
	CapexByLayer      []LayerPoint          `json:"capex_by_layer"`
}

// LayerPoint is capex over the run in one layer.
type LayerPoint struct {
	Layer string `json:"layer"`
	USD   Num    `json:"usd"`
}

// MoneyPoint is cumulative spending at a milestone.
type MoneyPoint struct {
	CapexUSD Num `json:"capex_usd"`
	OpexUSD  Num `json:"opex_usd"`
}

// YearPoint is a yearly figure.
type YearPoint struct {
	Year  int `json:"year"`
	Value Num `json:"usd_per_gw"`
}

// Mission is how a mission fared.
type Mission struct {
	Name        string         `json:"name"`
	Kind        string         `json:"kind"`
	ServedAt    map[string]Num `json:"served_share_at_online_gw"`
	FullyMet    *Milestone     `json:"fully_met_from"`
	ServedShare Num            `json:"served_share"`
	UnmetFLOP   Num            `json:"unmet_flop"`
}

// Project is one project's history.
type Project struct {
	ID int `json:"id"`
	// Name and Initial mark a campus of the starting state (online or
	// under way at the start); its start_week may be negative.
	Name       string  `json:"name,omitempty"`
	Initial    bool    `json:"initial,omitempty"`
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

// Num is a float printed with at most six decimals and twelve significant
// digits, so output is stable and readable.
type Num float64

// MarshalJSON prints n compactly and deterministically (see jsonnum).
func (n Num) MarshalJSON() ([]byte, error) { return jsonnum.Marshal(float64(n)), nil }

var kindNames = map[sim.Kind]string{
	sim.Material: "material", sim.Accelerator: "accelerator", sim.Power: "power",
	sim.Crew: "crew", sim.Robot: "robot", sim.Upstream: "upstream",
}

func ptr(v float64) *Num {
	n := Num(v)
	return &n
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func ms(m *summary.Milestone) *Milestone {
	if m == nil {
		return nil
	}
	return &Milestone{Week: m.Week, Date: date(m.Date)}
}

func qms(q *summary.QuarterMilestone) *QuarterMilestone {
	if q == nil {
		return nil
	}
	return &QuarterMilestone{Quarter: q.Quarter, Week: q.Week, Date: date(q.Date)}
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
		Milestones: Milestones{RateMW: Num(s.RateMW), GWPerWeek: ms(s.GWPerWeek),
			FirstQuarter: qms(s.FirstQuarter), FourQuarters: qms(s.FourQuarters), OnlineGW: map[string]*Milestone{}},
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
		Missions:   []Mission{},
	}
	for _, g := range m.Generations {
		out.Generations = append(out.Generations, g.Name)
	}
	if mo := s.Money; mo != nil {
		f := &Finance{
			CapexUSD: Num(mo.CapexUSD), FinancedUSD: Num(mo.FinancedUSD), OpexUSD: Num(mo.OpexUSD),
			RevenueUSD: Num(mo.RevenueUSD), InterestUSD: Num(mo.InterestUSD), DepreciationUSD: Num(mo.DepreciationUSD),
			EquityUSD: Num(mo.EquityUSD), DebtDrawnUSD: Num(mo.DrawnUSD), EndCashUSD: Num(mo.EndCashUSD), EndDebtUSD: Num(mo.EndDebtUSD),
			PeakNeedUSD: Num(mo.PeakNeedUSD), CapitalBoundWeeks: mo.CapitalBoundWeeks,
			OverdrawnWeeks: mo.OverdrawnWeeks, PeakOverdrawnUSD: Num(mo.PeakOverdrawnUSD),
			AtMilestone: map[string]MoneyPoint{}, CapexPerGW: []YearPoint{},
		}
		if mo.PeakNeedUSD > 0 {
			f.PeakNeed = &Milestone{Week: mo.PeakNeedWeek, Date: date(m.Date(mo.PeakNeedWeek))}
		}
		if mo.PaybackWeek >= 0 {
			f.Payback = &Milestone{Week: mo.PaybackWeek, Date: date(m.Date(mo.PaybackWeek))}
		}
		for gw, v := range mo.AtMilestone {
			f.AtMilestone[strconv.Itoa(gw)] = MoneyPoint{CapexUSD: Num(v[0]), OpexUSD: Num(v[1])}
		}
		for _, y := range mo.CapexPerGW {
			if y.OK {
				f.CapexPerGW = append(f.CapexPerGW, YearPoint{Year: y.Year, Value: Num(y.Value)})
			}
		}
		for _, l := range s.CapexByLayer {
			f.CapexByLayer = append(f.CapexByLayer, LayerPoint{Layer: l.Layer, USD: Num(l.USD)})
		}
		out.Finance = f
	}
	for _, o := range s.Missions {
		mi := Mission{Name: o.Name, Kind: "inference", ServedAt: map[string]Num{}, ServedShare: Num(o.ServedShare), UnmetFLOP: Num(o.UnmetFLOP)}
		if o.Training {
			mi.Kind = "training"
		}
		for gw, v := range o.ServedAt {
			mi.ServedAt[strconv.Itoa(gw)] = Num(v)
		}
		if o.FullyMetWeek >= 0 {
			mi.FullyMet = &Milestone{Week: o.FullyMetWeek, Date: date(m.Date(o.FullyMetWeek))}
		}
		out.Missions = append(out.Missions, mi)
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
		ng := len(m.Generations)
		for g := 0; g < ng; g++ {
			wk.OnlineMWByGeneration = append(wk.OnlineMWByGeneration, Num(r.GenerationMW[w.Week*ng+g]))
		}
		if m.Finance != nil {
			wk.OpexUSD, wk.RevenueUSD, wk.CashUSD = ptr(w.OpexUSD), ptr(w.RevenueUSD), ptr(w.CashUSD)
			wk.DebtUSD, wk.InterestUSD, wk.DepreciationUSD = ptr(w.DebtUSD), ptr(w.InterestUSD), ptr(w.DepreciationUSD)
			wk.CapitalBound = w.CapitalBound
		}
		for k, mi := range m.Missions {
			wk.Allocation = append(wk.Allocation, Allocation{Mission: mi.Name, DemandPFLOPS: Num(r.Missions[k].Demand[w.Week] / 1e15), ServedPFLOPS: Num(r.Missions[k].Served[w.Week] / 1e15)})
		}
		out.Weekly = append(out.Weekly, wk)
	}
	for _, p := range r.Projects {
		pj := Project{ID: p.ID, Name: p.Name, Initial: p.Initial, MW: Num(p.MW), Generation: p.Generation, StartWeek: p.StartWeek, OnlineWeek: opt(p.OnlineWeek)}
		for _, st := range p.Stages {
			pj.Stages = append(pj.Stages, Stage{Stage: st.Stage, Start: opt(st.StartWeek), End: opt(st.EndWeek), WaitWeeks: st.WaitWeeks, WaitedOn: st.WaitedOn})
		}
		out.Projects = append(out.Projects, pj)
	}
	return out
}

// WriteJSON writes the JSON form of r to w, indented, ending in a newline.
func WriteJSON(w io.Writer, r *sim.Result, s *summary.Summary) error {
	return WriteRun(w, Build(r, s))
}

// WriteRun writes a built run as indented JSON.
func WriteRun(w io.Writer, run *Run) error { return jsonout.Write(w, run) }
