package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx" for the admin connection
)

// DefaultPostgres is the database PostgresURL uses unless the environment
// variable GWF_TEST_POSTGRES names another: the one CI machines run.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL creates a throwaway schema in the test database, dropped when
// the test ends, and returns a postgres:// URL whose connections use it
// (search_path). It skips the test, saying why, when the server cannot be
// reached. Close stores opened on it before the test ends (t.Cleanup
// registered after this call runs first).
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("GWF_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("GWF_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("GWF_TEST_POSTGRES=%s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Skipf("PostgreSQL not reachable at %s, skipping (set GWF_TEST_POSTGRES to the postgres:// URL of a database the tests may create schemas in): %v", u.Redacted(), err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "gwf_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
