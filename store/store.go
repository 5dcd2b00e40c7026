package store

import (
	"context"
	"errors"
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
	// Result is export's JSON of the run.
	Result  []byte    `json:"-"`
	Created time.Time `json:"created"`
}

// Store is what the server needs of a database. Every implementation passes
// storetest.Run.
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
	Close() error
}
