package backtest

import (
	"fmt"
	"math"
	"slices"

	"github.com/gwf-project/gwf/scenario"
)

// Parameter is a scenario value the backtest calibrates, and the recorded
// series whose in-sample periods it is fitted to.
type Parameter struct {
	Path   string   // field path, as gwf scenario show prints it
	Series []string // fitted to these series' in-sample periods
	// Min and Max bound the search; Log searches on a log scale.
	Min, Max float64
	Log      bool
	Why      string
}

// Parameters lists the calibrated values. Everything else in the cases'
// scenarios is taken from its source, not fitted.
var Parameters = []Parameter{
	{
		Path:   "resources.grid.share",
		Series: []string{"accelerators_shipped"},
		Min:    0.05, Max: 1,
		Why: "the AI build-out's part of large-load grid connections: no public figure, and power is the line that binds in the backtest",
	},
	{
		Path:   "finance.revenue.per_mw_year",
		Series: []string{"gpu_hour_price"},
		Min:    1e6, Max: 3e8, Log: true,
		Why: "the price of compute at the start; the backtest compares the price path, not the money",
	},
}

// valueAt returns the scenario value at path, or nil.
func valueAt(s *scenario.Scenario, path string) *scenario.Value {
	for _, e := range s.Entries() {
		if e.Path == path && e.Value != nil {
			return e.Value
		}
	}
	return nil
}

// FitCase is the case the parameters are fitted on; the other cases
// inherit its fitted values (carried forward where they change with time).
var FitCase = Cases[0]

// fittedOf lists the calibrated parameters with their values in s and the
// in-sample periods of the series each was fitted to.
func fittedOf(s *scenario.Scenario, recs []Record) []Fitted {
	var out []Fitted
	for _, p := range Parameters {
		v := valueAt(s, p.Path)
		if v == nil {
			continue
		}
		f := Fitted{Path: p.Path, Value: Number(v.V), Text: v.Text, FitCase: FitCase.Name, Series: p.Series}
		for _, r := range recs {
			if slices.Contains(p.Series, r.Series) && SampleOf(r) == InSample {
				f.Periods = append(f.Periods, r.Series+" "+r.Period)
			}
		}
		out = append(out, f)
	}
	return out
}

// Refit is what a fresh calibration finds for one parameter.
type Refit struct {
	Path   string
	Series []string
	// Scenario is the value written in the case's scenario; Best the value
	// the search found. ScenarioLoss and BestLoss are the fitting loss at
	// each: the mean absolute log error, |ln(simulated / recorded)|, over
	// the in-sample periods of the parameter's series.
	Scenario, Best         float64
	ScenarioLoss, BestLoss float64
}

// fitSteps and refineSteps set the search: a grid of fitSteps points over
// [Min, Max], then golden-section steps around the best of them.
const (
	fitSteps    = 24
	refineSteps = 24
)

// Fit recalibrates every parameter on case c's in-sample periods, one at a
// time in the order of Parameters, each holding the others at their
// scenario values, by minimising the mean absolute log error of the
// parameter's series. Where the loss is flat the smallest value at its
// minimum wins. Fit modifies nothing; a test checks that the scenario's
// values are as good as what it finds.
func Fit(c Case) ([]Refit, error) {
	recs, err := Records()
	if err != nil {
		return nil, err
	}
	if _, err := c.Scenario(); err != nil {
		return nil, err
	}
	var out []Refit
	for _, p := range Parameters {
		loss := func(x float64) (float64, error) { return inSampleLoss(c, p, x, recs) }
		base, err := c.Scenario()
		if err != nil {
			return nil, err
		}
		v := valueAt(base, p.Path)
		if v == nil {
			return nil, fmt.Errorf("backtest %s: the scenario has no %s to fit", c.Name, p.Path)
		}
		at, err := loss(v.V)
		if err != nil {
			return nil, err
		}
		best, bestLoss, err := minimise(loss, p.Min, p.Max, p.Log)
		if err != nil {
			return nil, err
		}
		out = append(out, Refit{Path: p.Path, Series: p.Series, Scenario: v.V, Best: best, ScenarioLoss: at, BestLoss: bestLoss})
	}
	return out, nil
}

// inSampleLoss runs case c with parameter p set to x and returns the mean
// absolute log error of p's series over their in-sample periods. The log
// error is symmetric: a figure half the recorded one costs what double
// does, where a percentage error would favour under-prediction (it cannot
// exceed 100% below).
func inSampleLoss(c Case, p Parameter, x float64, recs []Record) (float64, error) {
	s, err := c.Scenario()
	if err != nil {
		return 0, err
	}
	valueAt(s, p.Path).V = x
	rep, err := Compare(c.Name, s, recs)
	if err != nil {
		return 0, err
	}
	n, sum := 0, 0.0
	for _, r := range rep.Rows {
		if r.Sample == InSample && slices.Contains(p.Series, r.Series) {
			n++
			sum += math.Abs(math.Log(float64(r.Simulated) / float64(r.Recorded)))
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("backtest %s: no in-sample period of %v to fit %s to", c.Name, p.Series, p.Path)
	}
	return sum / float64(n), nil
}

// minimise finds x in [lo, hi] with small f(x): a grid search, then a
// golden-section search in the bracket around the grid's best point. The
// loss of a lumpy simulation is not smooth, so the grid guards against
// local minima and the refinement only polishes.
func minimise(f func(float64) (float64, error), lo, hi float64, logScale bool) (float64, float64, error) {
	to := func(u float64) float64 { return u }
	from := func(x float64) float64 { return x }
	if logScale {
		to, from = math.Exp, math.Log
	}
	a, b := from(lo), from(hi)
	step := (b - a) / float64(fitSteps-1)
	bestU, bestF := a, math.Inf(1)
	for i := range fitSteps {
		u := a + float64(i)*step
		y, err := f(to(u))
		if err != nil {
			return 0, 0, err
		}
		if y < bestF {
			bestU, bestF = u, y
		}
	}
	l, r := math.Max(a, bestU-step), math.Min(b, bestU+step)
	phi := (math.Sqrt(5) - 1) / 2
	x1, x2 := r-phi*(r-l), l+phi*(r-l)
	f1, err := f(to(x1))
	if err != nil {
		return 0, 0, err
	}
	f2, err := f(to(x2))
	if err != nil {
		return 0, 0, err
	}
	for range refineSteps {
		if f1 <= f2 {
			r, x2, f2 = x2, x1, f1
			x1 = r - phi*(r-l)
			if f1, err = f(to(x1)); err != nil {
				return 0, 0, err
			}
		} else {
			l, x1, f1 = x1, x2, f2
			x2 = l + phi*(r-l)
			if f2, err = f(to(x2)); err != nil {
				return 0, 0, err
			}
		}
	}
	for _, c := range []struct{ u, y float64 }{{x1, f1}, {x2, f2}} {
		if c.y < bestF {
			bestU, bestF = c.u, c.y
		}
	}
	return to(bestU), bestF, nil
}
