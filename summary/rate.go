package summary

import (
	"github.com/gwf-project/gwf/calendar"
	"time"

	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/units"
)

// QuarterMinWeeks is the fewest weeks of a calendar quarter that must lie
// inside the run for the quarter to be judged by the quarterly milestones:
// a quarter cut short by the start or the end of the horizon counts only if
// at least this many of its weeks are in the run.
const QuarterMinWeeks = 10

// QuartersInARow is how many consecutive calendar quarters the
// four-quarter milestone asks to reach the rate.
const QuartersInARow = 4

// RateMilestones are the weeks at which a run reaches a rate of IT capacity
// brought online per week, by the three tests people use; each is -1 when
// the run does not reach it within the horizon.
type RateMilestones struct {
	// RateMW is the rate tested, MW brought online per week.
	RateMW float64
	// Sustained is the strict milestone: the first week from which the
	// rate is sustained to the end (SustainedFrom over SustainWindow weeks).
	Sustained int
	// FirstQuarter is the first week, in the run, of the first calendar
	// quarter whose mean MW added per week reaches the rate.
	FirstQuarter int
	// FourQuarters is the first week, in the run, of the first of
	// QuartersInARow consecutive calendar quarters each reaching the rate.
	FourQuarters int
}

// QuarterRate is one calendar quarter's mean MW brought online per week.
type QuarterRate struct {
	Label     string  // "2027 Q3", as in Quarter
	FirstWeek int     // the quarter's first week in the run
	Weeks     int     // its weeks in the run
	MeanMW    float64 // mean MW added per week over those weeks
}

// Judged reports whether the quarter has enough weeks in the run
// (QuarterMinWeeks) to be judged by the quarterly milestones.
func (q QuarterRate) Judged() bool { return q.Weeks >= QuarterMinWeeks }

// QuarterRates groups added (MW brought online in each week, week w
// starting on start + 7w days, as sim.Model.Date counts) into calendar
// quarters, each week in the quarter of its first day, and gives each
// quarter's mean, in order.
func QuarterRates(start time.Time, added []float64) []QuarterRate {
	return quarterRates(start, added, true)
}

// quarterRates is QuarterRates, with each quarter's Label left empty
// unless labelled: the milestones, judged on every Monte Carlo run, need
// only the weeks and means.
func quarterRates(start time.Time, added []float64, labelled bool) []QuarterRate {
	var out []QuarterRate
	sum := 0.0
	last := -1 // the quarter of the week before, as year×4 + quarter index
	cal := calendar.New(start)
	for w, a := range added {
		// A quarter, and its label, are made once a quarter.
		t := cal.Date(w)
		if key := calendar.QuarterOf(t).Index(); len(out) == 0 || key != last {
			last = key
			if len(out) > 0 {
				q := &out[len(out)-1]
				q.MeanMW = sum / float64(q.Weeks)
			}
			q := QuarterRate{FirstWeek: w}
			if labelled {
				q.Label = quarterLabel(t)
			}
			out = append(out, q)
			sum = 0
		}
		out[len(out)-1].Weeks++
		sum += a
	}
	if len(out) > 0 {
		q := &out[len(out)-1]
		q.MeanMW = sum / float64(q.Weeks)
	}
	return out
}

// reaches reports whether a mean reaches rate, with the tolerance
// SustainedFrom uses.
func reaches(mean, rate float64) bool { return mean >= rate-1e-6 }

// FirstQuarterAt returns the index in qs of the first judged quarter whose
// mean reaches rate, or -1.
func FirstQuarterAt(qs []QuarterRate, rate float64) int {
	for i, q := range qs {
		if q.Judged() && reaches(q.MeanMW, rate) {
			return i
		}
	}
	return -1
}

// QuartersInARowAt returns the index in qs of the first quarter of the
// first run of n consecutive judged quarters each reaching rate, or -1.
// qs are consecutive calendar quarters, as QuarterRates returns them.
func QuartersInARowAt(qs []QuarterRate, rate float64, n int) int {
	run := 0
	for i, q := range qs {
		if q.Judged() && reaches(q.MeanMW, rate) {
			run++
		} else {
			run = 0
		}
		if run >= n {
			return i - n + 1
		}
	}
	return -1
}

// RateMilestonesOf tests added (MW brought online in each week, week 0
// starting on start) against rate by every rate milestone. It is the one
// place the milestones are judged: the summary, gwf mc and sensitivity all
// call it (through RunRateMilestones for a run).
func RateMilestonesOf(start time.Time, added []float64, rate float64) RateMilestones {
	out := RateMilestones{RateMW: rate, Sustained: SustainedFrom(added, rate, SustainWindow), FirstQuarter: -1, FourQuarters: -1}
	qs := quarterRates(start, added, false)
	if i := FirstQuarterAt(qs, rate); i >= 0 {
		out.FirstQuarter = qs[i].FirstWeek
	}
	if i := QuartersInARowAt(qs, rate, QuartersInARow); i >= 0 {
		out.FourQuarters = qs[i].FirstWeek
	}
	return out
}

// RunRateMilestones judges run r at its scenario's target rate
// (TargetRateMW).
func RunRateMilestones(r *sim.Result) RateMilestones {
	added := make([]float64, len(r.Weeks))
	for i, w := range r.Weeks {
		added[i] = w.AddedMW
	}
	return RateMilestonesOf(r.Model.Start, added, TargetRateMW(r.Model))
}

// TargetRateMW is the rate the rate milestones of a run of m test: the
// scenario's target rate (target.rate), MW brought online per week, or
// GWPerWeekMW for a model without one.
func TargetRateMW(m *sim.Model) float64 {
	if m == nil || m.TargetMWpw <= 0 {
		return GWPerWeekMW
	}
	return m.TargetMWpw
}

// RateLabel names a rate of MW brought online per week in gigawatts, as
// the milestones are headed: "1 GW/week", "0.5 GW/week". A rate of zero or
// less (a result that does not record its rate) is named as GWPerWeekMW.
func RateLabel(mw float64) string {
	if mw <= 0 {
		mw = GWPerWeekMW
	}
	return units.FormatNumber(mw/1000, 3) + " GW/week"
}
