package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sweep"
)

// Names of the JetStream streams, subjects, consumer and bucket.
const (
	ChunkStream    = "GWF_CHUNKS"
	PartialStream  = "GWF_PARTIALS"
	StudyBucket    = "gwf_studies"
	WorkerConsumer = "gwf-workers"
	chunkSubject   = "gwf.chunks."
	partialSubject = "gwf.partials."
)

// DefaultAckWait is how long a chunk may go without word from its worker
// before it is delivered to another. Workers report progress every third
// of it, so it bounds the time lost to a dead worker, not a chunk's length.
const DefaultAckWait = 30 * time.Second

// chunkMsg is a chunk on the work queue: of a sweep study, or (MC set) of
// a Monte Carlo job.
type chunkMsg struct {
	Study string      `json:"study,omitempty"`
	Chunk sweep.Chunk `json:"chunk"`
	MC    *mcChunkMsg `json:"mc,omitempty"`
}

// Embedded starts a NATS server with JetStream in this process, listening
// on a free loopback port and storing streams under dir. Call Shutdown on
// the server when done.
func Embedded(dir string) (*server.Server, error) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("embedded NATS server did not start within 10s")
	}
	return ns, nil
}

// open connects to JetStream on nc and creates the streams and the study
// bucket if they do not exist.
func open(ctx context.Context, nc *nats.Conn) (jetstream.JetStream, jetstream.KeyValue, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, nil, err
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: ChunkStream, Subjects: []string{chunkSubject + ">"}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Duplicates: time.Minute,
	}); err != nil {
		return nil, nil, fmt.Errorf("stream %s: %w", ChunkStream, err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: PartialStream, Subjects: []string{partialSubject + ">"}, Retention: jetstream.LimitsPolicy,
		Storage: jetstream.FileStorage, MaxAge: 7 * 24 * time.Hour, Duplicates: 10 * time.Minute,
	}); err != nil {
		return nil, nil, fmt.Errorf("stream %s: %w", PartialStream, err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: StudyBucket, TTL: 7 * 24 * time.Hour})
	if err != nil {
		return nil, nil, fmt.Errorf("bucket %s: %w", StudyBucket, err)
	}
	return js, kv, nil
}

// Submit stores the study and enqueues each of its chunks.
func Submit(ctx context.Context, nc *nats.Conn, s *sweep.Study) error {
	js, kv, err := open(ctx, nc)
	if err != nil {
		return err
	}
	b, err := json.Marshal(s.Bundle())
	if err != nil {
		return err
	}
	id := s.ID()
	if _, err := kv.Put(ctx, id, b); err != nil {
		return fmt.Errorf("storing study %s (%d bytes): %w", id, len(b), err)
	}
	for _, c := range s.Chunks() {
		m, _ := json.Marshal(chunkMsg{Study: id, Chunk: c})
		if _, err := js.Publish(ctx, chunkSubject+id, m, jetstream.WithMsgID(id+"."+c.Key())); err != nil {
			return fmt.Errorf("enqueueing %v: %w", c, err)
		}
	}
	return nil
}

// Collect gathers the study's partials as workers publish them, counting
// each chunk once, until every chunk is in or ctx ends (then it returns
// what arrived with ctx's error). progress, if set, is called with the
// chunks in so far.
func Collect(ctx context.Context, nc *nats.Conn, s *sweep.Study, progress func(chunks int)) ([]*sweep.Tally, error) {
	js, _, err := open(ctx, nc)
	if err != nil {
		return nil, err
	}
	id := s.ID()
	want := map[sweep.Chunk]bool{}
	for _, c := range s.Chunks() {
		want[c] = true
	}
	seen := map[sweep.Chunk]bool{}
	var out []*sweep.Tally
	err = follow(ctx, js, partialSubject+id, func() bool { return len(seen) == len(want) }, func(m jetstream.Msg) error {
		var p sweep.Partial
		if err := json.Unmarshal(m.Data(), &p); err != nil || p.Study != id {
			return nil
		}
		for _, t := range p.Tallies {
			if want[t.Chunk] && !seen[t.Chunk] && t.Completed == t.Count {
				seen[t.Chunk] = true
				out = append(out, t)
			}
		}
		if progress != nil {
			progress(len(seen))
		}
		return nil
	})
	return out, err
}

// follow reads the partials stream's messages on subject, in order, handing
// each to take, until done reports true (nil), take fails (its error) or
// ctx ends (ctx's error). Empty fetches just wait for more.
func follow(ctx context.Context, js jetstream.JetStream, subject string, done func() bool, take func(jetstream.Msg) error) error {
	cons, err := js.OrderedConsumer(ctx, PartialStream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		return err
	}
	for !done() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		batch, err := cons.Fetch(100, jetstream.FetchMaxWait(500*time.Millisecond))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		for m := range batch.Messages() {
			if err := take(m); err != nil {
				return err
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, nats.ErrTimeout) {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
	}
	return nil
}

// Worker pulls chunks from the work queue and runs them.
type Worker struct {
	// AckWait is the consumer's ack deadline (DefaultAckWait when zero).
	AckWait time.Duration
	// Workers is the runs at once within a chunk (one per CPU when zero).
	Workers int
	// Log receives one line per chunk (nothing when nil).
	Log *slog.Logger
	// OnChunk, if set, is called as each chunk starts: tests use it to
	// kill a worker mid-chunk. OnMCChunk is the same for Monte Carlo
	// chunks, given the chunk's first run.
	OnChunk   func(sweep.Chunk)
	OnMCChunk func(first int)
	// ParseMC turns a Monte Carlo job's scenario name, source and
	// overrides into its scenario, as the coordinator did (gwf uses
	// server.ParseScenario). A worker without it leaves Monte Carlo chunks
	// to others.
	ParseMC func(name string, source []byte, overrides map[string]string) (*scenario.Scenario, error)

	mu      sync.Mutex
	studies map[string]*sweep.Study
	mc      mcCache
}

// Run pulls and runs chunks until ctx ends. A chunk under way when ctx ends
// is abandoned unacknowledged, as a crash would leave it, so the queue
// delivers it again after the ack wait.
func (w *Worker) Run(ctx context.Context, nc *nats.Conn) error {
	js, kv, err := open(ctx, nc)
	if err != nil {
		return err
	}
	var obs jetstream.ObjectStore // Monte Carlo jobs and partials, for a worker that runs them
	if w.ParseMC != nil {
		if obs, err = mcStore(ctx, js); err != nil {
			return err
		}
	}
	wait := w.AckWait
	if wait <= 0 {
		wait = DefaultAckWait
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, ChunkStream, jetstream.ConsumerConfig{
		Durable: WorkerConsumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: wait, MaxDeliver: -1,
		MaxAckPending: 64 * runtime.GOMAXPROCS(0),
	})
	if err != nil {
		return fmt.Errorf("consumer %s: %w", WorkerConsumer, err)
	}
	for ctx.Err() == nil {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		for m := range batch.Messages() {
			if err := w.handle(ctx, js, kv, obs, m, wait); err != nil {
				if ctx.Err() != nil {
					return nil // abandoned: the queue redelivers it
				}
				w.logf("chunk failed", "error", err)
			}
		}
	}
	return nil
}

func (w *Worker) logf(msg string, args ...any) {
	if w.Log != nil {
		w.Log.Info(msg, args...)
	}
}

func (w *Worker) study(ctx context.Context, kv jetstream.KeyValue, id string) (*sweep.Study, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.studies[id]; ok {
		return s, nil
	}
	e, err := kv.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("study %s: %w", id, err)
	}
	var b sweep.Bundle
	if err := json.Unmarshal(e.Value(), &b); err != nil {
		return nil, fmt.Errorf("study %s: %w", id, err)
	}
	s, err := sweep.Open(b)
	if err != nil {
		return nil, fmt.Errorf("study %s: %w", id, err)
	}
	if s.ID() != id {
		return nil, fmt.Errorf("study %s: its files give id %s", id, s.ID())
	}
	if w.studies == nil {
		w.studies = map[string]*sweep.Study{}
	}
	w.studies[id] = s
	return s, nil
}

func (w *Worker) handle(ctx context.Context, js jetstream.JetStream, kv jetstream.KeyValue, obs jetstream.ObjectStore, m jetstream.Msg, wait time.Duration) error {
	var cm chunkMsg
	if err := json.Unmarshal(m.Data(), &cm); err != nil {
		_ = m.Term()
		return fmt.Errorf("bad chunk message: %w", err)
	}
	if cm.MC != nil {
		return w.handleMC(ctx, js, obs, m, cm.MC, wait)
	}
	s, err := w.study(ctx, kv, cm.Study)
	if err != nil {
		_ = m.Term()
		return err
	}
	if w.OnChunk != nil {
		w.OnChunk(cm.Chunk)
	}
	// Tell the queue the chunk is alive while it runs.
	stop := w.heartbeat(ctx, m, wait)
	defer stop()
	start := time.Now()
	ts, err := s.Run(ctx, []sweep.Chunk{cm.Chunk}, sweep.Options{Workers: w.Workers})
	if err != nil {
		if ctx.Err() == nil {
			_ = m.Term() // a chunk that fails fails everywhere
		}
		return err
	}
	stop()
	p, err := json.Marshal(sweep.Partial{Format: sweep.PartialFormat, Study: cm.Study, Tallies: ts})
	if err != nil {
		return err
	}
	if _, err := js.Publish(ctx, partialSubject+cm.Study, p, jetstream.WithMsgID(cm.Study+"."+cm.Chunk.Key())); err != nil {
		return fmt.Errorf("publishing %v: %w", cm.Chunk, err)
	}
	w.logf("chunk done", "study", cm.Study, "chunk", cm.Chunk.String(), "elapsed", time.Since(start).Round(time.Millisecond))
	return m.DoubleAck(ctx)
}
