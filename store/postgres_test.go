package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gwf-project/gwf/store"
	"github.com/gwf-project/gwf/store/storetest"
)

func openPostgres(t *testing.T, dsn string) *store.Postgres {
	t.Helper()
	s, err := store.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() }) // runs before the schema is dropped
	return s
}

func TestPostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openPostgres(t, storetest.PostgresURL(t))
	})
}

// TestPostgresReopen: data outlives the handle, migrations are applied once
// (version 2, as SQLite's), and a job left running by a closed handle is
// found interrupted by the next.
func TestPostgresReopen(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresURL(t)
	s := openPostgres(t, dsn)
	r := &store.Run{Name: "kept", Scenario: "reference", Result: []byte("{}")}
	j := &store.Job{Name: "study", Status: store.JobRunning, Runs: 1000, Done: 300, Scenario: "reference"}
	for _, err := range []error{s.CreateRun(ctx, r), s.CreateJob(ctx, j)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close() // as a crash would leave it: never marked finished
	s = openPostgres(t, dsn)
	if v, err := s.SchemaVersion(ctx); err != nil || v != 2 {
		t.Errorf("SchemaVersion = %d, %v; want 2", v, err)
	}
	if got, err := s.Run(ctx, r.ID); err != nil || got.Name != "kept" || string(got.Result) != "{}" {
		t.Errorf("after reopen run = %+v, %v", got, err)
	}
	got, err := s.Job(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.JobInterrupted || got.Done != 300 || got.Error == "" || got.Finished.IsZero() {
		t.Errorf("after restart job = %+v, want interrupted at 300 runs with a reason", got)
	}
}

// TestPostgresReplicas: two handles on one database, as two gwf serve
// replicas, interleave writes without clashing ids, see each other's
// writes, and leave each other's running jobs alone until one stops.
func TestPostgresReplicas(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresURL(t)
	// Both open at once: the migrations must be applied exactly once.
	var a, b *store.Postgres
	var wg sync.WaitGroup
	var errA, errB error
	wg.Go(func() { a, errA = store.OpenPostgres(ctx, dsn) })
	wg.Go(func() { b, errB = store.OpenPostgres(ctx, dsn) })
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("open: %v, %v", errA, errB)
	}
	t.Cleanup(func() { a.Close(); b.Close() })

	const each = 20
	ids := make(chan int64, 4*each)
	errs := make(chan error, 4*each)
	for i := range each {
		for name, s := range map[string]*store.Postgres{"a": a, "b": b} {
			wg.Go(func() {
				r := &store.Run{Name: fmt.Sprint(name, i), Scenario: "x", Result: []byte(`{"i":1}`)}
				if err := s.CreateRun(ctx, r); err != nil {
					errs <- err
					return
				}
				ids <- r.ID
				if err := s.RenameRun(ctx, r.ID, "renamed "+r.Name); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %d given to two runs", id)
		}
		seen[id] = true
	}
	for name, s := range map[string]*store.Postgres{"a": a, "b": b} {
		list, err := s.Runs(ctx, 100)
		if err != nil || len(list) != 2*each {
			t.Fatalf("replica %s lists %d runs, %v; want %d", name, len(list), err, 2*each)
		}
		for _, r := range list {
			if len(r.Name) < 8 || r.Name[:8] != "renamed " {
				t.Errorf("replica %s: run %d named %q, not renamed", name, r.ID, r.Name)
			}
		}
	}
	// A run b deletes is gone for a, and its id is not given out again.
	newest, err := a.Runs(ctx, 1)
	if err != nil || len(newest) != 1 {
		t.Fatalf("Runs(1) = %+v, %v", newest, err)
	}
	first := newest[0].ID
	if err := b.DeleteRun(ctx, first); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Run(ctx, first); err == nil {
		t.Errorf("run %d deleted by b still read by a", first)
	}
	r := &store.Run{Name: "after", Scenario: "x"}
	if err := a.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if r.ID <= first {
		t.Errorf("new run got id %d after deleting %d", r.ID, first)
	}

	// a runs a job; b, alive beside it, must not call it interrupted.
	j := &store.Job{Name: "study", Status: store.JobRunning, Runs: 100, Scenario: "x"}
	if err := a.CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	c := openPostgres(t, dsn) // a third replica starting
	for name, s := range map[string]*store.Postgres{"b": b, "c": c} {
		if got, err := s.Job(ctx, j.ID); err != nil || got.Status != store.JobRunning {
			t.Errorf("replica %s sees a's live job as %+v, %v; want running", name, got, err)
		}
	}
	j.Done = 40
	if err := a.UpdateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	// a stops: the others find its job interrupted, keeping its progress.
	a.Close()
	list, err := b.Jobs(ctx, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("Jobs = %+v, %v", list, err)
	}
	if got := list[0]; got.Status != store.JobInterrupted || got.Done != 40 || got.Finished.IsZero() {
		t.Errorf("after a stopped its job = %+v, want interrupted at 40", got)
	}
}

// TestPostgresCrashedReplica: a replica whose connections are cut (the
// process killed, its machine gone) without Close has its running jobs
// marked interrupted by the others.
func TestPostgresCrashedReplica(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresURL(t)
	a := openPostgres(t, dsn)
	b := openPostgres(t, dsn)
	j := &store.Job{Name: "study", Status: store.JobRunning, Runs: 100, Scenario: "x"}
	if err := a.CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	// Cut a's lock connection, as a killed process or a lost network
	// would; a itself is not told.
	admin, err := sql.Open("pgx", dsn) // registered by storetest
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = $1`, a.Replica()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("terminated %d connections holding replica %d's lock, want 1", n, a.Replica())
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := b.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == store.JobInterrupted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a crashed but its job is still %+v", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// a lives on: its next job write takes its lock again, so its jobs
	// are not taken for a dead replica's.
	j.Done = 10
	j.Status = store.JobRunning
	if err := a.UpdateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	j2 := &store.Job{Name: "next", Status: store.JobRunning, Runs: 100, Scenario: "x"}
	if err := a.CreateJob(ctx, j2); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{j.ID, j2.ID} {
		if got, err := b.Job(ctx, id); err != nil || got.Status != store.JobRunning {
			t.Errorf("job %d of a, alive again, seen by b as %+v, %v; want running", id, got, err)
		}
	}
}

func TestParsePostgresURL(t *testing.T) {
	for _, tc := range []struct {
		dsn string
		ok  bool
	}{
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", true},
		{"postgresql://u:p@db.example:5432/gwf?search_path=team", true},
		{"postgres://h:notaport/db", false},
		{"postgres://u@h/db?sslmode=bogus", false},
		{"/var/lib/gwf/gwf.db", false},
	} {
		if err := store.ParsePostgresURL(tc.dsn); (err == nil) != tc.ok {
			t.Errorf("ParsePostgresURL(%q) = %v, want ok %v", tc.dsn, err, tc.ok)
		}
	}
}
