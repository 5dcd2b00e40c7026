package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/store"
)

// referenceID is the id under which the built-in reference scenario's run
// is served without being stored: GET /api/runs/0 (and its charts,
// result, report and downloads), so the page answers its question on a
// first visit, before anything has been run. Stored ids start at 1.
const referenceID = 0

// referenceRun is the reference scenario's run, simulated once per server
// (the engine is deterministic) and not stored.
type referenceRun struct {
	mu  sync.Mutex
	run *store.Run
}

// reference returns the reference's run, simulating it on first use.
func (s *Server) reference(r *http.Request) (*store.Run, error) {
	s.ref.mu.Lock()
	defer s.ref.mu.Unlock()
	if s.ref.run != nil {
		return s.ref.run, nil
	}
	st, err := s.scenarioSource(r, 0)
	if err != nil {
		return nil, err
	}
	out, err := s.inSlot(r.Context(), func() (*outcome, error) {
		return execute(st.Name, []byte(st.Source), nil, s.cfg.MaxRunWork)
	})
	if err != nil {
		return nil, err
	}
	var result bytes.Buffer
	if err := json.NewEncoder(&result).Encode(export.Build(out.res, out.sum)); err != nil {
		return nil, err
	}
	head, err := json.Marshal(headlineOf(out))
	if err != nil {
		return nil, err
	}
	s.ref.run = &store.Run{
		ID: referenceID, Name: "the reference scenario (built in, not stored)", Headline: head,
		Scenario: out.sc.Name, Source: st.Source, Inputs: inputs(out.sc),
		GWPerWeek: milestoneDate(out.sum.GWPerWeek), TenGW: milestoneDate(out.sum.OnlineGW[10]),
		FinalMW: out.sum.FinalMW, Result: result.Bytes(),
	}
	s.recent.put(referenceID, out)
	return s.ref.run, nil
}

// runByID is stored run id, or the reference's run for referenceID.
func (s *Server) runByID(r *http.Request, id int64) (*store.Run, error) {
	if id == referenceID {
		return s.reference(r)
	}
	return s.store.Run(r.Context(), id)
}
