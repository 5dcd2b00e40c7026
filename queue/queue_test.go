package queue_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/sweep"
)

const study = `name: queued
base: reference
runs: 9
chunk_runs: 3
seed: 3
axes:
  - path: target.rate
    values: [0.5 GW/week, 1 GW/week]
  - path: project.size
    values: [250 MW, 500 MW]
`

func parse(t *testing.T) *sweep.Study {
	t.Helper()
	s, err := sweep.Parse("study.yaml", []byte(study), func(p string) ([]byte, error) { return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist) })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func table(t *testing.T, s *sweep.Study, ts []*sweep.Tally) []byte {
	t.Helper()
	tb, err := s.Merge(ts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tb.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if err := tb.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// server is an embedded NATS server, or the one GWF_TEST_NATS names when
// set ("off" skips).
func server(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("GWF_TEST_NATS"); u == "off" {
		t.Skip("GWF_TEST_NATS=off")
	}
	ns, err := queue.Embedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	return ns.ClientURL()
}

func connect(t *testing.T, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// Three workers share a study; one is killed mid-chunk and its chunk is
// delivered again; the result is the single-process result, byte for byte.
func TestWorkerKilledMidChunk(t *testing.T) {
	url := server(t)
	s := parse(t)
	local, err := s.Run(context.Background(), s.Chunks(), sweep.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := table(t, s, local)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var killedOnce sync.Once
	killed := make(chan sweep.Chunk, 1)
	for i := range 3 {
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		nc := connect(t, url)
		w := &queue.Worker{AckWait: time.Second, Workers: 2}
		if i == 0 {
			w.OnChunk = func(c sweep.Chunk) {
				killedOnce.Do(func() { killed <- c; stop(); nc.Close() })
			}
		}
		wg.Go(func() {
			if err := w.Run(wctx, nc); err != nil && wctx.Err() == nil {
				t.Errorf("worker %d: %v", i, err)
			}
		})
	}
	nc := connect(t, url)
	if err := queue.Submit(ctx, nc, s); err != nil {
		t.Fatal(err)
	}
	got, err := queue.Collect(ctx, nc, parse(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	wg.Wait()
	select {
	case c := <-killed:
		t.Logf("killed a worker during %v", c)
	default:
		t.Fatal("no worker was killed: the test tested nothing")
	}
	if g := table(t, s, got); !bytes.Equal(g, want) {
		t.Errorf("queued result differs:\n%s\nwant\n%s", g, want)
	}
}

// The same against the machine's NATS server (GWF_TEST_NATS, default
// nats://127.0.0.1:4222), skipped when it is unreachable.
func TestRealServer(t *testing.T) {
	url := os.Getenv("GWF_TEST_NATS")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	if url == "off" {
		t.Skip("GWF_TEST_NATS=off")
	}
	nc, err := nats.Connect(url, nats.Timeout(2*time.Second))
	if err != nil {
		t.Skipf("no NATS server at %s (set GWF_TEST_NATS): %v", url, err)
	}
	t.Cleanup(nc.Close)
	s := parse(t)
	local, err := s.Run(context.Background(), s.Chunks(), sweep.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := (&queue.Worker{AckWait: 5 * time.Second}).Run(wctx, connect(t, url)); err != nil {
			t.Error(err)
		}
	})
	defer func() { stop(); wg.Wait() }()
	if err := queue.Submit(ctx, nc, s); err != nil {
		t.Fatalf("JetStream on %s: %v", url, err)
	}
	got, err := queue.Collect(ctx, nc, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(table(t, s, got), table(t, s, local)) {
		t.Error("the result through the machine's NATS server differs from one process")
	}
}
