package plan

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// MaxFileSize is the largest plan file read: a weekly plan of the
// reference is about 2 MB.
const MaxFileSize = 64 << 20

// Marshal writes pl as the YAML Parse reads (`gwf plan --out`).
func (pl *Plan) Marshal() ([]byte, error) {
	return yaml.MarshalWithOptions(pl, yaml.UseLiteralStyleIfMultiline(true))
}

var yamlPos = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*(.*)$`)

// Parse reads a plan written by Marshal from b; name is the file it came
// from, for errors. Unknown fields and malformed values are refused with
// the file, line and column: "plan.yaml:12:3: ...".
func Parse(name string, b []byte) (*Plan, error) {
	var pl Plan
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("%s:1:1: empty plan (want the YAML `gwf plan --out` writes)", name)
	}
	if err := yaml.UnmarshalWithOptions(b, &pl, yaml.Strict()); err != nil {
		msg := strings.TrimSpace(strings.SplitN(err.Error(), "\n", 2)[0])
		if sm := yamlPos.FindStringSubmatch(msg); sm != nil {
			return nil, fmt.Errorf("%s:%s:%s: %s", name, sm[1], sm[2], sm[3])
		}
		return nil, fmt.Errorf("%s: %s", name, msg)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d:1: %s", name, lineOf(b, args[0].(string)), fmt.Sprintf(format, args[1:]...))
	}
	switch {
	case pl.Scenario == "":
		return nil, fmt.Errorf("%s:1:1: not a plan: no scenario (want the YAML `gwf plan --out` writes)", name)
	case pl.HorizonWeeks <= 0:
		return nil, bad("horizon_weeks missing or not positive (got %d); re-run gwf plan --out", "horizon_weeks:", pl.HorizonWeeks)
	case len(pl.Periods) == 0:
		return nil, bad("no periods", "periods:")
	}
	if _, err := time.Parse(time.DateOnly, pl.StartDate); err != nil {
		return nil, bad("start_date %q: want YYYY-MM-DD", "start_date:", pl.StartDate)
	}
	prev := -1
	for i, p := range pl.Periods {
		if p.Week <= prev || p.Week >= pl.HorizonWeeks {
			return nil, bad("periods[%d]: first_week %d out of order or beyond the horizon (%d weeks)", "first_week: "+strconv.Itoa(p.Week), i, p.Week, pl.HorizonWeeks)
		}
		if p.OnlineMW < 0 || math.IsNaN(p.OnlineMW) {
			return nil, bad("periods[%d]: online_mw %v: want 0 or more", "online_mw:", i, p.OnlineMW)
		}
		prev = p.Week
	}
	for i, e := range pl.Expansions {
		if e.Week < 0 || e.Week >= pl.HorizonWeeks || e.PerWeek < 0 {
			return nil, bad("expansions[%d]: week %d or units_per_week %v out of range", "units_per_week:", i, e.Week, e.PerWeek)
		}
	}
	return &pl, nil
}

// lineOf is the 1-based line of the first occurrence of s in b (1 if none).
func lineOf(b []byte, s string) int {
	i := bytes.Index(b, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(b[:i], []byte("\n")) + 1
}

// ErrMismatch is wrapped by Check when a plan was made for another
// scenario, start date or horizon.
var ErrMismatch = errors.New("plan does not fit the scenario")

// Check reports whether pl was made for m: the same scenario name, start
// date and horizon, and lines and power sources that m has.
func Check(pl *Plan, m *sim.Model) error {
	start := m.Start.Format(time.DateOnly)
	if pl.Scenario != m.Name || pl.StartDate != start || pl.HorizonWeeks != m.Weeks {
		return fmt.Errorf("%w: the plan was made for scenario %q from %s over %d weeks; this is %q from %s over %d weeks (re-run gwf plan on it)",
			ErrMismatch, pl.Scenario, pl.StartDate, pl.HorizonWeeks, m.Name, start, m.Weeks)
	}
	if err := checkStart(pl, m); err != nil {
		return err
	}
	lines := map[string]bool{}
	for _, l := range m.Lines {
		lines[l.Name] = true
	}
	for _, e := range pl.Expansions {
		if !lines[e.Line] {
			return fmt.Errorf("%w: expansion of line %q, which the scenario does not have", ErrMismatch, e.Line)
		}
	}
	power := map[string]bool{}
	for _, l := range m.PowerLines {
		power[m.Lines[l].Name] = true
	}
	for _, p := range pl.Periods {
		for _, s := range p.PowerMW {
			if !power[s.Source] {
				return fmt.Errorf("%w: power source %q (period %s), which the scenario does not have", ErrMismatch, s.Source, p.Label)
			}
		}
	}
	return nil
}

// checkStart reports whether pl took in m's starting state: a plan made
// without it (or for another fleet or pipeline) would have the follower
// build again what is already online or under way.
func checkStart(pl *Plan, m *sim.Model) error {
	if !HasStartingState(m) {
		if pl.Start != nil {
			return fmt.Errorf("%w: the plan was made with a starting state (%s online, %s under way); this scenario has none (re-run gwf plan on it)",
				ErrMismatch, units.FormatMW(pl.Start.FleetMW), units.FormatMW(pl.Start.UnderWayMW))
		}
		return nil
	}
	under := 0.0
	for _, ip := range m.UnderWay {
		under += ip.MW
	}
	if pl.Start == nil {
		return fmt.Errorf("%w: the plan does not account for the scenario's starting state (%s online, %s under way) (re-run gwf plan on it)",
			ErrMismatch, units.FormatMW(m.FleetMW()), units.FormatMW(under))
	}
	if math.Abs(pl.Start.FleetMW-m.FleetMW()) > 1e-6*max(1, m.FleetMW()) || math.Abs(pl.Start.UnderWayMW-under) > 1e-6*max(1, under) {
		return fmt.Errorf("%w: the plan was made with %s online and %s under way at the start; this scenario has %s and %s (re-run gwf plan on it)",
			ErrMismatch, units.FormatMW(pl.Start.FleetMW), units.FormatMW(pl.Start.UnderWayMW), units.FormatMW(m.FleetMW()), units.FormatMW(under))
	}
	return nil
}

// Follower is a sim.Policy that follows a plan: it starts whole projects
// so that the MW started track the plan's MW online shifted back by the
// simulation's start-to-online time (rounded to the nearest project, so
// cumulative starts never run more than half a project ahead of the plan
// or behind it), draws each project's power from the sources in the mix
// the plan chose for the period it serves, and funds the plan's expansions
// in the weeks the plan funds them. It starts only the plan's new MW
// (Period.OnlineMW): the fleet and the projects under way at the start
// (Period.CommittedMW) are the simulation's own, carried from the
// scenario's starting state, so nothing is built twice.
//
// The simulation's start-to-online time is its critical path with every
// stage waiting for its inputs' order lead times (a project orders when it
// starts); it equals the plan's start_to_online_weeks when the lead times
// fit within the stage chain.
type Follower struct {
	pl *Plan
	m  *sim.Model

	// per period with MW online: first week, MW, power shares, start week
	online   []float64
	share    [][]float64
	startAt  []int
	order    []int // periods by start week (stable)
	cumStart float64
	next     int // index into order: periods whose start week has come
	target   float64
	expNext  int
	exps     []Expansion
	lineIdx  map[string]int

	// Failed counts expansions the simulation refused (money).
	Failed int
}

// NewFollower returns a policy following pl. Check pl against the model
// first; the follower reads the model from the State on its first week.
func NewFollower(pl *Plan) *Follower { return &Follower{pl: pl} }

func (f *Follower) init(m *sim.Model) {
	f.m = m
	pidx := map[string]int{}
	for k, l := range m.PowerLines {
		pidx[m.Lines[l].Name] = k
	}
	f.lineIdx = map[string]int{}
	for i, l := range m.Lines {
		f.lineIdx[l.Name] = i
	}
	total := make([]float64, len(m.PowerLines))
	for _, s := range f.pl.PowerMix {
		if k, ok := pidx[s.Source]; ok {
			total[k] += s.MW
		}
	}
	if sum(total) <= 0 && len(total) > 0 {
		total[0] = 1
	}
	normalise(total)
	for _, p := range f.pl.Periods {
		if p.OnlineMW <= 0 {
			continue
		}
		sh := make([]float64, len(m.PowerLines))
		for _, s := range p.PowerMW {
			sh[pidx[s.Source]] += s.MW
		}
		if sum(sh) <= 0 {
			copy(sh, total)
		}
		normalise(sh)
		f.online = append(f.online, p.OnlineMW)
		f.share = append(f.share, sh)
		f.startAt = append(f.startAt, p.Week-LeadWeeks(m, sh))
	}
	f.order = make([]int, len(f.online))
	for i := range f.order {
		f.order[i] = i
	}
	slices.SortStableFunc(f.order, func(a, b int) int { return f.startAt[a] - f.startAt[b] })
	f.exps = slices.Clone(f.pl.Expansions)
	slices.SortStableFunc(f.exps, func(a, b Expansion) int { return a.Week - b.Week })
}

// LeadWeeks is the simulation's start-to-online time of a project drawing
// power in the shares given (one per Model.PowerLines): the stage chain
// with each stage starting no earlier than its inputs' lead times (those
// for some power sources only counted when the project draws from one).
func LeadWeeks(m *sim.Model, share []float64) int {
	power := 0
	for k, l := range m.PowerLines {
		if share[k] > 0 {
			power = max(power, m.Lines[l].LeadWeeks)
		}
	}
	_, finish := m.StageEnds(power, share, nil)
	return finish
}

// Decide implements sim.Policy.
func (f *Follower) Decide(s *sim.State) {
	if f.m == nil {
		f.init(s.Model())
	}
	m, w := f.m, s.Week()
	for f.next < len(f.order) && f.startAt[f.order[f.next]] <= w {
		f.target += f.online[f.order[f.next]]
		f.next++
	}
	// Whole projects, to the nearest: start one while that leaves the MW
	// started at most half a project above the plan's.
	const eps = 1e-6
	for f.cumStart+m.SizeMW <= f.target+m.SizeMW/2+eps {
		f.cumStart += m.SizeMW
		mix := make([]float64, len(m.PowerLines))
		sh := f.shareFor(f.cumStart - m.SizeMW/2)
		for k := range mix {
			mix[k] = sh[k] * m.SizeMW * m.PUE
		}
		s.StartProject(mix)
	}
	for f.expNext < len(f.exps) && f.exps[f.expNext].Week <= w {
		e := f.exps[f.expNext]
		f.expNext++
		if l, ok := f.lineIdx[e.Line]; ok && !s.Expand(l, e.PerWeek) {
			f.Failed++
		}
	}
}

// shareFor is the power mix of the period serving the plan's MW at
// cumulative position mw (in start order).
func (f *Follower) shareFor(mw float64) []float64 {
	acc := 0.0
	for _, p := range f.order {
		acc += f.online[p]
		if mw < acc {
			return f.share[p]
		}
	}
	if len(f.order) == 0 {
		sh := make([]float64, len(f.m.PowerLines))
		if len(sh) > 0 {
			sh[0] = 1
		}
		return sh
	}
	return f.share[f.order[len(f.order)-1]]
}

func sum(x []float64) float64 {
	t := 0.0
	for _, v := range x {
		t += v
	}
	return t
}

func normalise(x []float64) {
	if t := sum(x); t > 0 {
		for i := range x {
			x[i] /= t
		}
	}
}

// PlannedOnline is the plan's cumulative MW online by the end of week w:
// the fleet online at the start, the committed pipeline's MW and the new
// MW (MW online in a period count from its first week).
func (pl *Plan) PlannedOnline(w int) float64 {
	t := 0.0
	if pl.Start != nil {
		t = pl.Start.FleetMW
	}
	for _, p := range pl.Periods {
		if p.Week <= w {
			t += p.OnlineMW + p.CommittedMW
		}
	}
	return t
}
