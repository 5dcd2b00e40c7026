package server

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/gwf-project/gwf/report"
)

// recentRuns keeps the outcomes of the last few runs created, so the page
// that asks for a new run's charts right after creating it gets them
// without simulating again. Older runs are re-run from their stored inputs
// (the engine is deterministic).
type recentRuns struct {
	mu    sync.Mutex
	order []int64 // oldest first
	byID  map[int64]*outcome
}

// recentKept is how many outcomes recentRuns holds (the reference's takes
// a few MB).
const recentKept = 8

func (c *recentRuns) put(id int64, out *outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[int64]*outcome{}
	}
	if _, ok := c.byID[id]; !ok {
		c.order = append(c.order, id)
	}
	c.byID[id] = out
	for len(c.order) > recentKept {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *recentRuns) get(id int64) *outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byID[id]
}

func (c *recentRuns) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byID, id)
}

// runCharts serves GET /api/runs/{id}/charts: the report's charts of a run
// as data (report.Charts), which the page draws with the chart library it
// loaded once.
func (s *Server) runCharts(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := s.recent.get(id)
	if out == nil {
		run, err := s.runByID(r, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if out, err = s.rerun(r.Context(), run); err != nil {
			s.fail(w, r, err)
			return
		}
		s.recent.put(id, out)
	}
	charts, err := report.ChartsOf(out.sc, out.res, out.sum)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=3600") // a run's charts never change
	writeCompactJSON(w, http.StatusOK, charts)
}

// writeCompactJSON writes v as JSON without indentation: for large bodies
// only a script reads.
func writeCompactJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
