package queue_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/scenario"
)

// parseMC parses a job's scenario without overrides, as the tests need.
func parseMC(name string, source []byte, overrides map[string]string) (*scenario.Scenario, error) {
	return scenario.Parse(name, source, nil)
}

// Two workers share a Monte Carlo job; one is killed mid-chunk and its
// chunk is delivered again; the combined result is mc.Run's.
func TestMCWorkerKilledMidChunk(t *testing.T) {
	url := server(t)
	job := queue.MCJob{Name: "reference.yaml", Source: string(scenario.ReferenceSource()), Seed: 9, Runs: 60, ChunkRuns: 20}
	sc, err := parseMC(job.Name, []byte(job.Source), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := mc.Config{Runs: job.Runs, Seed: job.Seed}
	want, err := mc.Run(context.Background(), sc, cfg)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var killedOnce sync.Once
	killed := make(chan int, 1)
	for i := range 2 {
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		nc := connect(t, url)
		w := &queue.Worker{AckWait: time.Second, Workers: 2, ParseMC: parseMC}
		if i == 0 {
			w.OnMCChunk = func(first int) {
				killedOnce.Do(func() { killed <- first; stop(); nc.Close() })
			}
		}
		wg.Go(func() {
			if err := w.Run(wctx, nc); err != nil && wctx.Err() == nil {
				t.Errorf("worker %d: %v", i, err)
			}
		})
	}
	nc := connect(t, url)
	if err := queue.SubmitMC(ctx, nc, job); err != nil {
		t.Fatal(err)
	}
	var progress []int
	parts, err := queue.CollectMC(ctx, nc, job, func(runs int) { progress = append(progress, runs) })
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	wg.Wait()
	select {
	case first := <-killed:
		t.Logf("killed a worker during runs %d onwards", first)
	default:
		t.Fatal("no worker was killed: the test tested nothing")
	}
	if !reflect.DeepEqual(progress, []int{20, 40, 60}) {
		t.Errorf("progress = %v, want [20 40 60]", progress)
	}
	got, err := mc.Combine(sc, cfg, parts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("queued result differs from mc.Run's:\n got %+v\nwant %+v", got, want)
	}

	// Submitted again, the job is answered from the stored partials.
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	wctx, stop := context.WithCancel(ctx2)
	var wg2 sync.WaitGroup
	ran := 0
	w := &queue.Worker{ParseMC: parseMC, OnMCChunk: func(int) { ran++ }}
	wg2.Go(func() { _ = w.Run(wctx, connect(t, url)) })
	defer func() { stop(); wg2.Wait() }()
	if err := queue.SubmitMC(ctx2, nc, job); err != nil {
		t.Fatal(err)
	}
	again, err := queue.CollectMC(ctx2, nc, job, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := mc.Combine(sc, cfg, again); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("resubmitted job: %v, or its result differs", err)
	}
	stop()
	wg2.Wait()
	if ran != 0 {
		t.Errorf("resubmitted job ran %d chunks again, want 0", ran)
	}
}

// A chunk that fails on a worker fails the collection rather than hanging.
func TestMCChunkFails(t *testing.T) {
	url := server(t)
	job := queue.MCJob{Name: "bad.yaml", Source: "name: [", Seed: 1, Runs: 10}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = (&queue.Worker{ParseMC: parseMC}).Run(wctx, connect(t, url)) })
	defer func() { stop(); wg.Wait() }()
	nc := connect(t, url)
	if err := queue.SubmitMC(ctx, nc, job); err != nil {
		t.Fatal(err)
	}
	if _, err := queue.CollectMC(ctx, nc, job, nil); err == nil || ctx.Err() != nil {
		t.Errorf("CollectMC = %v (context %v), want the worker's parse error", err, ctx.Err())
	}
}
