package backtest

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// Sample says whether a period was used to fit parameters.
const (
	InSample    = "in"
	OutOfSample = "out"
)

// Report is a backtest's outcome: every recorded row beside its simulated
// counterpart, and the scores.
type Report struct {
	Case     string `json:"case"`
	Scenario string `json:"scenario"`
	// From is the case's start date; Until the last day simulated.
	From  string `json:"from"`
	Until string `json:"until"`
	// WarmStartWeeks is how long the model ran before From to fill its
	// pipeline; nothing in that time is compared.
	WarmStartWeeks int `json:"warm_start_weeks"`
	// FitCutoff ends the in-sample window.
	FitCutoff string      `json:"fit_cutoff"`
	Fitted    []Fitted    `json:"fitted"`
	Rows      []Row       `json:"rows"`
	Series    []SeriesFit `json:"series"`
	// InSample and OutOfSample score every compared row of every series.
	InSample    Score `json:"in_sample"`
	OutOfSample Score `json:"out_of_sample"`
	// Skipped lists the recorded rows not compared, with the reason.
	Skipped []Skip `json:"skipped"`
	// ReferenceRecord is the reference scenario, from its starting state,
	// against the record of its own campuses and builds.
	ReferenceRecord *RecordCheck `json:"reference_record,omitempty"`

	scenario *scenario.Scenario
	result   *sim.Result
}

// Simulation returns the scenario (warm start included) and the run the
// report compared, for charts of it.
func (rep *Report) Simulation() (*scenario.Scenario, *sim.Result) { return rep.scenario, rep.result }

// Row is one recorded figure and the simulation's figure for its period.
type Row struct {
	Series    string  `json:"series"`
	Period    string  `json:"period"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Unit      string  `json:"unit"`
	Recorded  Number  `json:"recorded"`
	Low       *Number `json:"low,omitempty"`
	High      *Number `json:"high,omitempty"`
	Simulated Number  `json:"simulated"`
	// AbsError is simulated − recorded; PctError is that over recorded, in
	// percent.
	AbsError Number `json:"abs_error"`
	PctError Number `json:"pct_error"`
	// InRange reports whether the simulated figure lies within the
	// published range, when there is one.
	InRange    *bool  `json:"in_range,omitempty"`
	Sample     string `json:"sample"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
	Note       string `json:"note,omitempty"`
}

// Skip is a recorded row the backtest could not compare.
type Skip struct {
	Series string `json:"series"`
	Period string `json:"period"`
	Reason string `json:"reason"`
}

// SeriesFit is one series' definition and scores.
type SeriesFit struct {
	Series      string `json:"series"`
	Unit        string `json:"unit"`
	Mapping     string `json:"mapping"`
	InSample    Score  `json:"in_sample"`
	OutOfSample Score  `json:"out_of_sample"`
}

// Fitted is a calibrated parameter: its value in the case's scenario, the
// case it was fitted on and the in-sample periods it was fitted to.
type Fitted struct {
	Path    string   `json:"path"`
	Value   Number   `json:"value"`
	Text    string   `json:"text"`
	FitCase string   `json:"fit_case"`
	Series  []string `json:"series"`
	Periods []string `json:"periods"`
}

// StartSlackDays lets a period begin up to this many days before a case's
// start date and still be compared: runs start on a Monday, calendar years
// on the day they do, and the warm start has simulated those days anyway.
const StartSlackDays = 7

// Run simulates case c and compares it with the embedded records.
func Run(c Case) (*Report, error) {
	recs, err := Records()
	if err != nil {
		return nil, err
	}
	s, err := c.Scenario()
	if err != nil {
		return nil, err
	}
	rep, err := Compare(c.Name, s, recs)
	if err != nil {
		return nil, err
	}
	ref, err := scenario.Reference()
	if err != nil {
		return nil, err
	}
	if rep.ReferenceRecord, err = CheckRecord(ref); err != nil {
		return nil, err
	}
	return rep, nil
}

// Compare warm-starts scenario s (which it modifies), runs it with the
// built-in controller, and compares it with recs from s's start date on.
// name labels the report.
func Compare(name string, s *scenario.Scenario, recs []Record) (*Report, error) {
	from := s.StartDate.Time
	fitted := fittedOf(s, recs)
	warmStart(s, WarmStartWeeks)
	m, err := sim.Compile(s)
	if err != nil {
		return nil, err
	}
	res := sim.Run(m, sim.NewController())
	if len(res.Invariants) > 0 {
		return nil, fmt.Errorf("backtest %s: the run broke a conservation law (a bug in gwf): %s", name, res.Invariants[0])
	}
	o := newOutcome(m, res, WarmStartWeeks)
	end := m.Date(m.Weeks) // first day after the run
	rep := &Report{
		Case:           name,
		Scenario:       s.Name,
		From:           day(from),
		Until:          day(end.AddDate(0, 0, -1)),
		WarmStartWeeks: WarmStartWeeks,
		FitCutoff:      day(FitCutoff),
		Fitted:         fitted,
		scenario:       s,
		result:         res,
	}
	for _, def := range Catalogue {
		for _, rec := range recs {
			if rec.Series != def.Name {
				continue
			}
			switch {
			case rec.From.Before(from.AddDate(0, 0, -StartSlackDays)):
				rep.Skipped = append(rep.Skipped, Skip{rec.Series, rec.Period, fmt.Sprintf("begins before the run's start date %s", day(from))})
				continue
			case !rec.To.Before(end):
				rep.Skipped = append(rep.Skipped, Skip{rec.Series, rec.Period, fmt.Sprintf("ends after the run's last day %s", rep.Until)})
				continue
			}
			v, err := simulate(o, def, rec.From, rec.To)
			if err != nil {
				rep.Skipped = append(rep.Skipped, Skip{rec.Series, rec.Period, err.Error()})
				continue
			}
			rep.Rows = append(rep.Rows, newRow(rec, v))
		}
	}
	rep.score()
	return rep, nil
}

// simulate aggregates series def's weekly quantity over [from, to]: each
// week counts in proportion to the days it shares with the period.
func simulate(o *outcome, def Series, from, to time.Time) (float64, error) {
	last := to.AddDate(0, 0, 1) // exclusive
	sum, weight := 0.0, 0.0
	for w := max(0, o.m.WeekOf(from)); w < o.m.Weeks; w++ {
		start := o.m.Date(w)
		if !start.Before(last) {
			break
		}
		f := overlapDays(start, start.AddDate(0, 0, 7), from, last) / 7
		if f <= 0 {
			continue
		}
		v, err := def.weekly(o, w)
		if err != nil {
			return 0, err
		}
		sum += f * v
		weight += f
	}
	if weight == 0 {
		return 0, errors.New("no simulated week in the period")
	}
	if def.Aggregation == Mean {
		return sum / weight, nil
	}
	return sum, nil
}

// overlapDays is the number of days [a0, a1) and [b0, b1) share.
func overlapDays(a0, a1, b0, b1 time.Time) float64 {
	lo, hi := a0, a1
	if b0.After(lo) {
		lo = b0
	}
	if b1.Before(hi) {
		hi = b1
	}
	if !hi.After(lo) {
		return 0
	}
	return hi.Sub(lo).Hours() / 24
}

func newRow(rec Record, sim float64) Row {
	r := Row{
		Series:     rec.Series,
		Period:     rec.Period,
		From:       day(rec.From),
		To:         day(rec.To),
		Unit:       rec.Unit,
		Recorded:   Number(rec.Value),
		Simulated:  Number(sim),
		AbsError:   Number(sim - rec.Value),
		PctError:   Number(PercentError(sim, rec.Value)),
		Sample:     SampleOf(rec),
		Source:     rec.Source,
		Confidence: rec.Confidence,
		Note:       rec.Note,
	}
	if !math.IsNaN(rec.Low) || !math.IsNaN(rec.High) {
		lo, hi := rec.Value, rec.Value
		if !math.IsNaN(rec.Low) {
			lo = rec.Low
			r.Low = ptr(rec.Low)
		}
		if !math.IsNaN(rec.High) {
			hi = rec.High
			r.High = ptr(rec.High)
		}
		in := sim >= lo && sim <= hi
		r.InRange = &in
	}
	return r
}

// SampleOf says whether rec's period lies in the fitting window.
func SampleOf(rec Record) string {
	if rec.To.After(FitCutoff) {
		return OutOfSample
	}
	return InSample
}

func ptr(v float64) *Number {
	n := Number(v)
	return &n
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
