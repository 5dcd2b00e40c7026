package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned when a scenario or run with the given id does not
// exist.
var ErrNotFound = errors.New("not found")

// Scenario is a stored scenario: its YAML source as uploaded.
type Scenario struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Source  string    `json:"source,omitempty"`
	Created time.Time `json:"created"`
}

// Run is a stored run: what it was run from (the scenario source and the
// key numbers overridden), the effective inputs, its headline milestones and
// the full result as export's JSON.
type Run struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ScenarioID int64  `json:"scenario_id,omitempty"` // 0: the built-in reference
	// Scenario is the name of the effective scenario.
	Scenario string `json:"scenario"`
	// Source is the YAML the run started from (before Overrides).
	Source string `json:"-"`
	// Overrides are the key numbers changed for this run, by field path.
	Overrides map[string]string `json:"overrides,omitempty"`
	// Inputs are every effective value of the scenario, by field path, as
	// written (for comparing runs).
	Inputs map[string]string `json:"-"`
	// GWPerWeek is the date the factory first sustains 1 GW/week, "" if never.
	GWPerWeek string `json:"gw_per_week_date"`
	// TenGW is the date 10 GW are online, "" if never.
	TenGW   string  `json:"ten_gw_online_date"`
	FinalMW float64 `json:"final_mw"`
	// Headline is a small JSON object of the run's headline figures, listed
	// with the run (the server decides its shape; the store keeps it as is).
	Headline json.RawMessage `json:"headline,omitempty"`
	// Result is export's JSON of the run. It is stored compressed and read
	// only by Run, never by Runs.
	Result  []byte    `json:"-"`
	Created time.Time `json:"created"`
}

// Job statuses. A job found running when the database is opened was
// interrupted by a stop or crash of the server that ran it.
const (
	JobRunning     = "running"
	JobDone        = "done"
	JobCancelled   = "cancelled"
	JobFailed      = "failed"
	JobInterrupted = "interrupted"
)

// Job is a stored Monte Carlo study: what it was asked for, how far it got
// and its summary.
type Job struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Runs     int    `json:"runs"`
	Done     int    `json:"done"`
	Seed     int64  `json:"seed"`
	Scenario string `json:"scenario"`
	// ScenarioID and Overrides are what the study ran, as for a Run.
	ScenarioID int64             `json:"scenario_id,omitempty"`
	Overrides  map[string]string `json:"overrides,omitempty"`
	Error      string            `json:"error,omitempty"`
	// Result is the study's summary as JSON (the server decides its
	// shape); Jobs lists jobs without it.
	Result   json.RawMessage `json:"result,omitempty"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished,omitzero"`
}

// Store is what the server needs of a database. Every implementation passes
// storetest.Run. Ids are never reused, even after a delete, so an old link
// never shows another scenario, run or job.
type Store interface {
	CreateScenario(ctx context.Context, s *Scenario) error
	Scenario(ctx context.Context, id int64) (*Scenario, error)
	Scenarios(ctx context.Context) ([]Scenario, error) // newest first, without Source
	DeleteScenario(ctx context.Context, id int64) error

	CreateRun(ctx context.Context, r *Run) error
	Run(ctx context.Context, id int64) (*Run, error)    // everything
	Runs(ctx context.Context, limit int) ([]Run, error) // newest first, without Source, Inputs, Result
	RenameRun(ctx context.Context, id int64, name string) error
	DeleteRun(ctx context.Context, id int64) error

	CreateJob(ctx context.Context, j *Job) error // sets ID
	UpdateJob(ctx context.Context, j *Job) error // status, done, error, result, finished
	Job(ctx context.Context, id int64) (*Job, error)
	Jobs(ctx context.Context, limit int) ([]Job, error) // newest first, without Result
	DeleteJob(ctx context.Context, id int64) error

	RunPager
	Close() error
}

// RunPager lists runs a page at a time, newest first: the page after a
// listing is RunsBefore(ctx, the last id listed, limit). Every Store is
// one.
type RunPager interface {
	// RunsBefore lists up to limit runs whose id is below before (the
	// newest when before <= 0), newest first, without Source, Inputs or
	// Result.
	RunsBefore(ctx context.Context, before int64, limit int) ([]Run, error)
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// queryAll runs query on db and scans every row with scan, in order (an
// empty slice, not nil, when there are none).
func queryAll[T any](ctx context.Context, db *sql.DB, scan func(rowScanner) (*T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// fillRun completes run id r, read with its source, inputs and compressed
// result, as both stores store them: the reading of Run in either store
// (err from scanning it; no row is ErrNotFound).
func fillRun(r *Run, err error, id int64, source, inputs string, encoding sql.NullString, result []byte) (*Run, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	r.Source = source
	if r.Result, err = decompress(encoding.String, result); err != nil {
		return nil, fmt.Errorf("run %d: result: %w", id, err)
	}
	if err := json.Unmarshal([]byte(inputs), &r.Inputs); err != nil {
		return nil, fmt.Errorf("run %d: inputs: %w", id, err)
	}
	return r, nil
}
