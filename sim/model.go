package sim

import (
	"cmp"
	"fmt"

	"math"
	"slices"
	"time"

	"github.com/gwf-project/gwf/allocate"
	gwfcal "github.com/gwf-project/gwf/calendar"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/units"
)

// Kind is what a supply line supplies and how it is used.
type Kind uint8

// Line kinds; see the scenario package for their meaning.
const (
	Material Kind = iota
	Accelerator
	Power
	Crew
	Robot
	Upstream
	Capital // money: the factory's funds, when the scenario has finance
)

var kindNames = map[string]Kind{
	scenario.KindMaterial:    Material,
	scenario.KindAccelerator: Accelerator,
	scenario.KindPower:       Power,
	scenario.KindCrew:        Crew,
	scenario.KindRobot:       Robot,
	scenario.KindUpstream:    Upstream,
}

// Line is a supply line as the engine sees it: all quantities per week in
// the line's own unit, durations in whole weeks.
type Line struct {
	Name  string
	Kind  Kind
	Layer string
	Unit  string
	// Capacity is the whole industry's production per week at the start
	// (for a crew: the workforce).
	Capacity float64
	// WeeklyGrowth multiplies Capacity each week (from the yearly growth).
	WeeklyGrowth float64
	Share        float64
	LeadWeeks    int
	UnitCostUSD  float64
	// LearningExponent b in cost = c0 × (Q/Q0)^-b, b = -log2(1 - rate).
	LearningExponent float64
	CumulativeOutput float64
	AvailableWeek    int
	Initial          float64
	Inputs           []Input
	ExpansionWeeks   int
	ExpansionCostUSD float64 // per unit/week of added capacity
	// ExpansionStep, when positive, is what one expansion adds: expansions
	// come in whole steps (Model.ExpansionSteps).
	ExpansionStep   float64
	MaxGrowth       float64 // funded additions per year as a share of supply
	Substitutes     []int
	WorkersPerRobot float64
	MaxAutomation   float64
	MaxMix          float64
}

// Input is an upstream line and the units of it one unit needs.
type Input struct {
	Line    int
	PerUnit float64
}

// Basis is what a recipe intensity is per.
type Basis uint8

// Recipe bases.
const (
	PerMW Basis = iota
	PerGridMW
	PerAccelerator
	PerRack
)

// Need is an amount of a line per unit of a basis.
type Need struct {
	Line   int
	Amount float64
	Basis  Basis
	// At is how far through its stage the need must be on site: 0 on the
	// first day (the stage cannot start without it), 1 at its end.
	At float64
	// Power, for a need per grid-MW, marks the power sources (indexed like
	// Model.PowerLines) whose MW it applies to; nil means all of them.
	Power []bool
}

// offsetWeeks is the week of a stage lasting weeks at which n is needed.
// A need deferred into the stage comes due at least a week after it
// starts.
func (n Need) offsetWeeks(weeks int) int {
	if n.At <= 0 || weeks <= 0 {
		return 0
	}
	return max(1, int(math.Round(n.At*float64(weeks))))
}

// Stage is one step of every project.
type Stage struct {
	Name         string
	After        []int
	Weeks        int
	Automatable  float64
	SecuresPower bool
	Needs        []Need
	Crews        []Need
	// Deferred lists the indices of Needs needed after the stage's first
	// day, in the order they come due.
	Deferred []int
}

// Generation is a hardware generation.
type Generation struct {
	Name string
	// Week is the first week (0-based) the generation is available.
	Week                int
	KWPerAccelerator    float64
	FLOPSPerAccelerator float64
	PerRack             float64
	UnitCostUSD         float64
	Inputs              []Input
}

// Shock cuts line Line's supply to Factor of normal from week FromWeek up
// to (not including) ToWeek: a fire at a turbine plant, an export ban.
type Shock struct {
	Line             int
	FromWeek, ToWeek int
	Factor           float64
}

// Freeze stops stage Stage from starting from week FromWeek up to ToWeek:
// a permitting freeze, a moratorium on new connections.
type Freeze struct {
	Stage            int
	FromWeek, ToWeek int
}

// Model is a scenario compiled for the engine: indices instead of names,
// weeks instead of dates.
type Model struct {
	Name        string
	Seed        int64
	Start       time.Time
	Weeks       int
	TargetMWpw  float64 // MW per week to reach
	InitialMWpw float64
	TargetWeek  int
	SizeMW      float64
	PUE         float64
	Stages      []Stage // in dependency order
	Generations []Generation
	Lines       []Line
	Accel       int   // index of the accelerator line
	PowerLines  []int // indices of power sources, in scenario order
	ReviewWeeks int
	Expand      bool
	Lookahead   int
	MaxPipeline float64
	// Margin is how far above the target rate the controller aims, on top
	// of one project a quarter (policy.margin).
	Margin float64

	// Finance is the money side, or nil when capital is unconstrained;
	// Capital is then -1, otherwise the index of the "capital" line that
	// shortages of money are charged to.
	Finance *Finance
	Capital int
	// Missions share the online compute each week under Allocation.
	Missions   []Mission
	Allocation allocate.Policy

	// InitialOnline, UnderWay and OnOrder are the starting state: the fleet
	// online, projects under way and orders placed before the start.
	InitialOnline []Fleet
	UnderWay      []InitialProject
	OnOrder       []InitialOrder

	// Shocks and Freezes are disruptions applied during the run; a Monte
	// Carlo run draws them from the scenario's events.
	Shocks  []Shock
	Freezes []Freeze

	robotLines []int
	// standIns[c] lists the robot lines that may stand in for crew line c,
	// as indices into robotLines, in the order the scenario lists them.
	standIns [][]int
	genAt    []int8 // GenerationAt for weeks 0 … Weeks+520, precomputed
	// A start of stage i makes at most holdOff[i+1]-holdOff[i] holdings
	// (each crew, plus each robot line standing in for it); a project keeps
	// them from holdOff[i], all its stages' in holdOff[len(Stages)].
	holdOff []int
}

// Compile turns a validated scenario into a Model.
func Compile(s *scenario.Scenario) (*Model, error) {
	m := &Model{
		Name:        s.Name,
		Seed:        s.Seed,
		Start:       s.StartDate.Time,
		Weeks:       s.HorizonWeeks(),
		TargetMWpw:  s.Target.Rate.V,
		InitialMWpw: s.Target.InitialRate.V,
		SizeMW:      s.Project.Size.V,
		PUE:         s.Project.PUE.V,
		ReviewWeeks: 4,
		Expand:      true,
		Lookahead:   0,
		Accel:       -1,
		Capital:     -1,
	}
	m.TargetWeek = m.WeekOf(s.Target.By.Time)
	if s.Policy.Review.Set {
		m.ReviewWeeks = max(1, weeks(s.Policy.Review.V))
	}
	if s.Policy.Expand != nil {
		m.Expand = *s.Policy.Expand
	}
	if s.Policy.Lookahead.Set {
		m.Lookahead = weeks(s.Policy.Lookahead.V)
	}
	m.MaxPipeline = math.Inf(1)
	if s.Policy.MaxPipeline.Set {
		m.MaxPipeline = s.Policy.MaxPipeline.V
	}
	m.Margin = DefaultMargin
	if s.Policy.Margin.Set {
		m.Margin = s.Policy.Margin.V
	}
	index := make(map[string]int, len(s.Resources))
	for i, r := range s.Resources {
		index[r.Name] = i
	}
	m.Lines = make([]Line, 0, len(s.Resources))
	for _, r := range s.Resources {
		l := Line{
			Name:             r.Name,
			Kind:             kindNames[r.Kind],
			Layer:            r.Layer,
			Unit:             r.Unit,
			Capacity:         r.Capacity.V,
			WeeklyGrowth:     math.Pow(1+r.Growth.V, 1/units.WeeksPerYear),
			Share:            r.Share.V,
			LeadWeeks:        weeks(r.LeadTime.V),
			UnitCostUSD:      r.UnitCost.V,
			CumulativeOutput: r.CumulativeOutput.V,
			Initial:          r.Initial.V,
			ExpansionWeeks:   weeks(r.Expansion.LeadTime.V),
			ExpansionCostUSD: r.Expansion.Cost.V,
			ExpansionStep:    r.Expansion.Step.V,
			MaxGrowth:        r.Expansion.MaxGrowth.V,
			WorkersPerRobot:  r.WorkersPerRobot.V,
			MaxAutomation:    r.MaxAutomation.V,
			MaxMix:           1,
		}
		if r.LearningRate.V > 0 {
			l.LearningExponent = -math.Log2(1 - r.LearningRate.V)
		}
		if r.Available.Set {
			l.AvailableWeek = max(0, m.WeekOf(r.Available.Time))
		}
		if r.MaxMix.Set {
			l.MaxMix = r.MaxMix.V
		}
		if l.Kind == Robot && !r.MaxAutomation.Set {
			l.MaxAutomation = 1
		}
		if len(r.Inputs) > 0 {
			l.Inputs = make([]Input, 0, len(r.Inputs))
		}
		for _, in := range r.Inputs {
			l.Inputs = append(l.Inputs, Input{Line: index[in.Name], PerUnit: in.Amount.V})
		}
		for _, c := range r.Substitutes {
			l.Substitutes = append(l.Substitutes, index[c])
		}
		m.Lines = append(m.Lines, l)
		switch l.Kind {
		case Accelerator:
			m.Accel = len(m.Lines) - 1
		case Power:
			m.PowerLines = append(m.PowerLines, len(m.Lines)-1)
		case Robot:
			m.robotLines = append(m.robotLines, len(m.Lines)-1)
		}
	}
	if m.Accel < 0 {
		return nil, fmt.Errorf("scenario %q has no accelerator line", s.Name)
	}
	m.standIns = make([][]int, len(m.Lines))
	for k, rl := range m.robotLines {
		for _, c := range m.Lines[rl].Substitutes {
			if !slices.Contains(m.standIns[c], k) {
				m.standIns[c] = append(m.standIns[c], k)
			}
		}
	}
	m.Generations = make([]Generation, 0, len(s.Generations))
	for _, g := range s.Generations {
		gen := Generation{
			Name:                g.Name,
			Week:                max(0, m.WeekOf(g.Available.Time)),
			KWPerAccelerator:    g.PowerPerAccelerator.V * 1000,
			FLOPSPerAccelerator: g.ComputePerAccelerator.V,
			PerRack:             g.AcceleratorsPerRack.V,
			UnitCostUSD:         g.UnitCost.V,
		}
		if !g.UnitCost.Set {
			gen.UnitCostUSD = m.Lines[m.Accel].UnitCostUSD
		}
		if len(g.Inputs) > 0 {
			gen.Inputs = make([]Input, 0, len(g.Inputs))
		}
		for _, in := range g.Inputs {
			gen.Inputs = append(gen.Inputs, Input{Line: index[in.Name], PerUnit: in.Amount.V})
		}
		if len(g.Inputs) == 0 {
			gen.Inputs = m.Lines[m.Accel].Inputs
		}
		m.Generations = append(m.Generations, gen)
	}
	stages, err := orderStages(s.Project.Stages)
	if err != nil {
		return nil, err
	}
	stageIndex := make(map[string]int, len(stages))
	for i, st := range stages {
		stageIndex[st.Name] = i
	}
	m.Stages = make([]Stage, 0, len(stages))
	m.holdOff = make([]int, 1, len(stages)+1)
	for _, st := range stages {
		out := Stage{
			Name:         st.Name,
			Weeks:        weeks(st.Duration.V),
			Automatable:  st.Automatable.V,
			SecuresPower: st.SecuresPower,
		}
		for _, a := range st.After {
			out.After = append(out.After, stageIndex[a])
		}
		out.Needs = compileNeeds(st.Needs, index)
		out.Crews = compileNeeds(st.Crews, index)
		for _, at := range st.NeededAt {
			for k, n := range st.Needs {
				if n.Name == at.Name && out.Weeks > 0 {
					out.Needs[k].At = at.Amount.V
				}
			}
		}
		for _, fp := range st.ForPower {
			for k, n := range st.Needs {
				if n.Name != fp.Name {
					continue
				}
				mask := make([]bool, len(m.PowerLines))
				for j, l := range m.PowerLines {
					mask[j] = slices.Contains(fp.Sources, m.Lines[l].Name)
				}
				out.Needs[k].Power = mask
			}
		}
		for k, n := range out.Needs {
			if n.At > 0 {
				out.Deferred = append(out.Deferred, k)
			}
		}
		slices.SortStableFunc(out.Deferred, func(a, b int) int { return cmp.Compare(out.Needs[a].At, out.Needs[b].At) })
		m.Stages = append(m.Stages, out)
		hold := len(out.Crews) * (1 + len(m.robotLines))
		if len(out.Deferred) > math.MaxUint16 || hold > math.MaxUint16 {
			return nil, fmt.Errorf("stage %q: %d needs part-way and %d crew holdings; the engine keeps at most %d of each", out.Name, len(out.Deferred), hold, math.MaxUint16)
		}
		m.holdOff = append(m.holdOff, m.holdOff[len(m.holdOff)-1]+hold)
	}
	compileFinance(s, m)
	compileInitial(s, m)
	compileMissions(s, m)
	if len(m.Generations) < 128 {
		m.genAt = make([]int8, m.Weeks+520)
		for w := range m.genAt {
			m.genAt[w] = int8(m.generationAt(w))
		}
	}
	return m, nil
}

func compileNeeds(ns []scenario.Need, index map[string]int) []Need {
	var out []Need
	for _, n := range ns {
		b := PerMW
		switch n.Amount.Q.Per {
		case scenario.PerGridMW:
			b = PerGridMW
		case scenario.PerAccelerator:
			b = PerAccelerator
		case scenario.PerRack:
			b = PerRack
		}
		out = append(out, Need{Line: index[n.Name], Amount: n.Amount.V, Basis: b})
	}
	return out
}

// orderStages sorts stages so each comes after those it depends on,
// keeping the scenario's order where dependencies allow.
func orderStages(in []scenario.Stage) ([]scenario.Stage, error) {
	var out []scenario.Stage
	done := map[string]bool{}
	for len(out) < len(in) {
		progressed := false
		for _, st := range in {
			if done[st.Name] {
				continue
			}
			ready := true
			for _, a := range st.After {
				if !done[a] {
					ready = false
				}
			}
			if ready {
				out = append(out, st)
				done[st.Name] = true
				progressed = true
			}
		}
		if !progressed {
			return nil, fmt.Errorf("project stages depend on each other in a loop")
		}
	}
	return out, nil
}

// weeks rounds a duration in weeks to whole weekly steps.
func weeks(w float64) int { return int(math.Round(w)) }

// WeekOf returns the 0-based week containing t (negative before the start).
func (m *Model) WeekOf(t time.Time) int { return gwfcal.New(m.Start).WeekOf(t) }

// Date returns the first day of week w.
func (m *Model) Date(w int) time.Time { return gwfcal.New(m.Start).Date(w) }

// TargetRate is the target MW/week brought online in week w.
func (m *Model) TargetRate(w int) float64 {
	if w >= m.TargetWeek || m.TargetWeek <= 0 {
		return m.TargetMWpw
	}
	if w < 0 {
		return m.InitialMWpw
	}
	f := float64(w) / float64(m.TargetWeek)
	return m.InitialMWpw + (m.TargetMWpw-m.InitialMWpw)*f
}

// GenerationAt returns the index of the newest generation available in week w.
func (m *Model) GenerationAt(w int) int {
	if w >= 0 && w < len(m.genAt) {
		return int(m.genAt[w])
	}
	return m.generationAt(w)
}

func (m *Model) generationAt(w int) int {
	g := 0
	for i := range m.Generations {
		if m.Generations[i].Week <= w {
			g = i
		}
	}
	return g
}

// StageIndex returns the index of the stage called name, or -1.
func (m *Model) StageIndex(name string) int {
	return slices.IndexFunc(m.Stages, func(s Stage) bool { return s.Name == name })
}

// LineIndex returns the index of the line called name, or -1.
func (m *Model) LineIndex(name string) int {
	return slices.IndexFunc(m.Lines, func(l Line) bool { return l.Name == name })
}
