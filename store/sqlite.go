package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// SQLite is a Store in one SQLite file. Reads run in parallel (WAL mode);
// writes go one at a time through wmu, and each waits up to busy_timeout
// for another process's, so load never ends in SQLITE_BUSY.
type SQLite struct {
	db  *sql.DB
	wmu sync.Mutex // one writer at a time
}

var (
	_ Store    = (*SQLite)(nil)
	_ RunPager = (*SQLite)(nil)
)

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

	// 2: ids are never reused after a delete (AUTOINCREMENT); results move
	// to their own table, so listing runs never reads a result; runs gain
	// headline figures; Monte Carlo jobs are kept.
	2: `ALTER TABLE scenarios RENAME TO scenarios_v1;
	CREATE TABLE scenarios (
		id      INTEGER PRIMARY KEY AUTOINCREMENT,
		name    TEXT NOT NULL,
		source  TEXT NOT NULL,
		created TEXT NOT NULL
	);
	INSERT INTO scenarios (id, name, source, created) SELECT id, name, source, created FROM scenarios_v1;
	DROP TABLE scenarios_v1;

	DROP INDEX runs_created;
	ALTER TABLE runs RENAME TO runs_v1;
	CREATE TABLE runs (
		id          INTEGER PRIMARY KEY AUTOINCREMENT,
		name        TEXT NOT NULL,
		scenario_id INTEGER NOT NULL DEFAULT 0,
		scenario    TEXT NOT NULL,
		overrides   TEXT NOT NULL,
		gw_per_week TEXT NOT NULL,
		ten_gw      TEXT NOT NULL,
		final_mw    REAL NOT NULL,
		headline    TEXT NOT NULL DEFAULT '',
		created     TEXT NOT NULL,
		source      TEXT NOT NULL,
		inputs      TEXT NOT NULL
	);
	INSERT INTO runs (id, name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, created, source, inputs)
		SELECT id, name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, created, source, inputs FROM runs_v1;
	CREATE TABLE run_results (
		run_id   INTEGER PRIMARY KEY,
		encoding TEXT NOT NULL,
		result   BLOB NOT NULL
	);
	INSERT INTO run_results (run_id, encoding, result) SELECT id, '', result FROM runs_v1;
	DROP TABLE runs_v1;
	CREATE INDEX runs_created ON runs(created);

	CREATE TABLE mc_jobs (
		id          INTEGER PRIMARY KEY AUTOINCREMENT,
		name        TEXT NOT NULL,
		status      TEXT NOT NULL,
		runs        INTEGER NOT NULL,
		done        INTEGER NOT NULL,
		seed        INTEGER NOT NULL,
		scenario    TEXT NOT NULL,
		scenario_id INTEGER NOT NULL,
		overrides   TEXT NOT NULL,
		error       TEXT NOT NULL,
		started     TEXT NOT NULL,
		finished    TEXT NOT NULL,
		result      TEXT NOT NULL
	);`,
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*SQLite, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	// busy_timeout comes first: the pragmas run in order on every new
	// connection, and journal_mode must already wait rather than fail
	// with SQLITE_BUSY while another connection writes.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Keep connections open: under load database/sql's default of two idle
	// connections closes and reopens one per request.
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	s := &SQLite{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if err := s.interruptJobs(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return s, nil
}

// interruptJobs marks the jobs left running by a server that stopped
// (or crashed) as interrupted: no process runs them any more.
func (s *SQLite) interruptJobs(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE mc_jobs SET status = ?, error = ?, finished = ? WHERE status = ?`,
			JobInterrupted, "the server stopped while the job ran; start it again", now(), JobRunning)
		return err
	})
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
	s.wmu.Lock()
	defer s.wmu.Unlock()
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
	return queryAll(ctx, s.db, func(row rowScanner) (*Scenario, error) {
		var sc Scenario
		var created string
		if err := row.Scan(&sc.ID, &sc.Name, &created); err != nil {
			return nil, err
		}
		sc.Created = parseTime(created)
		return &sc, nil
	}, `SELECT id, name, created FROM scenarios ORDER BY id DESC`)
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
	result, err := compress(r.Result)
	if err != nil {
		return err
	}
	created := now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, headline, created, source, inputs)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Name, r.ScenarioID, r.Scenario, string(ov), r.GWPerWeek, r.TenGW, r.FinalMW, string(r.Headline), created, r.Source, string(in))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_results (run_id, encoding, result) VALUES (?, ?, ?)`, id, encodingGzip, result); err != nil {
			return err
		}
		r.ID, r.Created = id, parseTime(created)
		return nil
	})
}

// encodingGzip marks a result stored gzip-compressed; "" is as written
// (results stored before migration 2).
const encodingGzip = "gzip"

// compress gzips a result: export's JSON shrinks about tenfold.
func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decompress(encoding string, b []byte) ([]byte, error) {
	switch encoding {
	case "":
		return b, nil
	case encodingGzip:
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(zr)
	default:
		return nil, fmt.Errorf("unknown result encoding %q", encoding)
	}
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// runColumns are those a listing reads: all stored before the run's
// source and inputs, and none in run_results.
const runColumns = `id, name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, headline, created`

func scanRun(sc rowScanner, extra ...any) (*Run, error) {
	var r Run
	var ov, headline, created string
	dest := append([]any{&r.ID, &r.Name, &r.ScenarioID, &r.Scenario, &ov, &r.GWPerWeek, &r.TenGW, &r.FinalMW, &headline, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if headline != "" {
		r.Headline = json.RawMessage(headline)
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
	var encoding sql.NullString
	var result []byte
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+`, source, inputs, res.encoding, res.result
		FROM runs LEFT JOIN run_results res ON res.run_id = runs.id WHERE id = ?`, id), &source, &inputs, &encoding, &result)
	return fillRun(r, err, id, source, inputs, encoding, result)
}

// Runs lists up to limit runs, newest first, without their source, inputs
// or result.
func (s *SQLite) Runs(ctx context.Context, limit int) ([]Run, error) {
	return s.RunsBefore(ctx, 0, limit)
}

// RunsBefore lists up to limit runs with ids below before (the newest when
// before <= 0), newest first, without their source, inputs or result. It
// reads the primary key's index from before down, so a page costs the same
// however many runs are stored.
func (s *SQLite) RunsBefore(ctx context.Context, before int64, limit int) ([]Run, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	return queryAll(ctx, s.db, func(sc rowScanner) (*Run, error) { return scanRun(sc) },
		`SELECT `+runColumns+` FROM runs WHERE id < ? ORDER BY id DESC LIMIT ?`, before, limit)
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

// DeleteRun deletes a run and its result.
func (s *SQLite) DeleteRun(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM run_results WHERE run_id = ?`, id)
		return err
	})
}

// JournalMode reports SQLite's journal mode ("wal" when opened by Open).
func (s *SQLite) JournalMode(ctx context.Context) (string, error) {
	var m string
	err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&m)
	return m, err
}
