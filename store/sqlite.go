package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// SQLite is a Store in one SQLite file.
type SQLite struct {
	db *sql.DB
}

var _ Store = (*SQLite)(nil)

// migrations are the schema, one numbered step each; Open applies those not
// yet applied, in order, each in its own transaction. Append only: never
// edit a step that has shipped.
var migrations = []string{
	1: `CREATE TABLE scenarios (
		id      INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		source  TEXT NOT NULL,
		created TEXT NOT NULL
	);
	CREATE TABLE runs (
		id          INTEGER PRIMARY KEY,
		name        TEXT NOT NULL,
		scenario_id INTEGER NOT NULL DEFAULT 0,
		scenario    TEXT NOT NULL,
		source      TEXT NOT NULL,
		overrides   TEXT NOT NULL,
		inputs      TEXT NOT NULL,
		gw_per_week TEXT NOT NULL,
		ten_gw      TEXT NOT NULL,
		final_mw    REAL NOT NULL,
		result      BLOB NOT NULL,
		created     TEXT NOT NULL
	);
	CREATE INDEX runs_created ON runs(created);`,
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*SQLite, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &SQLite{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return s, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return err
	}
	for v := 1; v < len(migrations); v++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied) VALUES (?, ?)`, v, now())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the newest migration applied.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// Ping checks the database answers.
func (s *SQLite) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *SQLite) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// CreateScenario stores sc and sets its ID and Created.
func (s *SQLite) CreateScenario(ctx context.Context, sc *Scenario) error {
	created := now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO scenarios (name, source, created) VALUES (?, ?, ?)`, sc.Name, sc.Source, created)
		if err != nil {
			return err
		}
		sc.ID, err = res.LastInsertId()
		sc.Created = parseTime(created)
		return err
	})
}

// Scenario returns the scenario with the given id, or ErrNotFound.
func (s *SQLite) Scenario(ctx context.Context, id int64) (*Scenario, error) {
	var sc Scenario
	var created string
	err := s.db.QueryRowContext(ctx, `SELECT id, name, source, created FROM scenarios WHERE id = ?`, id).Scan(&sc.ID, &sc.Name, &sc.Source, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("scenario %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	sc.Created = parseTime(created)
	return &sc, nil
}

// Scenarios lists the stored scenarios, newest first, without their source.
func (s *SQLite) Scenarios(ctx context.Context) ([]Scenario, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created FROM scenarios ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Scenario{}
	for rows.Next() {
		var sc Scenario
		var created string
		if err := rows.Scan(&sc.ID, &sc.Name, &created); err != nil {
			return nil, err
		}
		sc.Created = parseTime(created)
		out = append(out, sc)
	}
	return out, rows.Err()
}

// DeleteScenario deletes a scenario; runs made from it keep their copy of
// its source.
func (s *SQLite) DeleteScenario(ctx context.Context, id int64) error {
	return s.deleteRow(ctx, "scenarios", "scenario", id)
}

func (s *SQLite) deleteRow(ctx context.Context, table, what string, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
		}
		return nil
	})
}

// CreateRun stores r and sets its ID and Created.
func (s *SQLite) CreateRun(ctx context.Context, r *Run) error {
	ov, err := json.Marshal(orEmpty(r.Overrides))
	if err != nil {
		return err
	}
	in, err := json.Marshal(orEmpty(r.Inputs))
	if err != nil {
		return err
	}
	created := now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (name, scenario_id, scenario, source, overrides, inputs, gw_per_week, ten_gw, final_mw, result, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Name, r.ScenarioID, r.Scenario, r.Source, string(ov), string(in), r.GWPerWeek, r.TenGW, r.FinalMW, nonNil(r.Result), created)
		if err != nil {
			return err
		}
		r.ID, err = res.LastInsertId()
		r.Created = parseTime(created)
		return err
	})
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

const runColumns = `id, name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, created`

func scanRun(sc interface{ Scan(...any) error }, extra ...any) (*Run, error) {
	var r Run
	var ov, created string
	dest := append([]any{&r.ID, &r.Name, &r.ScenarioID, &r.Scenario, &ov, &r.GWPerWeek, &r.TenGW, &r.FinalMW, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(ov), &r.Overrides); err != nil {
		return nil, fmt.Errorf("run %d: overrides: %w", r.ID, err)
	}
	if len(r.Overrides) == 0 {
		r.Overrides = nil
	}
	r.Created = parseTime(created)
	return &r, nil
}

// Run returns the run with the given id, in full, or ErrNotFound.
func (s *SQLite) Run(ctx context.Context, id int64) (*Run, error) {
	var source, inputs string
	var result []byte
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+`, source, inputs, result FROM runs WHERE id = ?`, id), &source, &inputs, &result)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	r.Source, r.Result = source, result
	if err := json.Unmarshal([]byte(inputs), &r.Inputs); err != nil {
		return nil, fmt.Errorf("run %d: inputs: %w", id, err)
	}
	return r, nil
}

// Runs lists up to limit runs, newest first, without their source, inputs
// or result.
func (s *SQLite) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runColumns+` FROM runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// RenameRun sets a run's name.
func (s *SQLite) RenameRun(ctx context.Context, id int64, name string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET name = ? WHERE id = ?`, name, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// DeleteRun deletes a run.
func (s *SQLite) DeleteRun(ctx context.Context, id int64) error {
	return s.deleteRow(ctx, "runs", "run", id)
}

// JournalMode reports SQLite's journal mode ("wal" when opened by Open).
func (s *SQLite) JournalMode(ctx context.Context) (string, error) {
	var m string
	err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&m)
	return m, err
}
