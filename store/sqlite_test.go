package store_test

import (
	"context"
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
	if err != nil || v != 1 {
		t.Errorf("SchemaVersion = %d, %v; want 1", v, err)
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
