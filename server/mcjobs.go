package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/store"
	"github.com/gwf-project/gwf/summary"
)

// errTooManyJobs is returned when MaxJobsAtOnce Monte Carlo jobs are running.
var errTooManyJobs = errors.New("too many Monte Carlo jobs running; wait for one to finish or cancel one")

// maxJobsKept bounds the finished jobs remembered (jobs live in memory
// only; runs are what the database keeps).
const maxJobsKept = 100

// job is one Monte Carlo study in progress or done.
type job struct {
	id      int64
	runs    int
	seed    int64
	name    string
	started time.Time
	cancel  context.CancelFunc
	done    atomic.Int64

	mu       sync.Mutex
	status   string // running, done, cancelled, failed
	err      string
	finished time.Time
	result   *mcSummary
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

// mcSummary is what the API shows of a finished study.
type mcSummary struct {
	Scenario   string        `json:"scenario"`
	Completed  int           `json:"completed"`
	Milestones []mcMilestone `json:"milestones"`
	ByTarget   int           `json:"runs_reaching_target_by_date"`
	Never      int           `json:"runs_never_reaching_1gw_per_week"`
}

// jobView is a job as the API shows it.
type jobView struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Status    string     `json:"status"`
	Runs      int        `json:"runs"`
	Done      int64      `json:"done"`
	Seed      int64      `json:"seed"`
	Started   time.Time  `json:"started"`
	ElapsedMS int64      `json:"elapsed_ms"`
	Error     string     `json:"error,omitempty"`
	Result    *mcSummary `json:"result,omitempty"`
}

func (j *job) view() jobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	end := j.finished
	if end.IsZero() {
		end = time.Now()
	}
	return jobView{ID: j.id, Name: j.name, Status: j.status, Runs: j.runs, Done: j.done.Load(), Seed: j.seed,
		Started: j.started, ElapsedMS: end.Sub(j.started).Milliseconds(), Error: j.err, Result: j.result}
}

// jobs holds the Monte Carlo jobs of a server.
type jobs struct {
	ctx    context.Context // cancelled by Server.Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	next    int64
	byID    map[int64]*job
	running int
}

func newJobs() *jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobs{ctx: ctx, cancel: cancel, byID: map[int64]*job{}}
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
	if js.running >= s.cfg.MaxJobsAtOnce {
		js.mu.Unlock()
		s.fail(w, r, errTooManyJobs)
		return
	}
	js.running++
	js.next++
	ctx, cancel := context.WithCancel(js.ctx)
	j := &job{id: js.next, runs: req.Runs, seed: seed, name: name, started: time.Now(), cancel: cancel, status: "running"}
	js.byID[j.id] = j
	js.forget()
	js.mu.Unlock()

	workers := max(1, runtime.GOMAXPROCS(0)/s.cfg.MaxJobsAtOnce)
	js.wg.Go(func() {
		defer cancel()
		res, err := mc.Run(ctx, sc, mc.Config{Runs: req.Runs, Seed: seed, Workers: workers, Progress: func(done int) {
			// Progress is called from several workers; keep the largest.
			for {
				old := j.done.Load()
				if int64(done) <= old || j.done.CompareAndSwap(old, int64(done)) {
					return
				}
			}
		}})
		j.mu.Lock()
		j.finished = time.Now()
		switch {
		case errors.Is(err, context.Canceled):
			j.status = "cancelled"
		case err != nil:
			j.status, j.err = "failed", err.Error()
		default:
			j.status = "done"
		}
		if res != nil {
			j.result = summarize(res)
		}
		j.mu.Unlock()
		js.mu.Lock()
		js.running--
		js.mu.Unlock()
		s.log.Info("mc job finished", "id", j.id, "status", j.status, "runs", req.Runs, "elapsed", time.Since(j.started))
	})
	s.log.Info("mc job started", "id", j.id, "runs", req.Runs, "seed", seed)
	writeJSON(w, http.StatusAccepted, j.view())
}

// forget drops the oldest finished jobs beyond maxJobsKept; js.mu is held.
func (js *jobs) forget() {
	if len(js.byID) <= maxJobsKept {
		return
	}
	ids := make([]int64, 0, len(js.byID))
	for id := range js.byID {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for _, id := range ids {
		if len(js.byID) <= maxJobsKept {
			return
		}
		j := js.byID[id]
		j.mu.Lock()
		running := j.status == "running"
		j.mu.Unlock()
		if !running {
			delete(js.byID, id)
		}
	}
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
	out := &mcSummary{Scenario: res.Scenario, Completed: res.Completed, ByTarget: res.ByTarget, Never: res.Never.Runs}
	ms := []mc.Milestone{res.GWPerWeek}
	labels := []string{"1 GW/week"}
	for i, m := range res.OnlineGW {
		ms = append(ms, m)
		labels = append(labels, formatGW(summary.OnlineMilestonesGW[i])+" GW online")
	}
	for i, m := range ms {
		label := m.Label
		if label == "" {
			label = labels[i]
		}
		out.Milestones = append(out.Milestones, mcMilestone{Label: label, Reached: m.Reached, Share: share(m.Reached), P10: date(m.P10), P50: date(m.P50), P90: date(m.P90)})
	}
	return out
}

func formatGW(gw int) string { return strconv.Itoa(gw) }

func notFound(what string, id int64) error {
	return fmt.Errorf("%s %d: %w", what, id, store.ErrNotFound)
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	s.jobs.mu.Lock()
	list := make([]*job, 0, len(s.jobs.byID))
	for _, j := range s.jobs.byID {
		list = append(list, j)
	}
	s.jobs.mu.Unlock()
	sort.Slice(list, func(a, b int) bool { return list[a].id > list[b].id })
	out := make([]jobView, len(list))
	for i, j := range list {
		out[i] = j.view()
		out[i].Result = nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
}

func (s *Server) findJob(w http.ResponseWriter, r *http.Request) *job {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	s.jobs.mu.Lock()
	j := s.jobs.byID[id]
	s.jobs.mu.Unlock()
	if j == nil {
		s.fail(w, r, notFound("Monte Carlo job", id))
		return nil
	}
	return j
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	if j := s.findJob(w, r); j != nil {
		writeJSON(w, http.StatusOK, j.view())
	}
}

// deleteJob cancels a running job (it keeps what its finished runs show)
// or forgets a finished one.
func (s *Server) deleteJob(w http.ResponseWriter, r *http.Request) {
	j := s.findJob(w, r)
	if j == nil {
		return
	}
	j.mu.Lock()
	running := j.status == "running"
	j.mu.Unlock()
	if running {
		j.cancel()
		writeJSON(w, http.StatusAccepted, j.view())
		return
	}
	s.jobs.mu.Lock()
	delete(s.jobs.byID, j.id)
	s.jobs.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Close cancels Monte Carlo jobs still running and waits for them to stop.
// Call it after http.Server.Shutdown.
func (s *Server) Close() {
	s.jobs.cancel()
	s.jobs.wg.Wait()
}
