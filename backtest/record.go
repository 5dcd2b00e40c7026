package backtest

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// The record of the reference's own campuses: the dates announced for the
// campuses it starts with, and how long recorded builds took.
//
//go:embed record/*.csv
var recordFS embed.FS

// CampusColumns, BuildColumns and OperatorColumns are the headers of
// record/campuses.csv, record/builds.csv and record/operator.csv.
var (
	OperatorColumns = []string{"quantity", "date", "value", "low", "high", "unit", "source", "confidence", "note"}
	CampusColumns   = []string{"campus", "event", "date", "low", "high", "source", "confidence", "note"}
	BuildColumns    = []string{"build", "to", "construction_start", "end", "weeks", "source", "confidence", "note"}
)

// CampusEvent is a dated event of a campus under way in the reference's
// starting state, as the record shows it: a completion announced, with the
// window the announcement allows.
type CampusEvent struct {
	Campus     string // the name under initial.projects
	Event      string // "online": the phase's capacity serving
	Date       time.Time
	Low, High  time.Time
	Source     string
	Confidence string
	Note       string
}

// BuildTime is a recorded build: weeks from construction start to first
// energisation or to online.
type BuildTime struct {
	Build             string
	To                string // "energised" or "online"
	ConstructionStart time.Time
	End               time.Time
	Weeks             int
	Source            string
	Confidence        string
	Note              string
}

// ParseCampusEvents reads a campuses file; every problem comes back
// together, each as file:line: column: what is wrong.
func ParseCampusEvents(file string, src []byte) ([]CampusEvent, error) {
	var out []CampusEvent
	err := readTable(file, src, CampusColumns, func(f *fields) {
		e := CampusEvent{Campus: f.text("campus"), Event: f.text("event"), Date: f.date("date"), Low: f.date("low"), High: f.date("high"),
			Source: f.text("source"), Confidence: f.confidence("confidence"), Note: f.get("note")}
		if e.Event != "" && e.Event != "online" {
			f.fail("event", "unknown event (got %q, want online)", e.Event)
		}
		if e.Low.After(e.Date) || e.Date.After(e.High) {
			f.fail("date", "outside its window (got %s, want between low %s and high %s)", day(e.Date), day(e.Low), day(e.High))
		}
		out = append(out, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// What a recorded build is timed to.
const (
	BuildEnergised = "energised" // construction done, power on: the model's construction stage ends
	BuildOnline    = "online"    // serving: the model's project comes online
)

// ParseBuildTimes reads a builds file, checking that weeks agrees with the
// two dates (to within a week).
func ParseBuildTimes(file string, src []byte) ([]BuildTime, error) {
	var out []BuildTime
	err := readTable(file, src, BuildColumns, func(f *fields) {
		b := BuildTime{Build: f.text("build"), To: f.text("to"), ConstructionStart: f.date("construction_start"), End: f.date("end"), Weeks: f.weeks("weeks"),
			Source: f.text("source"), Confidence: f.confidence("confidence"), Note: f.get("note")}
		if b.To != "" && b.To != BuildEnergised && b.To != BuildOnline {
			f.fail("to", "unknown end (got %q, want %s or %s)", b.To, BuildEnergised, BuildOnline)
		}
		if !b.End.After(b.ConstructionStart) {
			f.fail("end", "not after the construction start (got %s, want after %s)", day(b.End), day(b.ConstructionStart))
		} else if d := b.End.Sub(b.ConstructionStart).Hours() / 24 / 7; b.Weeks > 0 && (d < float64(b.Weeks)-1 || d > float64(b.Weeks)+1) {
			f.fail("weeks", "disagrees with the dates (got %d, want %.0f)", b.Weeks, d)
		}
		out = append(out, b)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OperatorFigure is a figure the operator published about itself at a
// date: capacity secured (online and under way) or online.
type OperatorFigure struct {
	Quantity   string // SecuredMW or OnlineMW
	Date       time.Time
	Value      float64
	Low, High  float64 // the range the wording allows, NaN when open
	Unit       string
	Source     string
	Confidence string
	Note       string
}

// Quantities an operator figure may give.
const (
	SecuredMW = "secured_mw" // IT MW online or under way (the model's started MW)
	OnlineMW  = "online_mw"  // IT MW online
)

// ParseOperatorFigures reads an operator file.
func ParseOperatorFigures(file string, src []byte) ([]OperatorFigure, error) {
	var out []OperatorFigure
	err := readTable(file, src, OperatorColumns, func(f *fields) {
		o := OperatorFigure{Quantity: f.text("quantity"), Date: f.date("date"), Value: f.number("value"), Low: f.optNumber("low"), High: f.optNumber("high"),
			Unit: f.text("unit"), Source: f.text("source"), Confidence: f.confidence("confidence"), Note: f.get("note")}
		if o.Quantity != "" && o.Quantity != SecuredMW && o.Quantity != OnlineMW {
			f.fail("quantity", "unknown quantity (got %q, want %s or %s)", o.Quantity, SecuredMW, OnlineMW)
		}
		if o.Unit != "" && o.Unit != "MW" {
			f.fail("unit", "wrong unit (got %q, want MW)", o.Unit)
		}
		if o.Low > o.Value || o.High < o.Value {
			f.fail("value", "outside its range (got %g, want between low and high)", o.Value)
		}
		out = append(out, o)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fields is one row of a record table, collecting what is wrong with it.
type fields struct {
	file string
	line int
	cols []string
	row  []string
	errs []error
}

func (f *fields) fail(col, format string, args ...any) {
	f.errs = append(f.errs, &ParseError{File: f.file, Line: f.line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

func (f *fields) get(col string) string { return strings.TrimSpace(f.row[slices.Index(f.cols, col)]) }

func (f *fields) text(col string) string {
	v := f.get(col)
	if v == "" {
		f.fail(col, "missing (want a value)")
	}
	return v
}

func (f *fields) date(col string) time.Time {
	v := f.text(col)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.fail(col, "not a date (got %q, want YYYY-MM-DD)", v)
	}
	return t
}

func (f *fields) weeks(col string) int {
	v := f.text(col)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 1000 {
		f.fail(col, "not a number of weeks (got %q, want a whole number from 1 to 1000)", v)
		return 0
	}
	return n
}

func (f *fields) number(col string) float64 {
	v := f.text(col)
	if v == "" {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		f.fail(col, "not a number (got %q, want a plain non-negative number)", v)
		return math.NaN()
	}
	return x
}

// optNumber is number for a column that may be blank (NaN then).
func (f *fields) optNumber(col string) float64 {
	if f.get(col) == "" {
		return math.NaN()
	}
	return f.number(col)
}

func (f *fields) confidence(col string) string {
	v := f.text(col)
	if v != "" && !slices.Contains(scenario.Confidences, v) {
		f.fail(col, "unknown confidence (got %q, want one of: %s)", v, strings.Join(scenario.Confidences, ", "))
	}
	return v
}

// readTable reads a CSV file with the header cols and calls row for each
// row with every field present (row adds what is wrong with it to the
// fields' errs); it returns every problem found, joined. ParseCSV and the
// record files share it.
func readTable(file string, src []byte, cols []string, row func(*fields)) error {
	if len(src) > maxDataFile {
		return &ParseError{File: file, Line: 1, Msg: fmt.Sprintf("file too large (got %d bytes, want at most %d)", len(src), maxDataFile)}
	}
	r := csv.NewReader(bytes.NewReader(src))
	r.FieldsPerRecord = -1
	var errs []error
	header := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, err = pe.Line, pe.Err
			}
			errs = append(errs, &ParseError{File: file, Line: line, Msg: "bad CSV: " + err.Error()})
			break
		}
		line, _ := r.FieldPos(0)
		if header {
			header = false
			if !slices.Equal(rec, cols) {
				errs = append(errs, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("bad header (got %q, want %q)", strings.Join(rec, ","), strings.Join(cols, ","))})
				break
			}
			continue
		}
		if len(rec) != len(cols) {
			errs = append(errs, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("wrong number of fields (got %d, want %d: %s)", len(rec), len(cols), strings.Join(cols, ","))})
			continue
		}
		f := &fields{file: file, line: line, cols: cols, row: rec}
		row(f)
		errs = append(errs, f.errs...)
	}
	if header && len(errs) == 0 {
		errs = append(errs, &ParseError{File: file, Line: 1, Msg: "empty file (want a header line: " + strings.Join(cols, ",") + ")"})
	}
	return errors.Join(errs...)
}

// RecordCheck is the reference run against the record of its own campuses:
// when each campus under way at the start comes online against the date
// announced for it, and how long the model's builds take from construction
// start to online against recorded builds.
type RecordCheck struct {
	Scenario string      `json:"scenario"`
	Campuses []CampusRow `json:"campuses"`
	Builds   []BuildRow  `json:"builds"`
	// Operator compares the reference with what the operator published
	// about itself after the start (record/operator.csv).
	Operator []OperatorRow `json:"operator"`
	// Levels compares the reference with the recorded prices and costs
	// (series aggregated as a mean, which do not depend on the factory's
	// size) inside its horizon, through the backtest's own series
	// mappings: the same revenue and cost model in both.
	Levels []Row `json:"levels"`
	// ModelBuildWeeks and ModelEnergiseWeeks are P10, P50 and P90 of the
	// weeks from construction start to online and to the end of
	// construction, over the projects the run started and finished;
	// UnimpededWeeks is construction start to online with every input on
	// time, at the stages' median durations.
	ModelBuildWeeks    [3]int `json:"model_build_weeks_p10_p50_p90"`
	ModelEnergiseWeeks [3]int `json:"model_energise_weeks_p10_p50_p90"`
	UnimpededWeeks     int    `json:"unimpeded_build_weeks"`
	// WithinWindow counts the campuses online inside their announced
	// window; MeanErrorWeeks is the mean of simulated − announced.
	WithinWindow   int     `json:"within_window"`
	MeanErrorWeeks float64 `json:"mean_error_weeks"`
}

// CampusRow is one campus event, announced and simulated.
type CampusRow struct {
	Campus     string `json:"campus"`
	Event      string `json:"event"`
	Announced  string `json:"announced"`
	Low        string `json:"low"`
	High       string `json:"high"`
	Simulated  string `json:"simulated"` // "" when not within the horizon
	ErrorWeeks int    `json:"error_weeks"`
	InWindow   bool   `json:"in_window"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// OperatorRow is one figure the operator published, beside the reference's
// figure for the same week.
type OperatorRow struct {
	Quantity   string  `json:"quantity"`
	Date       string  `json:"date"`
	Recorded   Number  `json:"recorded_mw"`
	Low        *Number `json:"low_mw,omitempty"`
	High       *Number `json:"high_mw,omitempty"`
	Simulated  Number  `json:"simulated_mw"`
	PctError   Number  `json:"pct_error"`
	InRange    *bool   `json:"in_range,omitempty"`
	Source     string  `json:"source"`
	Confidence string  `json:"confidence"`
	Note       string  `json:"note"`
}

// BuildRow is one recorded build time beside the model's median.
type BuildRow struct {
	Build          string `json:"build"`
	To             string `json:"to"`
	RecordedWeeks  int    `json:"recorded_weeks"`
	SimulatedWeeks int    `json:"simulated_weeks"`
	ErrorWeeks     int    `json:"error_weeks"`
	Note           string `json:"note"`
	Source         string `json:"source"`
	Confidence     string `json:"confidence"`
}

// ConstructionStage names the stage whose start the record calls
// construction start.
const ConstructionStage = "construction"

// CheckRecord runs sc (the reference) with the built-in controller and
// compares it with the embedded record of its campuses.
func CheckRecord(sc *scenario.Scenario) (*RecordCheck, error) {
	events, builds, ops, err := recordData()
	if err != nil {
		return nil, err
	}
	recs, err := Records()
	if err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	res := sim.Run(m, sim.NewController())
	if len(res.Invariants) > 0 {
		return nil, fmt.Errorf("record check: the run broke a conservation law (a bug in gwf): %s", res.Invariants[0])
	}
	rc, err := compareRecord(sc.Name, m, res, events, builds, recs)
	if err != nil {
		return nil, err
	}
	rc.Operator = compareOperator(m, res, ops)
	return rc, nil
}

// compareOperator sets each operator figure beside the run's figure for
// the week of its date: MW started (online or under way) for secured
// capacity, MW online for online capacity.
func compareOperator(m *sim.Model, res *sim.Result, ops []OperatorFigure) []OperatorRow {
	var out []OperatorRow
	for _, o := range ops {
		w := m.WeekOf(o.Date)
		if w < 0 || w >= len(res.Weeks) {
			continue
		}
		got := res.Weeks[w].StartedMW
		if o.Quantity == OnlineMW {
			got = res.Weeks[w].OnlineMW
		}
		row := OperatorRow{Quantity: o.Quantity, Date: day(o.Date), Recorded: Number(o.Value), Simulated: Number(got),
			PctError: Number(100 * (got - o.Value) / o.Value), Source: o.Source, Confidence: o.Confidence, Note: o.Note}
		if !math.IsNaN(o.Low) || !math.IsNaN(o.High) {
			in := (math.IsNaN(o.Low) || got >= o.Low) && (math.IsNaN(o.High) || got <= o.High)
			row.InRange = &in
			if !math.IsNaN(o.Low) {
				row.Low = ptr(o.Low)
			}
			if !math.IsNaN(o.High) {
				row.High = ptr(o.High)
			}
		}
		out = append(out, row)
	}
	return out
}

func recordData() ([]CampusEvent, []BuildTime, []OperatorFigure, error) {
	read := func(name string) ([]byte, error) {
		src, err := recordFS.ReadFile("record/" + name)
		if err != nil {
			return nil, fmt.Errorf("backtest record missing from the binary: %w", err)
		}
		return src, nil
	}
	src, err := read("campuses.csv")
	if err != nil {
		return nil, nil, nil, err
	}
	events, err := ParseCampusEvents("backtest/record/campuses.csv", src)
	if err != nil {
		return nil, nil, nil, err
	}
	if src, err = read("builds.csv"); err != nil {
		return nil, nil, nil, err
	}
	builds, err := ParseBuildTimes("backtest/record/builds.csv", src)
	if err != nil {
		return nil, nil, nil, err
	}
	if src, err = read("operator.csv"); err != nil {
		return nil, nil, nil, err
	}
	ops, err := ParseOperatorFigures("backtest/record/operator.csv", src)
	return events, builds, ops, err
}

func compareRecord(name string, m *sim.Model, res *sim.Result, events []CampusEvent, builds []BuildTime, recs []Record) (*RecordCheck, error) {
	rc := &RecordCheck{Scenario: name}
	o := newOutcome(m, res, 0)
	end := m.Date(m.Weeks)
	for _, def := range Catalogue {
		if def.Aggregation != Mean {
			continue
		}
		for _, rec := range recs {
			if rec.Series != def.Name || rec.From.Before(m.Start.AddDate(0, 0, -StartSlackDays)) || !rec.To.Before(end) {
				continue
			}
			v, err := simulate(o, def, rec.From, rec.To)
			if err != nil {
				return nil, fmt.Errorf("record: %s %s: %w", rec.Series, rec.Period, err)
			}
			rc.Levels = append(rc.Levels, newRow(rec, v))
		}
	}
	byName := map[string]sim.ProjectLog{}
	var buildWeeks, energiseWeeks []int
	cs := m.StageIndex(ConstructionStage)
	for _, p := range res.Projects {
		if p.Name != "" {
			byName[p.Name] = p
		}
		if !p.Initial && p.OnlineWeek >= 0 && cs >= 0 {
			st := p.Stages[cs]
			buildWeeks = append(buildWeeks, p.OnlineWeek-st.StartWeek)
			energiseWeeks = append(energiseWeeks, st.EndWeek-st.StartWeek)
		}
	}
	sum := 0
	for _, e := range events {
		p, ok := byName[e.Campus]
		if !ok {
			return nil, fmt.Errorf("record: campus %q is not under initial.projects of scenario %q", e.Campus, name)
		}
		row := CampusRow{Campus: e.Campus, Event: e.Event, Announced: day(e.Date), Low: day(e.Low), High: day(e.High), Source: e.Source, Confidence: e.Confidence}
		if p.OnlineWeek >= 0 {
			d := m.Date(p.OnlineWeek)
			row.Simulated = day(d)
			row.ErrorWeeks = int(d.Sub(e.Date).Hours() / 24 / 7)
			row.InWindow = !d.Before(e.Low) && !d.After(e.High)
		} else {
			row.ErrorWeeks = int(m.Date(m.Weeks).Sub(e.Date).Hours() / 24 / 7)
		}
		if row.InWindow {
			rc.WithinWindow++
		}
		sum += row.ErrorWeeks
		rc.Campuses = append(rc.Campuses, row)
	}
	if len(events) > 0 {
		rc.MeanErrorWeeks = float64(sum) / float64(len(events))
	}
	if cs >= 0 {
		rc.UnimpededWeeks = pathFrom(m, cs)
	}
	rc.ModelBuildWeeks = deciles(buildWeeks)
	rc.ModelEnergiseWeeks = deciles(energiseWeeks)
	for _, b := range builds {
		row := BuildRow{Build: b.Build, To: b.To, RecordedWeeks: b.Weeks, SimulatedWeeks: rc.ModelBuildWeeks[1], Note: b.Note, Source: b.Source, Confidence: b.Confidence}
		if b.To == BuildEnergised {
			row.SimulatedWeeks = rc.ModelEnergiseWeeks[1]
		}
		row.ErrorWeeks = row.SimulatedWeeks - row.RecordedWeeks
		rc.Builds = append(rc.Builds, row)
	}
	return rc, nil
}

// pathFrom is the weeks from the start of stage first to the end of the
// last stage that follows it, at the stages' durations: the build with
// every input on time.
func pathFrom(m *sim.Model, first int) int {
	end := make([]int, len(m.Stages))
	for i := range end {
		end[i] = -1
	}
	end[first] = m.Stages[first].Weeks
	longest := end[first]
	for i, st := range m.Stages {
		start := -1
		for _, a := range st.After {
			if end[a] >= 0 {
				start = max(start, end[a])
			}
		}
		if start >= 0 && i != first {
			end[i] = start + st.Weeks
			longest = max(longest, end[i])
		}
	}
	return longest
}

// deciles is P10, P50 and P90 of xs (nearest rank), zero when empty. It
// sorts xs.
func deciles(xs []int) [3]int {
	if len(xs) == 0 {
		return [3]int{}
	}
	sort.Ints(xs)
	at := func(q float64) int { return xs[int(q*float64(len(xs)-1)+0.5)] }
	return [3]int{at(0.1), at(0.5), at(0.9)}
}
