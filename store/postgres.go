package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Postgres is a Store in a PostgreSQL database, which any number of gwf
// servers (replicas) may share. Correctness never rests on a lock inside
// one process: ids come from identity sequences, every write that touches
// two tables is one transaction, migrations are serialised by an advisory
// lock, and each replica holds a session advisory lock on its own id for as
// long as it is open, so others can tell its running jobs from those of a
// replica that stopped or crashed.
type Postgres struct {
	db *sql.DB
	// replica is this handle's id: the owner of the jobs it creates and
	// the key of the session advisory lock that lock holds.
	replica int64
	lockMu  sync.Mutex // guards lock, this handle's own field; not for correctness across replicas
	lock    *sql.Conn
}

var _ Store = (*Postgres)(nil)

// IsPostgresURL reports whether dsn names a PostgreSQL database
// (postgres:// or postgresql://) rather than an SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// ParsePostgresURL checks a postgres:// URL without connecting, as
// OpenPostgres would read it. Parameters pgx does not know itself, such as
// search_path, are sent to the server as settings.
func ParsePostgresURL(dsn string) error {
	if !IsPostgresURL(dsn) {
		return fmt.Errorf("%q is not a postgres:// or postgresql:// URL", dsn)
	}
	_, err := pgx.ParseConfig(dsn)
	return err
}

// pgMigrations are the PostgreSQL schema, numbered as SQLite's migrations
// so a schema version means the same tables in both. Append only.
var pgMigrations = []string{
	1: `CREATE TABLE scenarios (
		id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		name    text NOT NULL,
		source  text NOT NULL,
		created timestamptz NOT NULL DEFAULT now()
	);
	CREATE TABLE runs (
		id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		name        text NOT NULL,
		scenario_id bigint NOT NULL DEFAULT 0,
		scenario    text NOT NULL,
		source      text NOT NULL,
		overrides   text NOT NULL,
		inputs      text NOT NULL,
		gw_per_week text NOT NULL,
		ten_gw      text NOT NULL,
		final_mw    double precision NOT NULL,
		result      bytea NOT NULL,
		created     timestamptz NOT NULL DEFAULT now()
	);
	CREATE INDEX runs_created ON runs(created);`,

	// 2: as SQLite's: results in their own table, so listing runs never
	// reads one; headline figures; Monte Carlo jobs, each with the replica
	// that runs it (owner). Identity columns never reuse an id already.
	2: `CREATE TABLE run_results (
		run_id   bigint PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
		encoding text NOT NULL,
		result   bytea NOT NULL
	);
	INSERT INTO run_results (run_id, encoding, result) SELECT id, '', result FROM runs;
	ALTER TABLE runs DROP COLUMN result, ADD COLUMN headline text NOT NULL DEFAULT '';

	CREATE TABLE mc_jobs (
		id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		name        text NOT NULL,
		status      text NOT NULL,
		runs        integer NOT NULL,
		done        integer NOT NULL,
		seed        bigint NOT NULL,
		scenario    text NOT NULL,
		scenario_id bigint NOT NULL,
		overrides   text NOT NULL,
		error       text NOT NULL,
		started     timestamptz NOT NULL,
		finished    timestamptz,
		result      text NOT NULL,
		owner       bigint NOT NULL
	);
	CREATE INDEX mc_jobs_running ON mc_jobs(owner) WHERE status = 'running';`,
}

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres://
// URL; add search_path=SCHEMA to keep gwf's tables in a schema of their
// own), brings its schema up to date and marks the jobs of replicas no
// longer connected as interrupted.
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	if err := ParsePostgresURL(dsn); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	where := cfg.Host + "/" + cfg.Database
	db := stdlib.OpenDB(*cfg)
	// Enough connections for the 50 clients of the load test to queue
	// briefly rather than exhaust the server's max_connections (100 by
	// default) when several replicas share it.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	s := &Postgres{db: db}
	if err := s.open(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: postgres %s: %w", where, err)
	}
	return s, nil
}

func (s *Postgres) open(ctx context.Context) error {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	// Positive and never 0, so it is never taken for "no owner".
	s.replica = int64(binary.BigEndian.Uint64(b[:])>>1) | 1
	if err := s.holdLock(ctx); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	return s.interruptJobs(ctx)
}

// holdLock makes sure this replica holds the advisory lock on its id,
// taking it again on a new connection if the one that held it was lost (the
// database restarted, or the network dropped it). Until then other
// replicas may have marked this replica's jobs interrupted; the next
// UpdateJob of a job still running sets its status back.
func (s *Postgres) holdLock(ctx context.Context) error {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	if s.lock != nil {
		if err := s.lock.PingContext(ctx); err == nil {
			return nil
		}
		s.lock.Close()
		s.lock = nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("replica lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, s.replica); err != nil {
		conn.Close()
		return fmt.Errorf("replica lock: %w", err)
	}
	s.lock = conn
	return nil
}

func (s *Postgres) migrate(ctx context.Context) error {
	// One transaction, serialised across replicas starting at once by a
	// lock on this schema's name: PostgreSQL's DDL is transactional, so
	// a replica either sees every step applied or applies them itself.
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('gwf.migrate.' || coalesce(current_schema(), ''), 0))`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return err
		}
		for v := have + 1; v < len(pgMigrations); v++ {
			if _, err := tx.ExecContext(ctx, pgMigrations[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// interruptJobs marks as interrupted the running jobs of replicas that are
// gone. A replica holds the advisory lock on its id while it is connected,
// so a lock that can be taken belongs to one that stopped or crashed (its
// connection closed); taking it for the transaction also keeps two
// replicas from doing this at once for the same owner.
func (s *Postgres) interruptJobs(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT owner FROM mc_jobs WHERE status = $1 AND owner <> $2`, JobRunning, s.replica)
	if err != nil {
		return err
	}
	var owners []int64
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return err
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(owners) == 0 {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, o := range owners {
			var gone bool
			if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, o).Scan(&gone); err != nil {
				return err
			}
			if !gone {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE mc_jobs SET status = $1, error = $2, finished = now() WHERE status = $3 AND owner = $4`,
				JobInterrupted, "the server stopped while the job ran; start it again", JobRunning, o); err != nil {
				return err
			}
		}
		return nil
	})
}

// SchemaVersion is the newest migration applied.
func (s *Postgres) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Close releases this replica's lock (its running jobs then count as
// interrupted to the other replicas) and closes the connections.
func (s *Postgres) Close() error {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	if s.lock != nil {
		// Unlock before closing: the backend of a closed connection
		// ends (and drops its locks) a moment after the client has gone.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.lock.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, s.replica)
		cancel()
		s.lock.Close()
		s.lock = nil
	}
	return s.db.Close()
}

// Ping checks the database answers.
func (s *Postgres) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *Postgres) tx(ctx context.Context, f func(*sql.Tx) error) error {
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

// exec runs one statement and reports ErrNotFound, about what, when it
// changed no row.
func (s *Postgres) exec(ctx context.Context, what string, q string, args ...any) error {
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// CreateScenario stores sc and sets its ID and Created.
func (s *Postgres) CreateScenario(ctx context.Context, sc *Scenario) error {
	var created time.Time
	err := s.db.QueryRowContext(ctx, `INSERT INTO scenarios (name, source) VALUES ($1, $2) RETURNING id, created`,
		sc.Name, sc.Source).Scan(&sc.ID, &created)
	sc.Created = created.UTC()
	return err
}

// Scenario returns the scenario with the given id, or ErrNotFound.
func (s *Postgres) Scenario(ctx context.Context, id int64) (*Scenario, error) {
	var sc Scenario
	err := s.db.QueryRowContext(ctx, `SELECT id, name, source, created FROM scenarios WHERE id = $1`, id).Scan(&sc.ID, &sc.Name, &sc.Source, &sc.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("scenario %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	sc.Created = sc.Created.UTC()
	return &sc, nil
}

// Scenarios lists the stored scenarios, newest first, without their source.
func (s *Postgres) Scenarios(ctx context.Context) ([]Scenario, error) {
	return queryAll(ctx, s.db, func(row rowScanner) (*Scenario, error) {
		var sc Scenario
		if err := row.Scan(&sc.ID, &sc.Name, &sc.Created); err != nil {
			return nil, err
		}
		sc.Created = sc.Created.UTC()
		return &sc, nil
	}, `SELECT id, name, created FROM scenarios ORDER BY id DESC`)
}

// DeleteScenario deletes a scenario; runs made from it keep their copy of
// its source.
func (s *Postgres) DeleteScenario(ctx context.Context, id int64) error {
	return s.exec(ctx, fmt.Sprintf("scenario %d", id), `DELETE FROM scenarios WHERE id = $1`, id)
}

// CreateRun stores r and its compressed result in one transaction and sets
// its ID and Created.
func (s *Postgres) CreateRun(ctx context.Context, r *Run) error {
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
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var created time.Time
		err := tx.QueryRowContext(ctx, `INSERT INTO runs (name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, headline, source, inputs)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created`,
			r.Name, r.ScenarioID, r.Scenario, string(ov), r.GWPerWeek, r.TenGW, r.FinalMW, string(r.Headline), r.Source, string(in)).Scan(&id, &created)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_results (run_id, encoding, result) VALUES ($1, $2, $3)`, id, encodingGzip, result); err != nil {
			return err
		}
		r.ID, r.Created = id, created.UTC()
		return nil
	})
}

// pgRunColumns are those a listing reads: none in run_results.
const pgRunColumns = `id, name, scenario_id, scenario, overrides, gw_per_week, ten_gw, final_mw, headline, created`

func scanPgRun(sc rowScanner, extra ...any) (*Run, error) {
	var r Run
	var ov, headline string
	dest := append([]any{&r.ID, &r.Name, &r.ScenarioID, &r.Scenario, &ov, &r.GWPerWeek, &r.TenGW, &r.FinalMW, &headline, &r.Created}, extra...)
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
	r.Created = r.Created.UTC()
	return &r, nil
}

// Run returns the run with the given id, in full, or ErrNotFound.
func (s *Postgres) Run(ctx context.Context, id int64) (*Run, error) {
	var source, inputs string
	var encoding sql.NullString
	var result []byte
	r, err := scanPgRun(s.db.QueryRowContext(ctx, `SELECT `+pgRunColumns+`, source, inputs, res.encoding, res.result
		FROM runs LEFT JOIN run_results res ON res.run_id = runs.id WHERE id = $1`, id), &source, &inputs, &encoding, &result)
	return fillRun(r, err, id, source, inputs, encoding, result)
}

// Runs lists up to limit runs, newest first, without their source, inputs
// or result.
func (s *Postgres) Runs(ctx context.Context, limit int) ([]Run, error) {
	return s.RunsBefore(ctx, 0, limit)
}

// RunsBefore lists up to limit runs whose id is below before (the newest
// when before <= 0), newest first, without their source, inputs or
// result.
func (s *Postgres) RunsBefore(ctx context.Context, before int64, limit int) ([]Run, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	return queryAll(ctx, s.db, func(sc rowScanner) (*Run, error) { return scanPgRun(sc) },
		`SELECT `+pgRunColumns+` FROM runs WHERE id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
}

// RenameRun sets a run's name.
func (s *Postgres) RenameRun(ctx context.Context, id int64, name string) error {
	return s.exec(ctx, fmt.Sprintf("run %d", id), `UPDATE runs SET name = $1 WHERE id = $2`, name, id)
}

// DeleteRun deletes a run and (by the foreign key's cascade, in the same
// statement) its result.
func (s *Postgres) DeleteRun(ctx context.Context, id int64) error {
	return s.exec(ctx, fmt.Sprintf("run %d", id), `DELETE FROM runs WHERE id = $1`, id)
}

// Replica is this handle's id among the replicas sharing the database: the
// owner recorded on the jobs it creates.
func (s *Postgres) Replica() int64 { return s.replica }
