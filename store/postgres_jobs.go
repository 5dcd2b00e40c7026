package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// CreateJob stores j (running, as a rule) as a job of this replica and sets
// its ID, and its Started if zero.
func (s *Postgres) CreateJob(ctx context.Context, j *Job) error {
	ov, err := json.Marshal(orEmpty(j.Overrides))
	if err != nil {
		return err
	}
	if err := s.holdLock(ctx); err != nil {
		return err
	}
	var started time.Time
	err = s.db.QueryRowContext(ctx, `INSERT INTO mc_jobs (name, status, runs, done, seed, scenario, scenario_id, overrides, error, started, finished, result, owner)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, now()), $11, $12, $13) RETURNING id, started`,
		j.Name, j.Status, j.Runs, j.Done, j.Seed, j.Scenario, j.ScenarioID, string(ov), j.Error,
		nullTime(j.Started), nullTime(j.Finished), string(j.Result), s.replica).Scan(&j.ID, &started)
	if err != nil {
		return err
	}
	if j.Started.IsZero() {
		j.Started = started.UTC()
	}
	return nil
}

// UpdateJob stores j's status, progress, error, result and finish time.
// Updating a running job first makes sure this replica still holds its
// lock, so the others do not take the job for one whose server is gone.
func (s *Postgres) UpdateJob(ctx context.Context, j *Job) error {
	if j.Status == JobRunning {
		if err := s.holdLock(ctx); err != nil {
			return err
		}
	}
	return s.exec(ctx, fmt.Sprintf("the Monte Carlo job %d", j.ID),
		`UPDATE mc_jobs SET status = $1, done = $2, error = $3, result = $4, finished = $5 WHERE id = $6`,
		j.Status, j.Done, j.Error, string(j.Result), nullTime(j.Finished), j.ID)
}

func nullTime(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()}
}

func scanPgJob(sc rowScanner, extra ...any) (*Job, error) {
	var j Job
	var ov string
	var finished sql.NullTime
	dest := append([]any{&j.ID, &j.Name, &j.Status, &j.Runs, &j.Done, &j.Seed, &j.Scenario, &j.ScenarioID, &ov, &j.Error, &j.Started, &finished}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := j.setOverrides(ov); err != nil {
		return nil, err
	}
	j.Started = j.Started.UTC()
	if finished.Valid {
		j.Finished = finished.Time.UTC()
	}
	return &j, nil
}

// Job returns the job with the given id, with its result, or ErrNotFound.
// Reading jobs first marks those of replicas that are gone as interrupted.
func (s *Postgres) Job(ctx context.Context, id int64) (*Job, error) {
	if err := s.interruptJobs(ctx); err != nil {
		return nil, err
	}
	var result string
	j, err := scanPgJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+`, result FROM mc_jobs WHERE id = $1`, id), &result)
	return withResult(j, err, id, result)
}

// Jobs lists up to limit jobs, newest first, without their results. As Job,
// it first marks the jobs of replicas that are gone as interrupted.
func (s *Postgres) Jobs(ctx context.Context, limit int) ([]Job, error) {
	if err := s.interruptJobs(ctx); err != nil {
		return nil, err
	}
	return queryAll(ctx, s.db, func(sc rowScanner) (*Job, error) { return scanPgJob(sc) },
		`SELECT `+jobColumns+` FROM mc_jobs ORDER BY id DESC LIMIT $1`, limit)
}

// DeleteJob deletes a job.
func (s *Postgres) DeleteJob(ctx context.Context, id int64) error {
	return s.exec(ctx, fmt.Sprintf("Monte Carlo job %d", id), `DELETE FROM mc_jobs WHERE id = $1`, id)
}
