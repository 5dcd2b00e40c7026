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

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/store"
	"github.com/gwf-project/gwf/summary"
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

// mcMilestone is the spread of one milestone's date over the runs.
type mcMilestone struct {
	Label   string  `json:"label"`
	Reached int     `json:"reached"` // runs reaching it within the horizon
	Share   float64 `json:"share"`
	P10     string  `json:"p10,omitempty"` // "" when that share never reaches it
	P50     string  `json:"p50,omitempty"`
	P90     string  `json:"p90,omitempty"`
}

// fanPoint is one week of the fan chart: GW online, P10/P50/P90 over runs.
type fanPoint struct {
	Date string  `json:"date"`
	P10  float64 `json:"p10_gw"`
	P50  float64 `json:"p50_gw"`
	P90  float64 `json:"p90_gw"`
}

// mcSummary is what the API shows of a study, finished or stopped.
type mcSummary struct {
	Scenario  string `json:"scenario"`
	Runs      int    `json:"runs"`
	Completed int    `json:"completed"`
	// Partial is set when the study stopped before all its runs finished:
	// every figure is over Completed runs only.
	Partial    bool          `json:"partial"`
	TargetRate string        `json:"target_rate"` // "1 GW/week"
	TargetBy   string        `json:"target_by"`
	Inputs     int           `json:"uncertain_inputs"` // values drawn in each run
	Events     int           `json:"events"`           // events that may happen in each run
	Milestones []mcMilestone `json:"milestones"`
	ByTarget   int           `json:"runs_reaching_target_by_date"`
	// OddsByTarget is ByTarget ÷ Completed: the odds of sustaining the
	// target rate by the target date.
	OddsByTarget float64    `json:"odds_by_target"`
	Never        int        `json:"runs_never_reaching_target"`
	NeverShort   []string   `json:"never_short,omitempty"` // what bound in those runs, most first
	Fan          []fanPoint `json:"fan"`                   // GW online, every fourth week
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

	js := s.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	if len(js.running) >= s.cfg.MaxJobsAtOnce {
		s.fail(w, r, errTooManyJobs)
		return
	}
	rec := store.Job{Name: name, Status: store.JobRunning, Runs: req.Runs, Seed: seed, Scenario: sc.Name,
		ScenarioID: src.ID, Overrides: req.Overrides, Started: time.Now().UTC()}
	if err := s.store.CreateJob(r.Context(), &rec); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, cancel := context.WithCancel(js.ctx)
	j := &job{rec: rec, cancel: cancel}
	js.running[rec.ID] = j

	workers := max(1, runtime.GOMAXPROCS(0)/s.cfg.MaxJobsAtOnce)
	js.wg.Go(func() {
		defer cancel()
		stopProgress := s.saveProgress(j)
		res, err := mc.Run(ctx, sc, mc.Config{Runs: req.Runs, Seed: seed, Workers: workers, Progress: func(done int) {
			// Progress is called from several workers; keep the largest.
			for {
				old := j.done.Load()
				if int64(done) <= old || j.done.CompareAndSwap(old, int64(done)) {
					return
				}
			}
		}})
		stopProgress()
		final := j.rec
		final.Finished = time.Now().UTC()
		final.Done = int(j.done.Load())
		switch {
		case errors.Is(err, context.Canceled) && j.userCancelled.Load():
			final.Status = store.JobCancelled
		case errors.Is(err, context.Canceled):
			final.Status, final.Error = store.JobInterrupted, "the server stopped while the job ran; start it again"
		case err != nil:
			final.Status, final.Error = store.JobFailed, err.Error()
		default:
			final.Status = store.JobDone
		}
		if res != nil {
			final.Done = res.Completed
			if b, err := json.Marshal(summarize(res)); err == nil {
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
		s.log.Info("mc job finished", "id", final.ID, "status", final.Status, "runs", req.Runs, "completed", final.Done, "elapsed", time.Since(final.Started))
	})
	s.log.Info("mc job started", "id", rec.ID, "runs", req.Runs, "seed", seed)
	writeJSON(w, http.StatusAccepted, viewOf(rec, time.Now()))
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

func summarize(res *mc.Result) *mcSummary {
	date := func(wk int) string {
		if wk < 0 {
			return ""
		}
		return res.Start.AddDate(0, 0, 7*wk).Format("2006-01-02")
	}
	share := func(n int) float64 {
		if res.Completed == 0 {
			return 0
		}
		return float64(n) / float64(res.Completed)
	}
	rate := summary.RateLabel(res.RateMW)
	out := &mcSummary{Scenario: res.Scenario, Runs: res.Runs, Completed: res.Completed, Partial: res.Completed < res.Runs,
		TargetRate: rate, Inputs: res.Inputs, Events: res.Events,
		ByTarget: res.ByTarget, OddsByTarget: share(res.ByTarget), Never: res.Never.Runs, Fan: []fanPoint{}}
	if res.TargetWeek >= 0 {
		out.TargetBy = date(res.TargetWeek)
	}
	for _, l := range res.Never.Short {
		out.NeverShort = append(out.NeverShort, l.Line)
	}
	ms := []mc.Milestone{res.GWPerWeek, res.FirstQuarter}
	labels := []string{rate + " sustained", "First quarter at " + rate}
	for i, m := range res.OnlineGW {
		ms = append(ms, m)
		labels = append(labels, fmt.Sprint(summary.OnlineMilestonesGW[i])+" GW online")
	}
	for i, m := range ms {
		label := m.Label
		if label == "" || i == 0 {
			label = labels[i]
		}
		out.Milestones = append(out.Milestones, mcMilestone{Label: label, Reached: m.Reached, Share: share(m.Reached), P10: date(m.P10), P50: date(m.P50), P90: date(m.P90)})
	}
	for w := 0; w < len(res.Online); w += 4 {
		b := res.Online[w]
		out.Fan = append(out.Fan, fanPoint{Date: date(w), P10: b.P10 / 1000, P50: b.P50 / 1000, P90: b.P90 / 1000})
	}
	return out
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
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.store.Job(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(s.live(*rec), time.Now()))
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
