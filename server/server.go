package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/internal/jsonout"
	"github.com/gwf-project/gwf/store"
)

// Config sets a Server's collaborators and bounds. Zero fields take the
// defaults below.
type Config struct {
	Store store.Store
	Log   *slog.Logger
	// Token, when set, must be sent as "Authorization: Bearer TOKEN" (or
	// once as ?token=TOKEN, which sets a cookie) for everything but /healthz.
	Token string
	// AllowedHosts are the host names (without port) the server answers to
	// besides loopback names (localhost, 127.0.0.1, ::1); "*" allows any.
	// A request naming another host is refused, so a DNS name rebound to
	// the server's address cannot reach it from a browser.
	AllowedHosts []string

	MaxBodyBytes   int64         // request body; default scenario.MaxFileSize + 64 KiB
	RequestTimeout time.Duration // per request; default 30 s
	// MaxRunsAtOnce is how many simulations run at once; default
	// GOMAXPROCS − 1 (at least 1), so a core is left for reads: with every
	// core simulating, listings waited behind runs (p95 200 ms under load,
	// docs/performance.md). Runs beyond it queue for SlotWait.
	MaxRunsAtOnce int
	// SlotWait is how long a request waits for a simulation slot before
	// it is answered 429 with Retry-After; default 10 s.
	SlotWait      time.Duration
	MaxListed     int // runs listed; default 500
	MaxMCRuns     int // runs in one Monte Carlo job; default 10,000
	MaxJobsAtOnce int // Monte Carlo jobs running at once; default 2
	// MaxRunWork bounds one run's estimated project-weeks (see package
	// budget); default budget.ServerRun. MaxStudyWork bounds a Monte Carlo
	// job's runs × that; default budget.ServerStudy.
	MaxRunWork   float64
	MaxStudyWork float64
	// NATS, when set, runs Monte Carlo jobs on the workers pulling from
	// its JetStream work queue (gwf worker --nats URL; see package queue)
	// instead of in this process, in chunks of MCChunkRuns runs (default
	// queue.DefaultMCChunkRuns). Results are the same byte for byte.
	NATS        *nats.Conn
	MCChunkRuns int
}

// Server is the web app and API. Create one with New.
type Server struct {
	cfg     Config
	log     *slog.Logger
	store   store.Store
	running chan struct{} // semaphore of simulations in progress
	handler http.Handler
	jobs    *jobs
	recent  recentRuns // outcomes of the last runs created, for their charts
	ref     referenceRun
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Store == nil {
		panic("server.New: nil Store")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = defaultMaxBody
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.MaxRunsAtOnce <= 0 {
		cfg.MaxRunsAtOnce = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if cfg.SlotWait <= 0 {
		cfg.SlotWait = 10 * time.Second
	}
	if cfg.MaxListed <= 0 {
		cfg.MaxListed = 500
	}
	if cfg.MaxMCRuns <= 0 {
		cfg.MaxMCRuns = 10_000
	}
	if cfg.MaxJobsAtOnce <= 0 {
		cfg.MaxJobsAtOnce = 2
	}
	if cfg.MaxRunWork <= 0 {
		cfg.MaxRunWork = budget.ServerRun
	}
	if cfg.MaxStudyWork <= 0 {
		cfg.MaxStudyWork = budget.ServerStudy
	}
	s := &Server{cfg: cfg, log: cfg.Log, store: cfg.Store, running: make(chan struct{}, cfg.MaxRunsAtOnce), jobs: newJobs()}
	assetsOnce() // hash and compress the static files before the first request
	s.handler = s.routes()
	return s
}

// acquire takes a simulation slot, waiting at most Config.SlotWait (and
// never past ctx): errBusy when none frees up. inSlot takes and releases
// it around a simulation.
func (s *Server) acquire(ctx context.Context) error {
	select {
	case s.running <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(s.cfg.SlotWait)
	defer t.Stop()
	select {
	case s.running <- struct{}{}:
		return nil
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inSlot runs a simulation, f, in a simulation slot (acquire), releasing
// it after; a slot that does not free up is acquire's error.
func (s *Server) inSlot(ctx context.Context, f func() (*outcome, error)) (*outcome, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.running }()
	return f()
}

// rerun simulates a stored run again in a slot: the engine is
// deterministic, so this is the run's own outcome.
func (s *Server) rerun(ctx context.Context, run *store.Run) (*outcome, error) {
	return s.inSlot(ctx, func() (*outcome, error) {
		out, err := execute(run.Scenario+".yaml", []byte(run.Source), run.Overrides, s.cfg.MaxRunWork)
		if err != nil {
			return nil, fmt.Errorf("run %d no longer runs: %w", run.ID, err)
		}
		return out, nil
	})
}

// ServeHTTP serves the app.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)

	api := http.NewServeMux()
	api.HandleFunc("GET /api/scenarios", s.listScenarios)
	api.HandleFunc("POST /api/scenarios", s.createScenario)
	api.HandleFunc("GET /api/scenarios/{id}", s.getScenario)
	api.HandleFunc("DELETE /api/scenarios/{id}", s.deleteScenario)
	api.HandleFunc("GET /api/runs", s.listRuns)
	api.HandleFunc("POST /api/runs", s.createRun)
	api.HandleFunc("GET /api/runs/{id}", s.getRun)
	api.HandleFunc("PATCH /api/runs/{id}", s.renameRun)
	api.HandleFunc("DELETE /api/runs/{id}", s.deleteRun)
	api.HandleFunc("GET /api/runs/{id}/result", s.runResult)
	api.HandleFunc("GET /api/runs/{id}/charts", s.runCharts)
	api.HandleFunc("GET /api/runs/{id}/export", s.listDownloads(s.runTables))
	api.HandleFunc("GET /api/runs/{id}/export/{file}", s.downloadTable(s.runTables))
	api.HandleFunc("GET /api/runs/{id}/export.xlsx", s.downloadXLSX(s.runTables))
	api.HandleFunc("GET /api/compare", s.compare)
	api.HandleFunc("GET /api/mc", s.listJobs)
	api.HandleFunc("POST /api/mc", s.createJob)
	api.HandleFunc("GET /api/mc/{id}", s.getJob)
	api.HandleFunc("DELETE /api/mc/{id}", s.deleteJob)
	api.HandleFunc("POST /api/mc/{id}/resume", s.resumeJob)
	api.HandleFunc("GET /api/mc/{id}/export", s.listDownloads(s.jobTables))
	api.HandleFunc("GET /api/mc/{id}/export/{file}", s.downloadTable(s.jobTables))
	api.HandleFunc("GET /api/mc/{id}/export.xlsx", s.downloadXLSX(s.jobTables))
	api.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errNoRoute)
	})
	api.HandleFunc("GET /runs/{id}/report", s.runReport)
	api.HandleFunc("GET /{$}", s.page)
	api.HandleFunc("GET /static/v/{file}", serveVersioned)
	api.Handle("GET /static/", http.StripPrefix("/static", staticFiles(staticFS())))
	api.Handle("GET /favicon.ico", staticFiles(staticFS()))

	timeout := http.TimeoutHandler(api, s.cfg.RequestTimeout, `{"error":"request timed out"}`)
	mux.Handle("/", s.authorize(s.limitBody(compress(timeout))))
	return s.logRequests(s.guard(mux))
}

// errNoRoute answers unknown API paths with a JSON 404.
var errNoRoute = errors.New("no such API route (see docs/api.md)")

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.store.(interface{ Ping(context.Context) error }); ok {
		if err := p.Ping(r.Context()); err != nil {
			s.log.Error("healthz", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		h.ServeHTTP(w, r)
	})
}

const tokenCookie = "gwf_token"

func (s *Server) authorize(h http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return h
	}
	want := []byte(s.cfg.Token)
	ok := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), want) == 1 }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bearer, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found && ok(bearer) {
			h.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(tokenCookie); err == nil && ok(c.Value) {
			h.ServeHTTP(w, r)
			return
		}
		if q := r.URL.Query().Get("token"); q != "" && ok(q) {
			http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: q, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="gwf"`)
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "missing or wrong bearer token (send Authorization: Bearer TOKEN)"})
	})
}

// statusRecorder remembers the status a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

// apiError is the body of every error answer.
type apiError struct {
	Error  string      `json:"error"`
	Errors []errorItem `json:"errors,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	jsonout.Write(w, v)
}
