package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/server"
	"github.com/gwf-project/gwf/store/storetest"
)

func TestCheckServeAddr(t *testing.T) {
	for _, tt := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true},
		{"localhost:0", "", true},
		{"[::1]:8080", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"192.168.1.5:8080", "", false},
		{"0.0.0.0:8080", "t", true},
		{"nonsense", "", false},
	} {
		err := checkServeAddr(tt.addr, tt.token)
		if (err == nil) != tt.ok {
			t.Errorf("checkServeAddr(%q, %q) = %v, want ok=%v", tt.addr, tt.token, err, tt.ok)
		}
		if err != nil && tt.addr != "nonsense" && !strings.Contains(err.Error(), "--token") {
			t.Errorf("error does not say --token is needed: %v", err)
		}
	}
}

// startServe runs serve on a free loopback port until the returned stop is
// called; stop waits for the graceful shutdown and returns serve's error.
func startServe(t *testing.T, db string) (base string, stop func() error, logs *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	logs = &bytes.Buffer{}
	e := &env{stdout: &out, stderr: logs}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- e.serve(ctx, server.Config{}, "127.0.0.1:0", db, ready) }()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	return base, func() error { cancel(); return <-done }, logs
}

func TestAllowedHosts(t *testing.T) {
	for _, tt := range []struct {
		addr  string
		given []string
		want  string
	}{
		{"127.0.0.1:8080", nil, ""},
		{"localhost:8080", []string{"gwf.lan"}, "gwf.lan"},
		{"10.0.0.5:8080", nil, "10.0.0.5"},
		{"0.0.0.0:8080", nil, "*"},
		{"[::]:8080", nil, "*"},
		{":8080", nil, "*"},
		{"0.0.0.0:8080", []string{"gwf.lan"}, "gwf.lan"},
	} {
		if got := strings.Join(allowedHosts(tt.addr, tt.given), ","); got != tt.want {
			t.Errorf("allowedHosts(%q, %q) = %q, want %q", tt.addr, tt.given, got, tt.want)
		}
	}
}

// TestServeRunSurvivesRestart stores a run, stops the server as SIGTERM
// would, starts it again on the same database and finds the run: in an
// SQLite file and in PostgreSQL (skipped when no server is reachable).
func TestServeRunSurvivesRestart(t *testing.T) {
	for name, db := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "gwf.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) { testServeRunSurvivesRestart(t, db(t)) })
	}
}

func testServeRunSurvivesRestart(t *testing.T, db string) {
	base, stop, logs := startServe(t, db)
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Post(base+"/api/runs", "application/json", strings.NewReader(`{"name":"keep me"}`))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("POST /api/runs: %v %v", resp, err)
	}
	var run struct{ ID int64 }
	json.NewDecoder(resp.Body).Decode(&run)
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if !strings.Contains(logs.String(), "stopped") || !strings.Contains(logs.String(), "path=/api/runs") {
		t.Errorf("logs lack request or shutdown lines:\n%s", logs)
	}

	base, stop, _ = startServe(t, db)
	defer stop()
	resp, err = http.Get(base + "/api/runs/1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Name string }
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != 200 || got.Name != "keep me" || run.ID != 1 {
		t.Errorf("after restart: %d %+v", resp.StatusCode, got)
	}
}

func TestDBLabelHidesPassword(t *testing.T) {
	for db, want := range map[string]string{
		"/var/lib/gwf/gwf.db":                      "/var/lib/gwf/gwf.db",
		"postgres://gwf:secret@db:5432/gwf":        "postgres://gwf:xxxxx@db:5432/gwf",
		"postgresql://gwf@db/gwf?search_path=team": "postgresql://gwf@db/gwf?search_path=team",
	} {
		if got := dbLabel(db); got != want {
			t.Errorf("dbLabel(%q) = %q, want %q", db, got, want)
		}
	}
}
