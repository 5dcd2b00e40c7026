package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CreateJob stores j (running, as a rule) and sets its ID.
func (s *SQLite) CreateJob(ctx context.Context, j *Job) error {
	ov, err := json.Marshal(orEmpty(j.Overrides))
	if err != nil {
		return err
	}
	if j.Started.IsZero() {
		j.Started = parseTime(now())
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO mc_jobs (name, status, runs, done, seed, scenario, scenario_id, overrides, error, started, finished, result)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			j.Name, j.Status, j.Runs, j.Done, j.Seed, j.Scenario, j.ScenarioID, string(ov), j.Error, formatTime(j.Started), formatTime(j.Finished), string(j.Result))
		if err != nil {
			return err
		}
		j.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateJob stores j's status, progress, error, result and finish time.
func (s *SQLite) UpdateJob(ctx context.Context, j *Job) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE mc_jobs SET status = ?, done = ?, error = ?, result = ?, finished = ? WHERE id = ?`,
			j.Status, j.Done, j.Error, string(j.Result), formatTime(j.Finished), j.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("the Monte Carlo job %d: %w", j.ID, ErrNotFound)
		}
		return nil
	})
}

const jobColumns = `id, name, status, runs, done, seed, scenario, scenario_id, overrides, error, started, finished`

func scanJob(sc rowScanner, extra ...any) (*Job, error) {
	var j Job
	var ov, started, finished string
	dest := append([]any{&j.ID, &j.Name, &j.Status, &j.Runs, &j.Done, &j.Seed, &j.Scenario, &j.ScenarioID, &ov, &j.Error, &started, &finished}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := j.setOverrides(ov); err != nil {
		return nil, err
	}
	j.Started, j.Finished = parseTime(started), parseTime(finished)
	return &j, nil
}

// setOverrides decodes a job's overrides as stored (JSON; none is nil).
func (j *Job) setOverrides(ov string) error {
	if err := json.Unmarshal([]byte(ov), &j.Overrides); err != nil {
		return fmt.Errorf("the Monte Carlo job %d: overrides: %w", j.ID, err)
	}
	if len(j.Overrides) == 0 {
		j.Overrides = nil
	}
	return nil
}

// withResult completes a job read by id with its stored result: the
// reading of Job in either store (err from scanning it; no row is
// ErrNotFound).
func withResult(j *Job, err error, id int64, result string) (*Job, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("the Monte Carlo job %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if result != "" {
		j.Result = json.RawMessage(result)
	}
	return j, nil
}

// Job returns the job with the given id, with its result, or ErrNotFound.
func (s *SQLite) Job(ctx context.Context, id int64) (*Job, error) {
	var result string
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+`, result FROM mc_jobs WHERE id = ?`, id), &result)
	return withResult(j, err, id, result)
}

// Jobs lists up to limit jobs, newest first, without their results.
func (s *SQLite) Jobs(ctx context.Context, limit int) ([]Job, error) {
	return queryAll(ctx, s.db, func(sc rowScanner) (*Job, error) { return scanJob(sc) },
		`SELECT `+jobColumns+` FROM mc_jobs ORDER BY id DESC LIMIT ?`, limit)
}

// DeleteJob deletes a job.
func (s *SQLite) DeleteJob(ctx context.Context, id int64) error {
	return s.deleteRow(ctx, "mc_jobs", "Monte Carlo job", id)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
