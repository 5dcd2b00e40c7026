package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
)

// MCBucket is the object store holding Monte Carlo jobs and their
// partials; mcSubject prefixes the subjects of Monte Carlo chunks and of
// their completion messages.
const (
	MCBucket  = "gwf_mc"
	mcSubject = "mc."
	// DefaultMCChunkRuns is the runs in one Monte Carlo chunk when
	// MCJob.ChunkRuns is zero. A chunk's partial holds two sketches per
	// week: about 1–2 MB per 100 runs.
	DefaultMCChunkRuns = 100
	// mcKeep is how long jobs, partials and completion messages are kept.
	mcKeep = 7 * 24 * time.Hour
)

// MCJob is a Monte Carlo study to run on workers: a scenario's source,
// the overrides applied to it, the runs and the seed. Workers turn Name,
// Source and Overrides into the scenario with Worker.ParseMC, so the
// coordinator and the workers must parse alike (gwf's server and worker
// both use server.ParseScenario).
type MCJob struct {
	Name      string            `json:"name"`
	Source    string            `json:"source"`
	Overrides map[string]string `json:"overrides,omitempty"`
	Seed      int64             `json:"seed"`
	Runs      int               `json:"runs"`
	// ChunkRuns is the runs in one chunk; DefaultMCChunkRuns when zero.
	ChunkRuns int `json:"chunk_runs"`
}

// Key names the job by its content, so a job submitted twice (resumed, or
// by two servers) shares its chunks' partials: they depend only on it.
func (j *MCJob) Key() string {
	b, _ := json.Marshal(j.normal())
	h := sha256.Sum256(append([]byte(mc.PartialFormat+"\n"), b...))
	return hex.EncodeToString(h[:16])
}

func (j *MCJob) normal() MCJob {
	n := *j
	if n.ChunkRuns <= 0 {
		n.ChunkRuns = DefaultMCChunkRuns
	}
	return n
}

// mcRange is one chunk of a job: runs First to First+Runs−1.
type mcRange struct {
	First int `json:"first"`
	Runs  int `json:"runs"`
}

func (r mcRange) String() string { return fmt.Sprintf("%d-%d", r.First, r.Runs) }

func (j *MCJob) ranges() []mcRange {
	n := j.normal()
	var out []mcRange
	for first := 0; first < n.Runs; first += n.ChunkRuns {
		out = append(out, mcRange{First: first, Runs: min(n.ChunkRuns, n.Runs-first)})
	}
	return out
}

// mcChunkMsg is a Monte Carlo chunk on the work queue.
type mcChunkMsg struct {
	Job string `json:"job"`
	mcRange
}

// mcDoneMsg says a chunk's partial is in the object store (Object), or
// that the chunk failed (Error) and will fail everywhere.
type mcDoneMsg struct {
	Job string `json:"job"`
	mcRange
	Object string `json:"object,omitempty"`
	Error  string `json:"error,omitempty"`
}

func jobObject(key string) string                { return key + ".job" }
func partialObject(key string, r mcRange) string { return key + "." + r.String() }

// mcStore creates the Monte Carlo object store if it does not exist.
func mcStore(ctx context.Context, js jetstream.JetStream) (jetstream.ObjectStore, error) {
	obs, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: MCBucket, TTL: mcKeep, Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("object store %s: %w", MCBucket, err)
	}
	return obs, nil
}

// openMC does as open, and creates the Monte Carlo object store.
func openMC(ctx context.Context, nc *nats.Conn) (jetstream.JetStream, jetstream.ObjectStore, error) {
	js, _, err := open(ctx, nc)
	if err != nil {
		return nil, nil, err
	}
	obs, err := mcStore(ctx, js)
	return js, obs, err
}

// SubmitMC stores the job and enqueues each of its chunks. A chunk whose
// partial is already stored is run by no worker again: the first worker to
// take it republishes its completion.
func SubmitMC(ctx context.Context, nc *nats.Conn, job MCJob) error {
	if job.Runs < 1 || job.Runs > mc.MaxRuns {
		return fmt.Errorf("runs: %d is out of range (want 1 to %d)", job.Runs, mc.MaxRuns)
	}
	js, obs, err := openMC(ctx, nc)
	if err != nil {
		return err
	}
	key := job.Key()
	b, err := json.Marshal(job.normal())
	if err != nil {
		return err
	}
	if _, err := obs.GetInfo(ctx, jobObject(key)); err != nil {
		if _, err := obs.PutBytes(ctx, jobObject(key), b); err != nil {
			return fmt.Errorf("storing Monte Carlo job %s (%d bytes): %w", key, len(b), err)
		}
	}
	for _, r := range job.ranges() {
		m, _ := json.Marshal(chunkMsg{MC: &mcChunkMsg{Job: key, mcRange: r}})
		if _, err := js.Publish(ctx, chunkSubject+mcSubject+key, m, jetstream.WithMsgID(key+"."+r.String())); err != nil {
			return fmt.Errorf("enqueueing runs %d to %d: %w", r.First, r.First+r.Runs-1, err)
		}
	}
	return nil
}

// CollectMC gathers the job's partials as workers store them, counting
// each chunk once, until every chunk is in or ctx ends (then it returns
// what arrived with ctx's error). progress, if set, is called with the
// runs in so far. Chunks still queued when ctx ends stay queued, and
// workers may still run them; their partials are kept for mcKeep, so
// submitting the job again reuses them. A chunk that fails on a worker
// fails the collection.
func CollectMC(ctx context.Context, nc *nats.Conn, job MCJob, progress func(runs int)) ([]*mc.Partial, error) {
	js, obs, err := openMC(ctx, nc)
	if err != nil {
		return nil, err
	}
	key := job.Key()
	want := map[mcRange]bool{}
	for _, r := range job.ranges() {
		want[r] = true
	}
	seen := map[mcRange]bool{}
	var out []*mc.Partial
	runs := 0
	err = follow(ctx, js, partialSubject+mcSubject+key, func() bool { return len(seen) == len(want) }, func(m jetstream.Msg) error {
		var d mcDoneMsg
		if err := json.Unmarshal(m.Data(), &d); err != nil || d.Job != key || !want[d.mcRange] || seen[d.mcRange] {
			return nil
		}
		if d.Error != "" {
			return fmt.Errorf("runs %d to %d: %s", d.First, d.First+d.Runs-1, d.Error)
		}
		b, err := getObject(ctx, obs, d.Object)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("partial %s: %w", d.Object, err)
		}
		p := new(mc.Partial)
		if err := json.Unmarshal(b, p); err != nil {
			return fmt.Errorf("partial %s: %w", d.Object, err)
		}
		if p.First != d.First || p.Runs != d.Runs || p.Completed() != p.Runs {
			return fmt.Errorf("partial %s: holds %d of runs %d to %d", d.Object, p.Completed(), p.First, p.First+p.Runs-1)
		}
		seen[d.mcRange] = true
		out = append(out, p)
		runs += p.Runs
		if progress != nil {
			progress(runs)
		}
		return nil
	})
	return out, err
}

// getObject reads an object, trying again a few times: a chunk delivered
// twice may have its partial stored twice, and a read racing the second
// store can fail.
func getObject(ctx context.Context, obs jetstream.ObjectStore, name string) ([]byte, error) {
	var err error
	for try := range 4 {
		var b []byte
		if b, err = obs.GetBytes(ctx, name); err == nil {
			return b, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(try+1) * 200 * time.Millisecond):
		}
	}
	return nil, err
}

// mcCacheSize bounds the parsed scenarios a worker keeps.
const mcCacheSize = 16

// mcCache holds the scenarios of the Monte Carlo jobs a worker has seen.
type mcCache struct {
	mu   sync.Mutex
	jobs map[string]mcParsed
}

type mcParsed struct {
	job MCJob
	sc  *scenario.Scenario
}

func (w *Worker) mcJob(ctx context.Context, obs jetstream.ObjectStore, key string) (mcParsed, error) {
	w.mc.mu.Lock()
	defer w.mc.mu.Unlock()
	if p, ok := w.mc.jobs[key]; ok {
		return p, nil
	}
	b, err := obs.GetBytes(ctx, jobObject(key))
	if err != nil {
		return mcParsed{}, fmt.Errorf("mc job %s: %w", key, err)
	}
	var job MCJob
	if err := json.Unmarshal(b, &job); err != nil {
		return mcParsed{}, fmt.Errorf("mc job %s: %w", key, err)
	}
	if job.Key() != key {
		return mcParsed{}, fmt.Errorf("mc job %s: its contents give key %s", key, job.Key())
	}
	sc, err := w.ParseMC(job.Name, []byte(job.Source), job.Overrides)
	if err != nil {
		return mcParsed{}, fmt.Errorf("mc job %s: %w", key, err)
	}
	if w.mc.jobs == nil || len(w.mc.jobs) >= mcCacheSize {
		w.mc.jobs = map[string]mcParsed{}
	}
	p := mcParsed{job: job, sc: sc}
	w.mc.jobs[key] = p
	return p, nil
}

// handleMC runs one Monte Carlo chunk, stores its partial and publishes
// its completion before acknowledging it. A chunk whose partial is already
// stored (delivered again after its worker stored it but died before the
// acknowledgement) is not run again.
func (w *Worker) handleMC(ctx context.Context, js jetstream.JetStream, obs jetstream.ObjectStore, m jetstream.Msg, c *mcChunkMsg, wait time.Duration) error {
	if w.ParseMC == nil {
		_ = m.NakWithDelay(wait)
		return errors.New("this worker has no ParseMC and cannot run Monte Carlo chunks")
	}
	done := func(d mcDoneMsg) error {
		b, _ := json.Marshal(d)
		id := c.Job + "." + c.String()
		if d.Error != "" {
			id += ".failed"
		}
		if _, err := js.Publish(ctx, partialSubject+mcSubject+c.Job, b, jetstream.WithMsgID(id)); err != nil {
			return fmt.Errorf("publishing runs %d to %d: %w", c.First, c.First+c.Runs-1, err)
		}
		return nil
	}
	fail := func(err error) error {
		if ctx.Err() != nil {
			return err // abandoned: the queue redelivers it
		}
		_ = m.Term() // a chunk that fails fails everywhere
		if perr := done(mcDoneMsg{Job: c.Job, mcRange: c.mcRange, Error: err.Error()}); perr != nil {
			return errors.Join(err, perr)
		}
		return err
	}
	name := partialObject(c.Job, c.mcRange)
	if _, err := obs.GetInfo(ctx, name); err == nil {
		if err := done(mcDoneMsg{Job: c.Job, mcRange: c.mcRange, Object: name}); err != nil {
			return err
		}
		return m.DoubleAck(ctx)
	}
	p, err := w.mcJob(ctx, obs, c.Job)
	if err != nil {
		return fail(err)
	}
	if c.First < 0 || c.Runs < 1 || c.First+c.Runs > p.job.Runs {
		return fail(fmt.Errorf("runs %d to %d lie outside the job's %d runs", c.First, c.First+c.Runs-1, p.job.Runs))
	}
	if w.OnMCChunk != nil {
		w.OnMCChunk(c.First)
	}
	stop := w.heartbeat(ctx, m, wait)
	defer stop()
	start := time.Now()
	part, err := mc.RunPartial(ctx, p.sc, mc.Config{First: c.First, Runs: c.Runs, Seed: p.job.Seed, Workers: w.Workers})
	if err != nil {
		return fail(err)
	}
	stop()
	b, err := json.Marshal(part)
	if err != nil {
		return fail(err)
	}
	if _, err := obs.PutBytes(ctx, name, b); err != nil {
		return fmt.Errorf("storing runs %d to %d (%d bytes): %w", c.First, c.First+c.Runs-1, len(b), err)
	}
	if err := done(mcDoneMsg{Job: c.Job, mcRange: c.mcRange, Object: name}); err != nil {
		return err
	}
	w.logf("mc chunk done", "job", c.Job, "first", c.First, "runs", c.Runs, "bytes", len(b), "elapsed", time.Since(start).Round(time.Millisecond))
	return m.DoubleAck(ctx)
}

// heartbeat tells the queue the chunk m is alive every third of wait until
// the returned function is called.
func (w *Worker) heartbeat(ctx context.Context, m jetstream.Msg, wait time.Duration) (stop func()) {
	beat, cancel := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(wait / 3)
		defer t.Stop()
		for {
			select {
			case <-beat.Done():
				return
			case <-t.C:
				_ = m.InProgress()
			}
		}
	}()
	return cancel
}
