package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/store"
)

// defaultMaxBody leaves room for a largest scenario, JSON-escaped, and the
// rest of the request.
const defaultMaxBody = 2*scenario.MaxFileSize + 64<<10

const maxNameLength = 200

// decode reads one JSON object from r's body into v, refusing unknown
// fields and trailing data.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return badInput("request body is empty (want a JSON object)")
		}
		return badInput("request body is not valid JSON: %v", err)
	}
	if dec.More() {
		return badInput("request body has data after the JSON object")
	}
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 0 {
		return 0, badInput("id %q is not a number", r.PathValue("id"))
	}
	return id, nil
}

func checkName(name string) error {
	if len(name) > maxNameLength || strings.ContainsAny(name, "\n\r") {
		return badInput("name: want one line of at most %d characters", maxNameLength)
	}
	return nil
}

// scenarioSource returns the stored scenario id, or the reference for 0.
func (s *Server) scenarioSource(r *http.Request, id int64) (*store.Scenario, error) {
	if id == 0 {
		return &store.Scenario{ID: 0, Name: scenario.ReferenceName, Source: string(scenario.ReferenceSource())}, nil
	}
	return s.store.Scenario(r.Context(), id)
}

// keyNumber is one of the numbers the page offers to edit.
type keyNumber struct {
	Path  string  `json:"path"`
	Label string  `json:"label"`
	Unit  string  `json:"unit"`
	Value float64 `json:"value"` // in Unit
	Text  string  `json:"text"`  // as written in the scenario
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Step  float64 `json:"step"`
}

// keyNumbers are the page's form fields, each with its unit and the factor
// from the scenario's canonical unit.
var keyNumbers = []struct {
	keyNumber
	scale float64
}{
	{keyNumber{Path: "target.rate", Label: "Target build rate", Unit: "GW/week", Min: 0.1, Max: 5, Step: 0.05}, 1e-3},
	{keyNumber{Path: "target.initial_rate", Label: "Build rate at start", Unit: "GW/week", Min: 0, Max: 1, Step: 0.01}, 1e-3},
	{keyNumber{Path: "project.size", Label: "Campus project size", Unit: "MW", Min: 50, Max: 2000, Step: 10}, 1},
	{keyNumber{Path: "horizon", Label: "Horizon", Unit: "weeks", Min: 52, Max: 1040, Step: 1}, 1},
}

func keysOf(sc *scenario.Scenario) []keyNumber {
	byPath := map[string]*scenario.Value{}
	for _, e := range sc.Entries() {
		if e.Value != nil {
			byPath[e.Path] = e.Value
		}
	}
	out := []keyNumber{}
	for _, k := range keyNumbers {
		v, ok := byPath[k.Path]
		if !ok {
			continue
		}
		kn := k.keyNumber
		kn.Value = v.V * k.scale
		kn.Text = v.Text
		out = append(out, kn)
	}
	return out
}

// scenarioView is a scenario as the API shows it.
type scenarioView struct {
	store.Scenario
	Description string      `json:"description,omitempty"`
	TargetBy    string      `json:"target_by,omitempty"`
	Keys        []keyNumber `json:"key_numbers,omitempty"`
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Scenarios(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref := store.Scenario{ID: 0, Name: scenario.ReferenceName}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": append([]store.Scenario{ref}, list...)})
}

type createScenarioRequest struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

func (s *Server) createScenario(w http.ResponseWriter, r *http.Request) {
	var req createScenarioRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := checkName(req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.TrimSpace(req.Source) == "" {
		s.fail(w, r, badInput("source: want the scenario's YAML"))
		return
	}
	file := req.Name
	if file == "" {
		file = "upload.yaml"
	}
	sc, err := parse(file, []byte(req.Source), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Name == "" {
		req.Name = sc.Name
	}
	st := &store.Scenario{Name: req.Name, Source: req.Source}
	if err := s.store.CreateScenario(r.Context(), st); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("scenario stored", "id", st.ID, "name", st.Name)
	writeJSON(w, http.StatusCreated, s.view(st, sc))
}

func (s *Server) view(st *store.Scenario, sc *scenario.Scenario) scenarioView {
	return scenarioView{Scenario: *st, Description: strings.TrimSpace(sc.Description), TargetBy: sc.Target.By.String(), Keys: keysOf(sc)}
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.scenarioSource(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := parse(st.Name, []byte(st.Source), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.view(st, sc))
}

func (s *Server) deleteScenario(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if id == 0 {
		s.fail(w, r, badInput("the reference scenario is built in and cannot be deleted"))
		return
	}
	if err := s.store.DeleteScenario(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// createRunRequest asks for one run: of a stored scenario (scenario_id; 0 or
// absent for the reference) or of YAML sent along (source), with key numbers
// overridden by field path.
type createRunRequest struct {
	Name       string            `json:"name"`
	ScenarioID int64             `json:"scenario_id"`
	Source     string            `json:"source"`
	Overrides  map[string]string `json:"overrides"`
}

// runView is a run as the API shows it.
type runView struct {
	store.Run
	ElapsedMS float64 `json:"elapsed_ms,omitempty"`
}

func (s *Server) createRun(w http.ResponseWriter, r *http.Request) {
	var req createRunRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := checkName(req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.requestSource(r, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var elapsed time.Duration
	out, err := s.inSlot(r.Context(), func() (*outcome, error) {
		start := time.Now()
		defer func() { elapsed = time.Since(start) }()
		return execute(st.Name, []byte(st.Source), req.Overrides, s.cfg.MaxRunWork)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var result bytes.Buffer
	if err := json.NewEncoder(&result).Encode(export.Build(out.res, out.sum)); err != nil {
		s.fail(w, r, err)
		return
	}
	head, err := json.Marshal(headlineOf(out))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	run := &store.Run{
		Headline:   head,
		Name:       req.Name,
		ScenarioID: st.ID,
		Scenario:   out.sc.Name,
		Source:     st.Source,
		Overrides:  req.Overrides,
		Inputs:     inputs(out.sc),
		GWPerWeek:  milestoneDate(out.sum.GWPerWeek),
		TenGW:      milestoneDate(out.sum.OnlineGW[10]),
		FinalMW:    out.sum.FinalMW,
		Result:     result.Bytes(),
	}
	if run.Name == "" {
		run.Name = defaultRunName(out.sc.Name, req.Overrides)
	}
	if err := s.store.CreateRun(r.Context(), run); err != nil {
		s.fail(w, r, err)
		return
	}
	s.recent.put(run.ID, out)
	s.log.Info("run stored", "id", run.ID, "scenario", run.Scenario, "overrides", len(run.Overrides), "sim", elapsed)
	writeJSON(w, http.StatusCreated, runView{Run: *run, ElapsedMS: float64(elapsed.Microseconds()) / 1000})
}

// requestSource is the scenario a run or job request starts from.
func (s *Server) requestSource(r *http.Request, req createRunRequest) (*store.Scenario, error) {
	if req.Source != "" {
		if req.ScenarioID != 0 {
			return nil, badInput("give scenario_id or source, not both")
		}
		return &store.Scenario{Name: "request.yaml", Source: req.Source}, nil
	}
	return s.scenarioSource(r, req.ScenarioID)
}

func defaultRunName(scenarioName string, overrides map[string]string) string {
	if len(overrides) == 0 {
		return scenarioName
	}
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + overrides[k]
	}
	name := scenarioName + " (" + strings.Join(parts, ", ") + ")"
	if len(name) > maxNameLength {
		name = name[:maxNameLength-1] + "…"
	}
	return name
}

// defaultListed is how many runs GET /api/runs lists without ?limit=.
const defaultListed = 100

// listRuns serves GET /api/runs?limit=N&before=ID: up to N runs (default
// 100, at most Config.MaxListed) with ids below ID, newest first, and
// next_before, the before= of the next page, while there may be one.
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, before := min(defaultListed, s.cfg.MaxListed), int64(0)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > s.cfg.MaxListed {
			s.fail(w, r, badInput("limit %s: want a number from 1 to %d", quoteShort(v), s.cfg.MaxListed))
			return
		}
		limit = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.fail(w, r, badInput("before %s: want a run id", quoteShort(v)))
			return
		}
		before = n
	}
	list, err := s.runsPage(r.Context(), before, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := map[string]any{"runs": list}
	if len(list) == limit {
		page["next_before"] = list[len(list)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
}

// runsPage lists a page of runs, newest first (store.RunPager).
func (s *Server) runsPage(ctx context.Context, before int64, limit int) ([]store.Run, error) {
	return s.store.RunsBefore(ctx, before, limit)
}

func (s *Server) loadRun(w http.ResponseWriter, r *http.Request) *store.Run {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	run, err := s.runByID(r, id)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return run
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	if run := s.loadRun(w, r); run != nil {
		writeJSON(w, http.StatusOK, runView{Run: *run})
	}
}

func (s *Server) runResult(w http.ResponseWriter, r *http.Request) {
	if run := s.loadRun(w, r); run != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(run.Result)
	}
}

func (s *Server) renameRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := checkName(req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.TrimSpace(req.Name) == "" {
		s.fail(w, r, badInput("name: want a name"))
		return
	}
	if err := s.store.RenameRun(r.Context(), id, req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	run, err := s.store.Run(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, runView{Run: *run})
}

func (s *Server) deleteRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.recent.forget(id)
	if err := s.store.DeleteRun(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// difference is one input that differs between two runs.
type difference struct {
	Path string `json:"path"`
	A    string `json:"a"`
	B    string `json:"b"`
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	var runs [2]*store.Run
	for i, key := range []string{"a", "b"} {
		id, err := strconv.ParseInt(r.URL.Query().Get(key), 10, 64)
		if err != nil {
			s.fail(w, r, badInput("query parameter %s: want a run id", key))
			return
		}
		if runs[i], err = s.store.Run(r.Context(), id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"a":           runView{Run: *runs[0]},
		"b":           runView{Run: *runs[1]},
		"differences": diffInputs(runs[0].Inputs, runs[1].Inputs),
	})
}

// diffInputs lists the paths whose values differ, sorted by path; a value
// missing on one side is "".
func diffInputs(a, b map[string]string) []difference {
	out := []difference{}
	for p, va := range a {
		if vb := b[p]; vb != va {
			out = append(out, difference{p, va, vb})
		}
	}
	for p, vb := range b {
		if _, ok := a[p]; !ok {
			out = append(out, difference{p, "", vb})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// runReport re-runs a stored run (the engine is deterministic, so this gives
// the run's own result) and writes its HTML report.
func (s *Server) runReport(w http.ResponseWriter, r *http.Request) {
	run := s.loadRun(w, r)
	if run == nil {
		return
	}
	out, err := s.rerun(r.Context(), run)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := reportHTML(&buf, out); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Write(buf.Bytes())
}
