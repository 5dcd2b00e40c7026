package server_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/server"
	"github.com/gwf-project/gwf/store"
)

// jobResult runs one Monte Carlo job on a fresh server configured by cfg
// and returns the result JSON the server stored.
func jobResult(t *testing.T, cfg server.Config, body string) []byte {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "gwf.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg.Store = st
	app := server.New(cfg)
	ts := httptest.NewServer(app)
	defer func() { ts.Close(); app.Close() }()
	c := func(method, path, body string) (int, map[string]any) { return call(t, ts, method, path, body) }
	status, m := c("POST", "/api/mc", body)
	if status != 202 {
		t.Fatalf("start: %d %v", status, m)
	}
	id := int64(m["id"].(float64))
	m = waitJob(t, c, strconv.FormatInt(id, 10))
	if m["status"] != "done" || m["done"] != 60.0 {
		t.Fatalf("job = %v", m)
	}
	rec, err := st.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Result
}

// A job run on two workers through an embedded NATS server stores the
// result the in-process job stores, byte for byte.
func TestMonteCarloJobOnWorkers(t *testing.T) {
	ns, err := queue.Embedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	connect := func() *nats.Conn {
		nc, err := nats.Connect(ns.ClientURL())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		return nc
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { stop(); wg.Wait() }()
	var mu sync.Mutex
	chunks := map[int]bool{}
	for range 2 {
		w := &queue.Worker{Workers: 2, ParseMC: server.ParseScenario, OnMCChunk: func(first int) {
			mu.Lock()
			chunks[first] = true
			mu.Unlock()
		}}
		nc := connect()
		wg.Go(func() {
			if err := w.Run(ctx, nc); err != nil && ctx.Err() == nil {
				t.Errorf("worker: %v", err)
			}
		})
	}

	body := `{"runs": 60, "seed": 7, "overrides": {"project.size": "500 MW"}}`
	want := jobResult(t, server.Config{}, body)
	got := jobResult(t, server.Config{NATS: connect(), MCChunkRuns: 20}, body)
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("result on workers differs from in-process:\n got %s\nwant %s", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(chunks) != 3 {
		t.Errorf("workers ran chunks starting at %v, want 0, 20 and 40", chunks)
	}
}

// Cancelling a job whose chunks no worker takes stops the server waiting:
// the job is cancelled with no runs done.
func TestMonteCarloJobOnWorkersCancelled(t *testing.T) {
	ns, err := queue.Embedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ts := newServer(t, server.Config{NATS: nc, MCChunkRuns: 20})
	c := func(method, path, body string) (int, map[string]any) { return call(t, ts, method, path, body) }
	if status, m := c("POST", "/api/mc", `{"runs": 60, "seed": 7}`); status != 202 {
		t.Fatalf("start: %d %v", status, m)
	}
	if status, m := c("DELETE", "/api/mc/1", ""); status != 202 {
		t.Fatalf("cancel: %d %v", status, m)
	}
	if m := waitJob(t, c, "1"); m["status"] != "cancelled" || m["done"] != 0.0 {
		t.Errorf("cancelled job = %v", m)
	}
}
