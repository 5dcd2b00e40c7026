package scenario

import (
	"math"
	"slices"
	"strings"

	"github.com/gwf-project/gwf/units"
)

// Initial is what exists at the start date: the capacity already online,
// the projects under way and the stage each has reached, orders placed
// with the supply lines, and the money position beyond cash. A scenario
// without it starts from an empty world.
type Initial struct {
	// Online is capacity serving at the start, by fleet.
	Online []Fleet `yaml:"online,keyed"`
	// Projects are campuses under way at the start.
	Projects []InitialProject `yaml:"projects,keyed"`
	// Orders are units already on order with a supply line, keyed by the
	// resource, beyond what the projects under way will order themselves.
	Orders []InitialOrder `yaml:"orders,keyed"`
	// Revenue is the yearly revenue run-rate of the online fleet at the
	// start; without it the fleet earns finance.revenue.per_mw_year.
	Revenue Value `yaml:"revenue" unit:"money" min:"0" max:"1e14"`
	// Debt is what the factory owes at the start, on the debt facility.
	Debt Value `yaml:"debt" unit:"money" min:"0" max:"1e14"`
}

// Fleet is IT capacity online at the start running one generation.
type Fleet struct {
	Name       string `yaml:"-"`
	Pos        Pos    `yaml:"-"`
	Generation string `yaml:"generation" required:"true"`
	Capacity   Value  `yaml:"capacity" unit:"power" min:"0" max:"1e7" required:"true"`
	// Since is when the fleet entered service (its mean date): its
	// accelerators are replaced finance.accelerator_life after it.
	Since Date `yaml:"since"`
	// Power is the power source the fleet runs on (default: the first).
	Power string `yaml:"power"`
}

// InitialProject is a campus under way at the start date.
type InitialProject struct {
	Name    string `yaml:"-"`
	Pos     Pos    `yaml:"-"`
	Size    Value  `yaml:"size" unit:"power" min:"1" max:"100000" required:"true"`
	Started Date   `yaml:"started" required:"true"`
	// Generation is the accelerators it is fitted with (default: the
	// newest available at its planned fit-out).
	Generation string `yaml:"generation"`
	// Power splits the project's grid power among power sources (shares
	// summing to 100%; default: all from the first source).
	Power []Portion `yaml:"power,keyed"`
	// Stages says where each stage stood; stages not listed are pending.
	Stages []StageState `yaml:"stages,keyed"`
}

// Stage statuses of a project under way.
const (
	StageDone      = "done"      // finished before the start
	StageRunning   = "running"   // started on Since, still running; its inputs are on site
	StageDelivered = "delivered" // not started, but what it consumes is on site
	StageOrdered   = "ordered"   // not started, what it consumes on order and due when the work needs it
	StagePending   = "pending"   // not started, nothing on order (as a stage not listed)
)

// StageStatuses lists the statuses a stage of a project under way may have.
var StageStatuses = []string{StageDone, StageRunning, StageDelivered, StageOrdered, StagePending}

// StageState is where one stage of a project under way stood at the start.
type StageState struct {
	Name   string `yaml:"-"`
	Pos    Pos    `yaml:"-"`
	Status string `yaml:"status" required:"true"`
	// Since is when the stage started (required for a running stage).
	Since Date `yaml:"since"`
	// Planned is the earliest a stage not yet started (pending, delivered
	// or ordered) may start: a campus phased over years starts its later
	// phases when its developer plans to.
	Planned Date `yaml:"planned"`
}

// InitialOrder is an order placed before the start with one supply line.
type InitialOrder struct {
	Name string `yaml:"-"`
	Pos  Pos    `yaml:"-"`
	// Quantity is in the line's unit ("1000 MW", "20 units"); checked
	// against the resource.
	Quantity Value `yaml:"quantity" required:"true"`
	// Due is when the order is due (default: the line's lead time from the
	// start).
	Due Date `yaml:"due"`
}

// Portion is a named share of a whole.
type Portion struct {
	Name   string `yaml:"-"`
	Pos    Pos    `yaml:"-"`
	Amount Value  `yaml:"-" unit:"fraction" min:"0" max:"1"`
}

func validateInitial(errs *ErrorList, s *Scenario, t *tree) {
	in := &s.Initial
	gens := make([]string, 0, len(s.Generations))
	for _, g := range s.Generations {
		gens = append(gens, g.Name)
	}
	knownGen := func(name string, pos Pos, path string) {
		if name != "" && !slices.Contains(gens, name) {
			errs.add(pos, path, "unknown generation (got %q, want one of: %s)", name, strings.Join(gens, ", "))
		}
	}
	powers := namesOfKind(s, KindPower)
	notAfterStart := func(d Date, path string) {
		if d.Set && s.StartDate.Set && d.After(s.StartDate.Time) {
			errs.add(d.Pos, path, "date after the start (got %s, want on or before start_date %s)", d, s.StartDate)
		}
	}
	for _, f := range in.Online {
		p := "initial.online." + f.Name
		knownGen(f.Generation, valPos(t, f.Pos, "initial", "online", f.Name, "generation"), p+".generation")
		if f.Power != "" && !slices.Contains(powers, f.Power) {
			errs.add(valPos(t, f.Pos, "initial", "online", f.Name, "power"), p+".power", "not a power source (got %q, want one of: %s)", f.Power, strings.Join(powers, ", "))
		}
		notAfterStart(f.Since, p+".since")
	}
	stageIdx := map[string]int{}
	for i, st := range s.Project.Stages {
		stageIdx[st.Name] = i
	}
	for _, pr := range in.Projects {
		p := "initial.projects." + pr.Name
		knownGen(pr.Generation, valPos(t, pr.Pos, "initial", "projects", pr.Name, "generation"), p+".generation")
		notAfterStart(pr.Started, p+".started")
		total := 0.0
		for _, pw := range pr.Power {
			if !slices.Contains(powers, pw.Name) {
				errs.add(pw.Pos, p+".power."+pw.Name, "not a power source (got %q, want one of: %s)", pw.Name, strings.Join(powers, ", "))
			}
			total += pw.Amount.V
		}
		if len(pr.Power) > 0 && math.Abs(total-1) > 1e-6 {
			errs.add(keyPos(t, pr.Pos, "initial", "projects", pr.Name, "power"), p+".power", "shares do not add up to 100%% (got %.4g%%, want 100%%)", total*100)
		}
		status := map[string]string{}
		for _, st := range pr.Stages {
			sp := p + ".stages." + st.Name
			if _, ok := stageIdx[st.Name]; !ok {
				errs.add(st.Pos, sp, "unknown stage (got %q, want one of: %s)", st.Name, strings.Join(stageList(s), ", "))
				continue
			}
			if !slices.Contains(StageStatuses, st.Status) {
				errs.add(valPos(t, st.Pos, "initial", "projects", pr.Name, "stages", st.Name, "status"), sp+".status", "unknown status (got %q, want one of: %s)", st.Status, strings.Join(StageStatuses, ", "))
				continue
			}
			status[st.Name] = st.Status
			started := st.Status == StageDone || st.Status == StageRunning
			if st.Planned.Set && started {
				errs.add(st.Planned.Pos, sp+".planned", "a stage already %s has no planned start (got %s, want planned only on a pending, delivered or ordered stage)", st.Status, st.Planned)
			}
			if st.Planned.Set && s.StartDate.Set && st.Planned.Before(s.StartDate.Time) {
				errs.add(st.Planned.Pos, sp+".planned", "planned start before the start (got %s, want on or after start_date %s; a stage begun earlier is running)", st.Planned, s.StartDate)
			}
			if st.Since.Set && !started {
				errs.add(st.Since.Pos, sp+".since", "a stage not started has no start date (got %s, want since only on a done or running stage; use planned)", st.Since)
			}
			if st.Status == StageRunning && !st.Since.Set {
				errs.add(st.Pos, sp+".since", "missing (want the date the stage started, YYYY-MM-DD)")
			}
			notAfterStart(st.Since, sp+".since")
			if st.Since.Set && pr.Started.Set && st.Since.Before(pr.Started.Time) {
				errs.add(st.Since.Pos, sp+".since", "date out of order (got %s, want on or after the project's start %s)", st.Since, pr.Started)
			}
		}
		// A stage may be done or running only once every stage it comes
		// after is done.
		done := 0
		for _, st := range s.Project.Stages {
			k := status[st.Name]
			if k == StageDone {
				done++
			}
			if k != StageDone && k != StageRunning {
				continue
			}
			for _, a := range st.After {
				if status[a] != StageDone {
					errs.add(itemStatePos(pr, st.Name), p+".stages."+st.Name, "stage %s before the stages it comes after (got %q %s, want %s done first)", k, a, orPending(status[a]), a)
				}
			}
		}
		if len(s.Project.Stages) > 0 && done == len(s.Project.Stages) {
			errs.add(pr.Pos, p+".stages", "every stage done (got a finished campus, want it under initial.online instead)")
		}
	}
	for _, o := range in.Orders {
		p := "initial.orders." + o.Name
		r := s.Resource(o.Name)
		switch {
		case r == nil:
			errs.add(o.Pos, p, "unknown resource (got %q, want one of: %s)", o.Name, strings.Join(resourceList(s), ", "))
			continue
		case r.Kind == KindCrew || r.Kind == KindUpstream:
			errs.add(o.Pos, p, "a %s is not ordered (got an order for %q, want a material, accelerator, power source or robot line)", r.Kind, o.Name)
			continue
		}
		q := &o.Quantity
		if q.Set {
			got, err := units.Parse(q.Text, units.Count)
			switch {
			case err != nil || got.Of != r.Unit:
				errs.add(q.Pos, p+".quantity", "wrong unit (got %q, want a number of %ss, e.g. \"100 %ss\")", q.Text, r.Unit, r.Unit)
			case got.Value <= 0 || got.Value > 1e12:
				errs.add(q.Pos, p+".quantity", "out of range (got %s, want more than 0 and at most 1e12)", q.Text)
			default:
				q.Q, q.V = got, got.Value
			}
		}
	}
}

func orPending(status string) string {
	if status == "" {
		return "pending"
	}
	return status
}

func itemStatePos(pr InitialProject, stage string) Pos {
	for _, st := range pr.Stages {
		if st.Name == stage {
			return st.Pos
		}
	}
	return pr.Pos
}
