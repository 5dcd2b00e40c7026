// Package summary distils a run into the facts planners ask for first: when
// the factory reaches its target rate (1 GW/week in the reference) — strictly
// sustained, in a first quarter, and four quarters in a row — and 1, 10 and
// 100 GW online, what binds each quarter, and which shortages held back the
// most capacity.
package summary

import (
	"fmt"
	"sort"
	"time"

	"github.com/gwf-project/gwf/sim"
)

// GWPerWeekMW is 1 GW of IT capacity brought online in a week: the
// reference scenario's target rate, and the rate the milestones test for a
// model without a target (see TargetRateMW).
const GWPerWeekMW = 1000

// SustainWindow is the number of weeks (a quarter) averaged when judging whether a rate
// is sustained: from the milestone week on, every window of this many weeks
// must average at least the rate.
const SustainWindow = sim.QuarterWeeks

// OnlineMilestonesGW are the cumulative capacities reported.
var OnlineMilestonesGW = []int{1, 10, 100}

// Milestone is a week of the run, or nil when never reached.
type Milestone struct {
	Week int
	Date time.Time
}

// QuarterMilestone is the calendar quarter in which a quarterly milestone
// is reached, or nil when never reached.
type QuarterMilestone struct {
	Quarter string    // "2031 Q2"
	Week    int       // the quarter's first week in the run
	Date    time.Time // that week's first day
}

// Quarter is the binding constraint of one calendar quarter.
type Quarter struct {
	Label      string // "2027 Q3"
	FirstWeek  int
	Bottleneck string  // the line that held back the most MW over the quarter, or ""
	HeldBackMW float64 // its mean MW held back per week in the quarter
}

// Shortfall is one line's total effect over the run.
type Shortfall struct {
	Line         string
	Layer        string
	MWWeeks      float64 // MW held back, summed over weeks
	BindingWeeks int     // weeks it was the bottleneck
}

// Summary is the digest of one run.
type Summary struct {
	// RateMW is the rate the rate milestones test: the scenario's target
	// rate, MW brought online per week (TargetRateMW).
	RateMW float64
	// GWPerWeek is the strict milestone: the week from which RateMW is
	// sustained to the end (SustainedFrom).
	GWPerWeek *Milestone
	// FirstQuarter is the first calendar quarter whose mean MW added per
	// week reaches RateMW; FourQuarters the first of the first
	// QuartersInARow consecutive quarters that each do (RateMilestonesOf).
	FirstQuarter *QuarterMilestone
	FourQuarters *QuarterMilestone
	OnlineGW     map[int]*Milestone
	BestRate     float64 // best SustainWindow-week mean of MW added per week
	BestRateAt   int
	FinalMW      float64
	PipelineMW   float64
	Started      int
	Online       int
	MeanBuild    float64 // mean weeks from start to online, over projects online
	CapexUSD     float64
	Quarters     []Quarter
	Shortfalls   []Shortfall
	ShortAtEnd   []string // lines binding in the last year, most first
	OnlineFLOPS  float64
	Money        *Money // nil without finance
	// CapexByLayer is capex over the run by layer, largest first.
	CapexByLayer []LayerCapex
	Missions     []MissionOutcome
}

// Of summarises r.
func Of(r *sim.Result) *Summary {
	m := r.Model
	s := &Summary{OnlineGW: map[int]*Milestone{}}
	n := len(r.Weeks)
	added := make([]float64, n)
	for i, w := range r.Weeks {
		added[i] = w.AddedMW
		s.CapexUSD += w.CapexUSD
	}
	if n > 0 {
		last := r.Weeks[n-1]
		s.FinalMW, s.PipelineMW, s.OnlineFLOPS = last.OnlineMW, last.PipelineMW, last.OnlineFLOPS
	}
	rm := RunRateMilestones(r)
	s.RateMW = rm.RateMW
	if w := rm.Sustained; w >= 0 {
		s.GWPerWeek = &Milestone{Week: w, Date: m.Date(w)}
	}
	s.FirstQuarter = quarterMilestone(m, rm.FirstQuarter)
	s.FourQuarters = quarterMilestone(m, rm.FourQuarters)
	for i := 0; i+SustainWindow <= n; i++ {
		if mean := meanOf(added[i : i+SustainWindow]); mean > s.BestRate+1e-9 {
			s.BestRate, s.BestRateAt = mean, i
		}
	}
	for _, gw := range OnlineMilestonesGW {
		if w := OnlineWeek(r, gw); w >= 0 {
			s.OnlineGW[gw] = &Milestone{Week: r.Weeks[w].Week, Date: r.Weeks[w].Date}
		}
	}
	built := 0
	for _, p := range r.Projects {
		s.Started++
		if p.OnlineWeek >= 0 {
			s.Online++
			built += p.OnlineWeek - p.StartWeek
		}
	}
	if s.Online > 0 {
		s.MeanBuild = float64(built) / float64(s.Online)
	}
	s.Quarters = quarters(r)
	s.Shortfalls, s.ShortAtEnd = shortfalls(r)
	s.Money = moneyOf(r, s)
	s.CapexByLayer = capexByLayer(r)
	s.Missions = missionsOf(r, s)
	return s
}

// SustainedFrom returns the first week w at which added[w] ≥ rate and every
// window of the given width from w onward averages at least rate, or -1.
// Windows that would run past the end are not judged.
func SustainedFrom(added []float64, rate float64, window int) int {
	n := len(added)
	if n == 0 {
		return -1
	}
	// ok[i]: the window starting at i averages ≥ rate (or runs past the end).
	// Scan backwards so "every window from w on" is a suffix property.
	allOK := true
	first := -1
	sum := 0.0
	for i := n - 1; i >= 0; i-- {
		sum += added[i]
		if i+window < n {
			sum -= added[i+window]
		}
		if i+window <= n && sum < rate*float64(window)-1e-6 {
			allOK = false
		}
		if !allOK {
			break
		}
		if added[i] >= rate-1e-6 {
			first = i
		}
	}
	if first >= 0 && first+window > n {
		return -1 // reached only in the last days of the horizon: not judged sustained
	}
	return first
}

// quarterMilestone is the quarter starting (in the run) in week w, or nil
// for -1.
func quarterMilestone(m *sim.Model, w int) *QuarterMilestone {
	if w < 0 {
		return nil
	}
	d := m.Date(w)
	return &QuarterMilestone{Quarter: quarterLabel(d), Week: w, Date: d}
}

func meanOf(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func quarters(r *sim.Result) []Quarter {
	m := r.Model
	var out []Quarter
	nl := len(m.Lines)
	sums := make([]float64, nl)
	flush := func(q *Quarter, weeks int) {
		best, bi := 0.0, -1
		for l, v := range sums {
			if v > best+1e-9 {
				best, bi = v, l
			}
		}
		if bi >= 0 {
			q.Bottleneck = m.Lines[bi].Name
			q.HeldBackMW = best / float64(weeks)
		}
		out = append(out, *q)
		clear(sums)
	}
	var cur *Quarter
	weeks := 0
	for _, w := range r.Weeks {
		label := quarterLabel(w.Date)
		if cur == nil || cur.Label != label {
			if cur != nil {
				flush(cur, weeks)
			}
			cur = &Quarter{Label: label, FirstWeek: w.Week}
			weeks = 0
		}
		weeks++
		for l := 0; l < nl; l++ {
			sums[l] += r.HeldBackMW(w.Week, l)
		}
	}
	if cur != nil {
		flush(cur, weeks)
	}
	return out
}

func quarterLabel(t time.Time) string {
	return fmt.Sprintf("%d Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

func shortfalls(r *sim.Result) ([]Shortfall, []string) {
	m := r.Model
	nl := len(m.Lines)
	out := make([]Shortfall, nl)
	lastYear := make([]float64, nl)
	for l := range out {
		out[l] = Shortfall{Line: m.Lines[l].Name, Layer: m.Lines[l].Layer}
	}
	n := len(r.Weeks)
	for _, w := range r.Weeks {
		for l := 0; l < nl; l++ {
			v := r.HeldBackMW(w.Week, l)
			out[l].MWWeeks += v
			if w.Week >= n-52 {
				lastYear[l] += v
			}
		}
		if w.Bottleneck >= 0 {
			out[w.Bottleneck].BindingWeeks++
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].MWWeeks > out[j].MWWeeks })
	for len(out) > 0 && out[len(out)-1].MWWeeks <= 0 {
		out = out[:len(out)-1]
	}
	idx := make([]int, nl)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return lastYear[idx[a]] > lastYear[idx[b]] })
	var end []string
	for _, l := range idx {
		if lastYear[l] > 0 && len(end) < 3 {
			end = append(end, m.Lines[l].Name)
		}
	}
	return out, end
}

// LayerCapex is capex over the run in one layer.
type LayerCapex struct {
	Layer string
	USD   float64
}

func capexByLayer(r *sim.Result) []LayerCapex {
	var out []LayerCapex
	for i, b := range r.Model.CapexBuckets() {
		if i >= len(r.CapexByBucket) || r.CapexByBucket[i] == 0 {
			continue
		}
		layer := b.Layer
		if layer == "" {
			layer = b.Name
		}
		found := false
		for k := range out {
			if out[k].Layer == layer {
				out[k].USD += r.CapexByBucket[i]
				found = true
			}
		}
		if !found {
			out = append(out, LayerCapex{Layer: layer, USD: r.CapexByBucket[i]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].USD > out[j].USD })
	return out
}

// OnlineWeek is the first week of r with gw GW online, or -1 if none.
func OnlineWeek(r *sim.Result, gw int) int {
	for w, wk := range r.Weeks {
		if wk.OnlineMW >= float64(gw)*1000-1e-9 {
			return w
		}
	}
	return -1
}
