package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/store"
)

// errTooManyJobs is returned when MaxJobsAtOnce Monte Carlo jobs are running.
var errTooManyJobs = errors.New("too many Monte Carlo jobs running; wait for one to finish or cancel one")

// maxJobsListed bounds the jobs GET /api/mc lists.
const maxJobsListed = 100

// progressEvery is how often a running job's progress is written to the
// database, so a job interrupted by a crash shows how far it got.
const progressEvery = 2 * time.Second

// job is one Monte Carlo study running in this process. Its record (and
// every finished job's) is in the store.
type job struct {
	rec           store.Job // as created; ID set
	cancel        context.CancelFunc
	userCancelled atomic.Bool
	done          atomic.Int64
}

// jobView is a job as the API shows it.
type jobView struct {
	store.Job
	ElapsedMS int64 `json:"elapsed_ms"`
}

func viewOf(j store.Job, now time.Time) jobView {
	end := j.Finished
	if end.IsZero() {
		end = now
	}
	return jobView{Job: j, ElapsedMS: end.Sub(j.Started).Milliseconds()}
}

// jobs holds the Monte Carlo jobs running in this server.
type jobs struct {
	ctx    context.Context // cancelled by Server.Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	running map[int64]*job
}

func newJobs() *jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobs{ctx: ctx, cancel: cancel, running: map[int64]*job{}}
}

type createJobRequest struct {
	createRunRequest
	Runs int   `json:"runs"`
	Seed int64 `json:"seed"`
}

func (s *Server) createJob(w http.ResponseWriter, r *http.Request) {
	var req createJobRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Runs < 1 || req.Runs > s.cfg.MaxMCRuns {
		s.fail(w, r, badInput("runs: want 1 to %d (got %d)", s.cfg.MaxMCRuns, req.Runs))
		return
	}
	if err := checkName(req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	src, err := s.requestSource(r, req.createRunRequest)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := parse(src.Name, []byte(src.Source), req.Overrides)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := budget.Check(sc, 1, s.cfg.MaxRunWork); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := budget.Check(sc, req.Runs, s.cfg.MaxStudyWork); err != nil {
		s.fail(w, r, err)
		return
	}
	seed := req.Seed
	if seed == 0 {
		seed = sc.Seed
	}
	name := req.Name
	if name == "" {
		name = defaultRunName(sc.Name, req.Overrides)
	}

	rec := store.Job{Name: name, Status: store.JobRunning, Runs: req.Runs, Seed: seed, Scenario: sc.Name,
		ScenarioID: src.ID, Overrides: req.Overrides, Started: time.Now().UTC()}
	if err := s.startJob(r.Context(), &rec, sc, src, true); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, viewOf(rec, time.Now()))
}

// startJob stores rec as running (a new job when create, else an update of
// a stopped one) and runs its study of sc (parsed from src with
// rec.Overrides) in the background: in this process, or on workers when
// Config.NATS is set.
func (s *Server) startJob(ctx context.Context, rec *store.Job, sc *scenario.Scenario, src *store.Scenario, create bool) error {
	js := s.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	if len(js.running) >= s.cfg.MaxJobsAtOnce {
		return errTooManyJobs
	}
	if _, ok := js.running[rec.ID]; ok && !create {
		return badInput("the Monte Carlo job %d is running", rec.ID)
	}
	save := s.store.CreateJob
	if !create {
		save = s.store.UpdateJob
	}
	if err := save(ctx, rec); err != nil {
		return err
	}
	jctx, cancel := context.WithCancel(js.ctx)
	j := &job{rec: *rec, cancel: cancel}
	js.running[rec.ID] = j
	runs, seed := rec.Runs, rec.Seed

	workers := max(1, runtime.GOMAXPROCS(0)/s.cfg.MaxJobsAtOnce)
	js.wg.Go(func() {
		defer cancel()
		stopProgress := s.saveProgress(j)
		progress := func(done int) {
			// Progress is called from several workers; keep the largest.
			for {
				old := j.done.Load()
				if int64(done) <= old || j.done.CompareAndSwap(old, int64(done)) {
					return
				}
			}
		}
		var res *mc.Result
		var err error
		if s.cfg.NATS != nil {
			job := queue.MCJob{Name: src.Name, Source: src.Source, Overrides: rec.Overrides, Seed: seed, Runs: runs, ChunkRuns: s.cfg.MCChunkRuns}
			res, err = runQueued(jctx, s.cfg.NATS, sc, job, progress)
		} else {
			res, err = mc.Run(jctx, sc, mc.Config{Runs: runs, Seed: seed, Workers: workers, Progress: progress})
		}
		stopProgress()
		final := j.rec
		final.Finished = time.Now().UTC()
		final.Done = int(j.done.Load())
		// A job whose context ended was stopped, whatever the error says
		// (a NATS call cut short reports a timeout, not the cancellation).
		stopped := err != nil && (errors.Is(err, context.Canceled) || jctx.Err() != nil)
		switch {
		case stopped && j.userCancelled.Load():
			final.Status = store.JobCancelled
		case stopped:
			final.Status, final.Error = store.JobInterrupted, "the server stopped while the job ran; resume it to run it again"
		case err != nil:
			final.Status, final.Error = store.JobFailed, err.Error()
		default:
			final.Status = store.JobDone
		}
		if res != nil {
			final.Done = res.Completed
			if b, err := json.Marshal(export.BuildMC(res, nil)); err == nil {
				final.Result = b
			}
		}
		// The request that started the job is long gone, and the server
		// may be shutting down: the final write gets its own deadline.
		wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := s.store.UpdateJob(wctx, &final); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("mc job not saved", "id", final.ID, "err", err)
		}
		wcancel()
		js.mu.Lock()
		delete(js.running, final.ID)
		js.mu.Unlock()
		s.log.Info("mc job finished", "id", final.ID, "status", final.Status, "runs", runs, "completed", final.Done, "elapsed", time.Since(final.Started))
	})
	s.log.Info("mc job started", "id", rec.ID, "runs", runs, "seed", seed, "resumed", !create)
	return nil
}

// runQueued runs job on the workers pulling from nc's work queue and
// combines their partials into the Result mc.Run would give. When ctx ends
// it stops waiting and returns what the chunks already in show, with ctx's
// error; chunks still queued may yet run on workers, and their partials
// are kept, so resuming the job reuses them.
func runQueued(ctx context.Context, nc *nats.Conn, sc *scenario.Scenario, job queue.MCJob, progress func(done int)) (*mc.Result, error) {
	if err := queue.SubmitMC(ctx, nc, job); err != nil {
		return nil, err
	}
	parts, err := queue.CollectMC(ctx, nc, job, progress)
	if err != nil && ctx.Err() == nil {
		return nil, err
	}
	res, cerr := mc.Combine(sc, mc.Config{Runs: job.Runs, Seed: job.Seed}, parts)
	if cerr != nil {
		return nil, cerr
	}
	return res, err
}

// resumeJob serves POST /api/mc/{id}/resume: a job that stopped before
// all its runs (interrupted by a restart, or cancelled) runs again from
// the start with the same scenario, overrides, runs and seed, so it gives
// the result it would have given uninterrupted. It keeps its id; until it
// finishes it shows no result (the stopped run's partial one is dropped).
func (s *Server) resumeJob(w http.ResponseWriter, r *http.Request) {
	rec := s.loadJob(w, r)
	if rec == nil {
		return
	}
	id := rec.ID
	if rec.Status != store.JobInterrupted && rec.Status != store.JobCancelled {
		s.fail(w, r, badInput("the Monte Carlo job %d is %s: only an interrupted or cancelled job can be resumed", id, rec.Status))
		return
	}
	src, err := s.scenarioSource(r, rec.ScenarioID)
	if err != nil {
		s.fail(w, r, fmt.Errorf("the Monte Carlo job %d ran scenario #%d: %w", id, rec.ScenarioID, err))
		return
	}
	sc, err := parse(src.Name, []byte(src.Source), rec.Overrides)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if sc.Name != rec.Scenario {
		s.fail(w, r, badInput("the Monte Carlo job %d ran a scenario sent with its request, which is not stored: start it again with the same source", id))
		return
	}
	// Started stays (the store keeps a job's first start), so elapsed_ms
	// counts from it, the interruption included.
	rec.Status, rec.Done, rec.Error, rec.Result, rec.Finished = store.JobRunning, 0, "", nil, time.Time{}
	if err := s.startJob(r.Context(), rec, sc, src, false); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, viewOf(*rec, time.Now()))
}

// saveProgress writes j's progress to the store every progressEvery until
// the returned function is called.
func (s *Server) saveProgress(j *job) (stop func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				rec := j.rec
				rec.Done = int(j.done.Load())
				ctx, cancel := context.WithTimeout(context.Background(), progressEvery)
				if err := s.store.UpdateJob(ctx, &rec); err != nil {
					s.log.Warn("mc job progress not saved", "id", rec.ID, "err", err)
				}
				cancel()
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// live overlays the progress of a job running in this process on its
// stored record.
func (s *Server) live(rec store.Job) store.Job {
	s.jobs.mu.Lock()
	j := s.jobs.running[rec.ID]
	s.jobs.mu.Unlock()
	if j != nil {
		rec.Done = int(j.done.Load())
	}
	return rec
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Jobs(r.Context(), maxJobsListed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	out := make([]jobView, len(list))
	for i, rec := range list {
		out[i] = viewOf(s.live(rec), now)
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	if rec := s.loadJob(w, r); rec != nil {
		writeJSON(w, http.StatusOK, viewOf(s.live(*rec), time.Now()))
	}
}

// loadJob reads the job the path names, answering the error itself (nil
// then), as loadRun does for runs.
func (s *Server) loadJob(w http.ResponseWriter, r *http.Request) *store.Job {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	rec, err := s.store.Job(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return rec
}

// deleteJob cancels a running job (it keeps what its finished runs show)
// or deletes a finished one.
func (s *Server) deleteJob(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.jobs.mu.Lock()
	j := s.jobs.running[id]
	s.jobs.mu.Unlock()
	if j != nil {
		j.userCancelled.Store(true)
		j.cancel()
		rec := j.rec
		rec.Done = int(j.done.Load())
		writeJSON(w, http.StatusAccepted, viewOf(rec, time.Now()))
		return
	}
	if err := s.store.DeleteJob(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Close cancels Monte Carlo jobs still running, records them as
// interrupted and waits for them to stop. Call it after http.Server.Shutdown.
func (s *Server) Close() {
	s.jobs.cancel()
	s.jobs.wg.Wait()
}
