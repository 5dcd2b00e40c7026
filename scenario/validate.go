package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gwf-project/gwf/units"
)

// MaxStages is the most stages a project may have (the engine keeps a
// project's stage statuses as bits of a word).
const MaxStages = 64

// Bases a recipe intensity may be written per.
const (
	PerMW          = "MW"          // per MW of IT capacity
	PerGridMW      = "grid-MW"     // per MW of grid power (IT × PUE)
	PerAccelerator = "accelerator" // per accelerator of the project's generation
	PerRack        = "rack"        // per rack of the project's generation
)

var recipeBases = []string{PerMW, PerGridMW, PerAccelerator, PerRack}

// validate checks what the field-by-field decoding cannot: kinds, units
// that depend on a resource's kind, names that refer to one another, and
// dates in order.
func validate(s *Scenario, t *tree) error {
	var errs ErrorList
	if !validName(s.Name) {
		errs.add(valPos(t, posAt(t, "name"), "name"), "name", "bad name (got %q, want letters, digits, _ and - starting with a letter)", s.Name)
	}
	if s.Target.By.Set && s.StartDate.Set && !s.Target.By.After(s.StartDate.Time) {
		errs.add(s.Target.By.Pos, "target.by", "date out of order (got %s, want after start_date %s)", s.Target.By, s.StartDate)
	}
	if s.Target.InitialRate.V > s.Target.Rate.V {
		errs.add(s.Target.InitialRate.Pos, "target.initial_rate", "above the target rate (got %s, want at most %s)", s.Target.InitialRate.Text, s.Target.Rate.Text)
	}

	kinds := map[string]string{}
	for i := range s.Resources {
		r := &s.Resources[i]
		kinds[r.Name] = r.Kind
	}
	nAccel, nPower := 0, 0
	for i := range s.Resources {
		r := &s.Resources[i]
		p := "resources." + r.Name
		if !slices.Contains(Kinds, r.Kind) {
			errs.add(valPos(t, r.Pos, "resources", r.Name, "kind"), p+".kind", "unknown kind (got %q, want one of: %s)", r.Kind, strings.Join(Kinds, ", "))
			continue
		}
		r.Unit = units.Singular(r.Unit)
		switch r.Kind {
		case KindAccelerator:
			nAccel++
		case KindPower:
			nPower++
			if r.Unit != "MW" {
				errs.add(valPos(t, r.Pos, "resources", r.Name, "unit"), p+".unit", "a power source is counted in MW (got %q, want \"MW\")", r.Unit)
			}
		}
		validateCapacity(&errs, r, p)
		needsLead := r.Kind != KindCrew && r.Kind != KindUpstream
		if needsLead && !r.LeadTime.Set {
			errs.add(r.Pos, p+".lead_time", "missing (want %s)", units.Duration)
		}
		if r.Kind == KindRobot {
			if len(r.Substitutes) == 0 {
				errs.add(keyPos(t, r.Pos, "resources", r.Name, "substitutes"), p+".substitutes", "missing (want the crews a robot stands in for)")
			}
			for j, c := range r.Substitutes {
				if kinds[c] != KindCrew {
					errs.add(itemPos(t, r.Pos, j, "resources", r.Name, "substitutes"), p+".substitutes", "not a crew (got %q, want one of: %s)", c, strings.Join(namesOfKind(s, KindCrew), ", "))
				}
			}
			if !r.WorkersPerRobot.Set {
				errs.add(r.Pos, p+".workers_per_robot", "missing (want how many workers one robot replaces, e.g. \"1.5\")")
			} else if r.WorkersPerRobot.V <= 0 {
				errs.add(r.WorkersPerRobot.Pos, p+".workers_per_robot", "too small (got %s, want more than 0: how many workers one robot replaces, e.g. \"1.5\")", r.WorkersPerRobot.Text)
			}
		}
		for _, in := range r.Inputs {
			validateInput(&errs, s, kinds, in, p+".inputs."+in.Name, r.Unit)
		}
		if r.Expansion.MaxGrowth.V > 0 && !r.Expansion.LeadTime.Set {
			errs.add(keyPos(t, r.Pos, "resources", r.Name, "expansion"), p+".expansion.lead_time", "missing (want %s)", units.Duration)
		}
	}
	if nAccel != 1 {
		errs.add(posAt(t, "resources"), "resources", "need exactly one resource of kind accelerator (got %d, want 1)", nAccel)
	}
	if nPower == 0 {
		errs.add(posAt(t, "resources"), "resources", "need at least one resource of kind power (got none, want one or more)")
	}

	// Stages: names, order, recipes.
	stageNames := map[string]bool{}
	for _, st := range s.Project.Stages {
		stageNames[st.Name] = true
	}
	powerStages := 0
	for _, st := range s.Project.Stages {
		p := "project.stages." + st.Name
		for j, a := range st.After {
			if !stageNames[a] {
				errs.add(itemPos(t, st.Pos, j, "project", "stages", st.Name, "after"), p+".after", "unknown stage (got %q, want one of: %s)", a, strings.Join(stageList(s), ", "))
			}
		}
		if st.SecuresPower {
			powerStages++
		}
		for _, n := range st.Needs {
			np := p + ".needs." + n.Name
			k, ok := kinds[n.Name]
			switch {
			case !ok:
				errs.add(n.Pos, np, "unknown resource (got %q, want one of: %s)", n.Name, strings.Join(resourceList(s), ", "))
				continue
			case k == KindCrew || k == KindRobot:
				errs.add(n.Pos, np, "a %s is held, not consumed (got it under needs, want it under crews)", k)
				continue
			case k == KindPower:
				errs.add(n.Pos, np, "a power source is obtained by the stage with secures_power: true (got it under needs, want it left out of needs)")
				continue
			case k == KindUpstream:
				errs.add(n.Pos, np, "an upstream line feeds another line (got it under needs, want it under that line's inputs)")
				continue
			}
			validateIntensity(&errs, s, n, np)
			if !deliverable(s.Resource(n.Name), s) {
				errs.add(n.Pos, np, "impossible recipe: resource %q can never deliver (got capacity × share zero, no initial stock and no expansion, want one of them above zero)", n.Name)
			}
		}
		for _, at := range st.NeededAt {
			if !slices.ContainsFunc(st.Needs, func(n Need) bool { return n.Name == at.Name }) {
				names := make([]string, 0, len(st.Needs))
				for _, n := range st.Needs {
					names = append(names, n.Name)
				}
				errs.add(at.Pos, p+".needed_at."+at.Name, "not a need of this stage (got %q, want one of: %s)", at.Name, strings.Join(names, ", "))
			}
		}
		for _, fp := range st.ForPower {
			fpp := p + ".for_power." + fp.Name
			i := slices.IndexFunc(st.Needs, func(n Need) bool { return n.Name == fp.Name })
			switch {
			case i < 0:
				names := make([]string, 0, len(st.Needs))
				for _, n := range st.Needs {
					names = append(names, n.Name)
				}
				errs.add(fp.Pos, fpp, "not a need of this stage (got %q, want one of: %s)", fp.Name, strings.Join(names, ", "))
			case st.Needs[i].Amount.Q.Per != PerGridMW:
				errs.add(fp.Pos, fpp, "not a need per grid-MW (got %q, want a need such as \"0.01 units/grid-MW\")", st.Needs[i].Amount.Text)
			case len(fp.Sources) == 0:
				errs.add(fp.Pos, fpp, "no power sources (got an empty list, want one or more of: %s)", strings.Join(namesOfKind(s, KindPower), ", "))
			}
			for _, src := range fp.Sources {
				if r := s.Resource(src); r == nil || r.Kind != KindPower {
					errs.add(fp.Pos, fpp, "not a power source (got %q, want one of: %s)", src, strings.Join(namesOfKind(s, KindPower), ", "))
				}
			}
		}
		for _, n := range st.Crews {
			np := p + ".crews." + n.Name
			k, ok := kinds[n.Name]
			if !ok {
				errs.add(n.Pos, np, "unknown resource (got %q, want one of: %s)", n.Name, strings.Join(namesOfKind(s, KindCrew), ", "))
				continue
			}
			if k != KindCrew {
				errs.add(n.Pos, np, "not a crew (got a resource of kind %s, want one of: %s)", k, strings.Join(namesOfKind(s, KindCrew), ", "))
				continue
			}
			validateIntensity(&errs, s, n, np)
		}
	}
	if len(s.Project.Stages) > MaxStages {
		errs.add(keyPos(t, posAt(t, "project"), "project", "stages"), "project.stages", "too many stages (got %d, want at most %d)", len(s.Project.Stages), MaxStages)
	}
	if len(s.Project.Stages) > 0 && powerStages != 1 {
		errs.add(keyPos(t, posAt(t, "project"), "project", "stages"), "project.stages", "need exactly one stage with secures_power: true (got %d, want 1)", powerStages)
	}
	if cyc := stageCycle(s); cyc != "" {
		errs.add(keyPos(t, posAt(t, "project"), "project", "stages"), "project.stages", "stages depend on each other in a loop (got %s, want each stage after earlier ones only)", cyc)
	}

	// Generations: in order of availability, the first one available at the start.
	for i, g := range s.Generations {
		p := "generations." + g.Name
		if i > 0 && g.Available.Set && !g.Available.After(s.Generations[i-1].Available.Time) {
			errs.add(g.Available.Pos, p+".available", "date out of order (got %s, want after %s's %s)", g.Available, s.Generations[i-1].Name, s.Generations[i-1].Available)
		}
		for _, in := range g.Inputs {
			validateInput(&errs, s, kinds, in, p+".inputs."+in.Name, PerAccelerator)
		}
	}
	if len(s.Generations) > 0 && s.StartDate.Set && s.Generations[0].Available.After(s.StartDate.Time) {
		g := s.Generations[0]
		errs.add(g.Available.Pos, "generations."+g.Name+".available", "no hardware at the start (got %s, want the first generation available by start_date %s)", g.Available, s.StartDate)
	}
	validateInitial(&errs, s, t)
	validateMoneyAndMissions(&errs, s, t)
	validateUncertainty(&errs, s, t)
	return errs.err()
}

func validateCapacity(errs *ErrorList, r *Resource, p string) {
	validateLineQuantity(errs, r, &r.Capacity, p+".capacity")
	if r.Expansion.Step.Set {
		validateLineQuantity(errs, r, &r.Expansion.Step, p+".expansion.step")
	}
}

// validateLineQuantity checks and parses c, a quantity in the line's
// capacity unit (units per time; a crew's, workers) at path cp.
func validateLineQuantity(errs *ErrorList, r *Resource, c *Value, cp string) {
	if !c.Set {
		return
	}
	what := "capacity"
	if strings.HasSuffix(cp, ".step") {
		what = "expansion step"
	}
	dim, want := units.Rate, fmt.Sprintf("%s per time, e.g. \"1000 %ss/week\"", r.Unit, r.Unit)
	if r.Kind == KindCrew {
		dim, want = units.Count, fmt.Sprintf("a number of %ss, e.g. \"40000 %ss\"", r.Unit, r.Unit)
	}
	if r.Kind == KindPower {
		want = `MW per time, e.g. "150 MW/week"`
	}
	parse := func(text string, pos Pos, path string) (units.Quantity, bool) {
		q, err := units.Parse(text, dim)
		if err != nil {
			errs.add(pos, path, "%v", err)
			return q, false
		}
		if q.Of != r.Unit {
			errs.add(pos, path, "wrong unit (got %q, want %s)", text, want)
			return q, false
		}
		if q.Value < 0 && !strings.HasSuffix(path, ".std") {
			errs.add(pos, path, "negative %s (got %s, want zero or more)", what, text)
			return q, false
		}
		if q.Value > 1e12 {
			errs.add(pos, path, "too large (got %s, want at most 1e12 per week)", text)
			return q, false
		}
		return q, true
	}
	if c.Dist != nil {
		resolveDist(errs, c, cp, parse, 0, 1e12)
		return
	}
	if q, ok := parse(c.Text, c.Pos, cp); ok {
		c.Q, c.V = q, q.Value
	}
}

func validateInput(errs *ErrorList, s *Scenario, kinds map[string]string, in Need, p, per string) {
	k, ok := kinds[in.Name]
	if !ok {
		errs.add(in.Pos, p, "unknown resource (got %q, want one of: %s)", in.Name, strings.Join(namesOfKind(s, KindUpstream), ", "))
		return
	}
	if k != KindUpstream {
		errs.add(in.Pos, p, "not an upstream line (got a resource of kind %s, want one of: %s)", k, strings.Join(namesOfKind(s, KindUpstream), ", "))
		return
	}
	r := s.Resource(in.Name)
	q := in.Amount.Q
	if q.Of != r.Unit || q.Per != units.Singular(per) {
		errs.add(in.Amount.Pos, p, "wrong unit (got %q, want %ss/%s)", in.Amount.Text, r.Unit, units.Singular(per))
	}
}

func validateIntensity(errs *ErrorList, s *Scenario, n Need, p string) {
	r := s.Resource(n.Name)
	q := n.Amount.Q
	if !slices.Contains(recipeBases, q.Per) {
		errs.add(n.Amount.Pos, p, "unknown basis (got %q, want per one of: %s)", n.Amount.Text, strings.Join(recipeBases, ", "))
		return
	}
	if q.Of != r.Unit {
		errs.add(n.Amount.Pos, p, "wrong unit (got %q, want %ss per %s)", n.Amount.Text, r.Unit, q.Per)
	}
}

// deliverable reports whether a resource can ever supply anything.
func deliverable(r *Resource, s *Scenario) bool {
	if r == nil {
		return false
	}
	return r.Capacity.V*r.Share.V > 0 || r.Initial.V > 0 || r.Expansion.MaxGrowth.V > 0
}

// stageCycle returns a description of a dependency loop among stages, or "".
func stageCycle(s *Scenario) string {
	after := map[string][]string{}
	for _, st := range s.Project.Stages {
		after[st.Name] = st.After
	}
	state := map[string]int{} // 0 unseen, 1 on stack, 2 done
	var stack []string
	var visit func(n string) string
	visit = func(n string) string {
		switch state[n] {
		case 1:
			i := slices.Index(stack, n)
			return strings.Join(append(slices.Clone(stack[i:]), n), " → ")
		case 2:
			return ""
		}
		state[n] = 1
		stack = append(stack, n)
		for _, a := range after[n] {
			if _, ok := after[a]; !ok {
				continue
			}
			if c := visit(a); c != "" {
				return c
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = 2
		return ""
	}
	for _, st := range s.Project.Stages {
		if c := visit(st.Name); c != "" {
			return c
		}
	}
	return ""
}

func namesOfKind(s *Scenario, kind string) []string {
	var out []string
	for _, r := range s.Resources {
		if r.Kind == kind {
			out = append(out, r.Name)
		}
	}
	return out
}

func resourceList(s *Scenario) []string {
	out := make([]string, len(s.Resources))
	for i, r := range s.Resources {
		out[i] = r.Name
	}
	return out
}

func stageList(s *Scenario) []string {
	out := make([]string, len(s.Project.Stages))
	for i, st := range s.Project.Stages {
		out[i] = st.Name
	}
	return out
}

// valPos returns the position of the value at keys in t, or fallback.
func valPos(t *tree, fallback Pos, keys ...string) Pos {
	if v := t.at(keys...); v != nil && v.pos.Line > 0 {
		return v.pos
	}
	return fallback
}

// keyPos returns the position of the last of keys in t, or fallback.
func keyPos(t *tree, fallback Pos, keys ...string) Pos {
	if k := t.keyAt(keys...); k != nil && k.pos.Line > 0 {
		return k.pos
	}
	return fallback
}

// itemPos returns the position of item i of the list at keys in t (or of
// the single value written in its place), or fallback.
func itemPos(t *tree, fallback Pos, i int, keys ...string) Pos {
	v := t.at(keys...)
	switch {
	case v == nil:
	case v.kind == sequenceNode && i < len(v.items) && v.items[i].pos.Line > 0:
		return v.items[i].pos
	case v.kind == scalarNode && v.pos.Line > 0:
		return v.pos
	}
	return fallback
}

// posAt returns the position of key in the top-level mapping, or of the
// mapping itself.
func posAt(t *tree, key string) Pos {
	if v := t.get(key); v != nil {
		for i, k := range t.keys {
			if k.text == key {
				return t.keys[i].pos
			}
		}
	}
	return t.pos
}
