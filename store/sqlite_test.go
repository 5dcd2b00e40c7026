package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gwf-project/gwf/store"
	"github.com/gwf-project/gwf/store/storetest"
)

func openTemp(t *testing.T, path string) *store.SQLite {
	t.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openTemp(t, filepath.Join(t.TempDir(), "gwf.db"))
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestSQLiteSurvivesReopen checks a run written before Close is there after
// the database is opened again, and that migrations are not re-applied.
func TestSQLiteSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "gwf.db")
	s := openTemp(t, path)
	r := &store.Run{Name: "kept", Scenario: "reference", Result: []byte("{}")}
	if err := s.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTemp(t, path)
	defer s.Close()
	got, err := s.Run(ctx, r.ID)
	if err != nil || got.Name != "kept" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != 2 {
		t.Errorf("SchemaVersion = %d, %v; want 2", v, err)
	}
}

func TestSQLiteUsesWAL(t *testing.T) {
	s := openTemp(t, filepath.Join(t.TempDir(), "gwf.db"))
	defer s.Close()
	mode, err := s.JournalMode(context.Background())
	if err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// TestSQLiteMigratesVersion1 opens a database written by schema version 1
// (ids without AUTOINCREMENT, results beside the runs): its runs and
// scenarios keep their ids and results, and a deleted id is not reused.
func TestSQLiteMigratesVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, '2026-12-01T00:00:00Z')`,
		`CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL, created TEXT NOT NULL)`,
		`CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, scenario_id INTEGER NOT NULL DEFAULT 0, scenario TEXT NOT NULL,
			source TEXT NOT NULL, overrides TEXT NOT NULL, inputs TEXT NOT NULL, gw_per_week TEXT NOT NULL, ten_gw TEXT NOT NULL,
			final_mw REAL NOT NULL, result BLOB NOT NULL, created TEXT NOT NULL)`,
		`CREATE INDEX runs_created ON runs(created)`,
		`INSERT INTO scenarios VALUES (3, 'mine', 'name: mine', '2026-12-01T00:00:00Z')`,
		`INSERT INTO runs VALUES (1, 'one', 0, 'reference', 'name: reference', '{}', '{"project.size":"250 MW"}', '', '2029-01-01', 1000, '{"old":1}', '2026-12-01T00:00:00Z')`,
		`INSERT INTO runs VALUES (2, 'two', 3, 'mine', 'name: mine', '{"target.rate":"2 GW/week"}', '{}', '2030-01-01', '', 2000, '{"old":2}', '2026-12-01T00:00:01Z')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s := openTemp(t, path)
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != 2 {
		t.Fatalf("SchemaVersion = %d, %v; want 2", v, err)
	}
	r2, err := s.Run(ctx, 2)
	if err != nil || r2.Name != "two" || string(r2.Result) != `{"old":2}` || r2.Overrides["target.rate"] != "2 GW/week" || r2.GWPerWeek != "2030-01-01" {
		t.Fatalf("run 2 after migration = %+v, %v", r2, err)
	}
	if sc, err := s.Scenario(ctx, 3); err != nil || sc.Name != "mine" {
		t.Fatalf("scenario 3 after migration = %+v, %v", sc, err)
	}
	if err := s.DeleteRun(ctx, 2); err != nil {
		t.Fatal(err)
	}
	r := &store.Run{Name: "new", Scenario: "x"}
	if err := s.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if r.ID != 3 {
		t.Errorf("new run after deleting run 2 got id %d, want 3 (never reuse an id)", r.ID)
	}
}

// TestSQLiteInterruptedJob: a job left running when its server died is
// found interrupted when the database is opened again, not vanished.
func TestSQLiteInterruptedJob(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gwf.db")
	s := openTemp(t, path)
	j := &store.Job{Name: "study", Status: store.JobRunning, Runs: 1000, Done: 300, Scenario: "reference"}
	if err := s.CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	s.Close() // as a crash would leave it: never marked finished
	s = openTemp(t, path)
	defer s.Close()
	got, err := s.Job(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.JobInterrupted || got.Done != 300 || got.Error == "" || got.Finished.IsZero() {
		t.Errorf("after restart job = %+v, want interrupted at 300 runs with a reason", got)
	}
}
