package scenario

import (
	"math"
	"strings"
	"time"

	"github.com/gwf-project/gwf/units"
)

// Event is a disruption that may happen during a run: a supply shock that
// cuts a resource's supply to a share of normal (a fire at a turbine plant,
// an export ban), or a freeze that stops a stage from starting (a
// permitting freeze, a moratorium on grid connections).
//
// A single run (gwf run) applies no events; Monte Carlo draws them in
// every run (see Occurrences).
type Event struct {
	Name        string `yaml:"-"`
	Pos         Pos    `yaml:"-"`
	Description string `yaml:"description"`
	// Probability is the chance the event begins, written per year
	// ("10%/year": in each year of its window, independently) or as a
	// share ("30%": once, somewhere in its window).
	Probability Value `yaml:"probability" required:"true"`
	// From and To bound the weeks the event may begin in (default: the
	// whole run).
	From Date `yaml:"from"`
	To   Date `yaml:"to"`
	// Duration is how long each occurrence lasts; written as a
	// distribution, it is drawn for each occurrence.
	Duration Value `yaml:"duration" unit:"duration" min:"1" max:"520" required:"true"`
	// Shock names a resource whose supply falls to Factor of normal while
	// the event lasts (0% stops it).
	Shock  string `yaml:"shock"`
	Factor Value  `yaml:"factor" unit:"fraction" min:"0" max:"1"`
	// Freeze names a stage that cannot start while the event lasts.
	Freeze string `yaml:"freeze"`

	// PerYear is true when Probability was written per year.
	PerYear bool `yaml:"-"`
}

// Occurrence is one happening of an event in a run, from week FromWeek up
// to (not including) ToWeek. Exactly one of Shock and Freeze is set.
type Occurrence struct {
	Event            string
	Shock            string  // resource whose supply is cut
	Factor           float64 // share of the resource's supply left
	Freeze           string  // stage that cannot start
	FromWeek, ToWeek int
}

// Occurrences draws when e happens in a run of weeks weekly steps from
// start. uniform returns independent draws from [0, 1).
//
// The event's window is cut into years from its first week (the last may
// be shorter). A yearly probability p gives each year an onset with
// probability p (1 − (1 − p)^f for a part-year of fraction f); a share p
// gives the whole window one onset with probability p. An onset falls
// uniformly in its year (or window). Each year (or window) uses exactly
// four draws — onset or not, week, duration, factor — whatever happens,
// so the draws of one event never shift another's.
func (e *Event) Occurrences(start time.Time, weeks int, uniform func() float64) []Occurrence {
	first, last := 0, weeks-1
	if e.From.Set {
		first = max(first, weekOf(start, e.From.Time))
	}
	if e.To.Set {
		last = min(last, weekOf(start, e.To.Time))
	}
	if first > last {
		return nil
	}
	end := float64(last + 1)
	var out []Occurrence
	draw := func(a, b, p float64) {
		happens, at, dur, factor := uniform(), uniform(), uniform(), uniform()
		if happens >= p {
			return
		}
		onset := int(math.Floor(a + at*(b-a)))
		o := Occurrence{Event: e.Name, Shock: e.Shock, Freeze: e.Freeze, FromWeek: onset}
		o.ToWeek = onset + max(1, int(math.Round(sample(&e.Duration, dur))))
		if e.Shock != "" {
			o.Factor = sample(&e.Factor, factor)
		}
		out = append(out, o)
	}
	if !e.PerYear {
		draw(float64(first), end, e.Probability.V)
		return out
	}
	for a := float64(first); a < end; a += units.WeeksPerYear {
		b := min(a+units.WeeksPerYear, end)
		p := e.Probability.V
		if f := (b - a) / units.WeeksPerYear; f < 1 {
			p = 1 - math.Pow(1-p, f)
		}
		draw(a, b, p)
	}
	return out
}

// sample is v's value at quantile u when it is a distribution, else v.V.
func sample(v *Value, u float64) float64 {
	if v.Dist != nil {
		return v.Dist.Quantile(u)
	}
	return v.V
}

// weekOf is the 0-based week of a run from start containing t.
func weekOf(start, t time.Time) int {
	return int(math.Floor(t.Sub(start).Hours() / (24 * 7)))
}

// validateUncertainty checks what distributions and events may not do:
// the horizon is fixed (every run covers the same weeks), and events need
// probabilities, one effect and names that exist.
func validateUncertainty(errs *ErrorList, s *Scenario, t *tree) {
	if s.Horizon.Dist != nil {
		errs.add(s.Horizon.Pos, "horizon", "the horizon cannot be a distribution (got %s, want one duration: every run covers the same weeks)", s.Horizon.Dist.Kind)
	}
	for i := range s.Events {
		e := &s.Events[i]
		p := "events." + e.Name
		if pr := &e.Probability; pr.Set {
			switch {
			case pr.Dist != nil:
				errs.add(pr.Pos, p+".probability", "a probability cannot be a distribution (got %s, want a share such as \"10%%/year\" or \"30%%\")", pr.Dist.Kind)
			default:
				q, err := units.Parse(pr.Text, units.Growth)
				e.PerYear = err == nil
				if err != nil {
					q, err = units.Parse(pr.Text, units.Fraction)
				}
				if err != nil || q.Value < 0 || q.Value > 1 {
					errs.add(pr.Pos, p+".probability", "not a probability (got %q, want a share per year such as \"10%%/year\", or once such as \"30%%\")", pr.Text)
					break
				}
				pr.Q, pr.V = q, q.Value
			}
		}
		if e.From.Set && e.To.Set && e.To.Before(e.From.Time) {
			errs.add(e.To.Pos, p+".to", "date out of order (got %s, want on or after from %s)", e.To, e.From)
		}
		switch {
		case e.Shock == "" && e.Freeze == "":
			errs.add(e.Pos, p, "no effect (got neither shock nor freeze, want shock: RESOURCE with factor, or freeze: STAGE)")
		case e.Shock != "" && e.Freeze != "":
			errs.add(keyPos(t, e.Pos, "events", e.Name, "freeze"), p+".freeze", "two effects (got shock and freeze, want one per event)")
		case e.Shock != "":
			if s.Resource(e.Shock) == nil {
				errs.add(valPos(t, e.Pos, "events", e.Name, "shock"), p+".shock", "unknown resource (got %q, want one of: %s)", e.Shock, strings.Join(resourceList(s), ", "))
			}
			if !e.Factor.Set {
				errs.add(keyPos(t, e.Pos, "events", e.Name, "shock"), p+".factor", "missing (want the share of supply left during the shock, such as \"50%%\")")
			}
		default:
			if !hasStage(s, e.Freeze) {
				errs.add(valPos(t, e.Pos, "events", e.Name, "freeze"), p+".freeze", "unknown stage (got %q, want one of: %s)", e.Freeze, strings.Join(stageList(s), ", "))
			}
			if e.Factor.Set {
				errs.add(e.Factor.Pos, p+".factor", "a factor belongs to a shock (got a factor on a freeze, want it left out)")
			}
		}
	}
}

func hasStage(s *Scenario, name string) bool {
	for _, st := range s.Project.Stages {
		if st.Name == name {
			return true
		}
	}
	return false
}
