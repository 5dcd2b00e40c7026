package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gwf-project/gwf/server"
	"github.com/gwf-project/gwf/store"
)

// newServer returns a test server over a fresh SQLite file.
func newServer(t testing.TB, cfg server.Config) *httptest.Server {
	t.Helper()
	cfg.Store = openStore(t)
	app := server.New(cfg)
	ts := httptest.NewServer(app)
	t.Cleanup(func() { ts.Close(); app.Close() })
	return ts
}

func openStore(t testing.TB) *store.SQLite {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "gwf.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// call sends a request and decodes a JSON answer into a map (or nil).
func call(t *testing.T, ts *httptest.Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, raw)
		}
	}
	return resp.StatusCode, m
}

func TestRoutes(t *testing.T) {
	ts := newServer(t, server.Config{})
	upload := `{"name":"small","source":"base: reference\nname: small\ntarget:\n  rate: 500 MW/week\n"}`
	tests := []struct {
		name, method, path, body string
		status                   int
		check                    func(t *testing.T, m map[string]any)
	}{
		{"healthz", "GET", "/healthz", "", 200, hasField("status", "ok")},
		{"list scenarios has reference", "GET", "/api/scenarios", "", 200, func(t *testing.T, m map[string]any) {
			if l := m["scenarios"].([]any); len(l) != 1 || l[0].(map[string]any)["name"] != "reference" {
				t.Errorf("scenarios = %v", l)
			}
		}},
		{"get reference", "GET", "/api/scenarios/0", "", 200, func(t *testing.T, m map[string]any) {
			if len(m["key_numbers"].([]any)) < 3 || m["target_by"] == "" {
				t.Errorf("reference view = %v", m)
			}
		}},
		{"upload scenario", "POST", "/api/scenarios", upload, 201, hasField("id", 1.0)},
		{"upload invalid scenario", "POST", "/api/scenarios", `{"source":"base: reference\nname: x\nproject:\n  sise: 3 MW\n"}`, 422, hasScenarioError("upload.yaml:4:")},
		{"upload empty source", "POST", "/api/scenarios", `{"source":""}`, 400, nil},
		{"upload unknown field", "POST", "/api/scenarios", `{"sauce":"x"}`, 400, nil},
		{"upload not JSON", "POST", "/api/scenarios", `name: x`, 400, nil},
		{"get uploaded", "GET", "/api/scenarios/1", "", 200, hasField("name", "small")},
		{"get missing scenario", "GET", "/api/scenarios/99", "", 404, nil},
		{"get bad id", "GET", "/api/scenarios/abc", "", 400, nil},
		{"run reference", "POST", "/api/runs", `{}`, 201, func(t *testing.T, m map[string]any) {
			if m["id"] != 1.0 || m["scenario"] != "reference" || m["ten_gw_online_date"] == "" {
				t.Errorf("run = %v", m)
			}
		}},
		{"run with override", "POST", "/api/runs", `{"overrides":{"target.rate":"2 GW/week"}}`, 201, hasField("name", "reference (target.rate=2 GW/week)")},
		{"run uploaded", "POST", "/api/runs", `{"scenario_id":1,"name":"mine"}`, 201, hasField("name", "mine")},
		{"run source", "POST", "/api/runs", `{"source":"base: reference\nname: inline\n"}`, 201, hasField("scenario", "inline")},
		{"run bad override value", "POST", "/api/runs", `{"overrides":{"project.size":"banana"}}`, 422, hasScenarioError("overrides:3:9: project.size:")},
		{"run bad override path", "POST", "/api/runs", `{"overrides":{"Project Size":"3 MW"}}`, 422, hasScenarioError("Project Size")},
		{"run unknown override field", "POST", "/api/runs", `{"overrides":{"project.sise":"3 MW"}}`, 422, hasScenarioError("project.sise")},
		{"run override conflict", "POST", "/api/runs", `{"overrides":{"target":"1","target.rate":"2 GW/week"}}`, 422, nil},
		{"run multi-line override", "POST", "/api/runs", `{"overrides":{"target.rate":"2 GW/week\nx: 1"}}`, 422, nil},
		{"run missing scenario", "POST", "/api/runs", `{"scenario_id":99}`, 404, nil},
		{"run id and source", "POST", "/api/runs", `{"scenario_id":1,"source":"name: x"}`, 400, nil},
		{"run bad YAML", "POST", "/api/runs", `{"source":"name: [unclosed"}`, 422, nil},
		{"run base file", "POST", "/api/runs", `{"source":"base: other.yaml\nname: x\n"}`, 400, nil},
		{"list runs", "GET", "/api/runs", "", 200, func(t *testing.T, m map[string]any) {
			if l := m["runs"].([]any); len(l) != 4 {
				t.Errorf("got %d runs, want 4", len(l))
			}
		}},
		{"get run", "GET", "/api/runs/2", "", 200, func(t *testing.T, m map[string]any) {
			if m["overrides"].(map[string]any)["target.rate"] != "2 GW/week" {
				t.Errorf("run 2 = %v", m)
			}
		}},
		{"get missing run", "GET", "/api/runs/99", "", 404, nil},
		{"run result", "GET", "/api/runs/1/result", "", 200, func(t *testing.T, m map[string]any) {
			if m["scenario"] != "reference" || m["weekly"] == nil {
				t.Errorf("result lacks scenario/weekly: %v keys", len(m))
			}
		}},
		{"missing run result", "GET", "/api/runs/99/result", "", 404, nil},
		{"rename run", "PATCH", "/api/runs/1", `{"name":"baseline"}`, 200, hasField("name", "baseline")},
		{"rename to empty", "PATCH", "/api/runs/1", `{"name":""}`, 400, nil},
		{"rename missing", "PATCH", "/api/runs/99", `{"name":"x"}`, 404, nil},
		{"compare", "GET", "/api/compare?a=1&b=2", "", 200, func(t *testing.T, m map[string]any) {
			d := m["differences"].([]any)
			if len(d) != 1 || d[0].(map[string]any)["path"] != "target.rate" || d[0].(map[string]any)["b"] != "2 GW/week" {
				t.Errorf("differences = %v", d)
			}
		}},
		{"compare missing", "GET", "/api/compare?a=1&b=99", "", 404, nil},
		{"compare bad", "GET", "/api/compare?a=1", "", 400, nil},
		{"unknown API route", "GET", "/api/nope", "", 404, nil},
		{"wrong method", "PUT", "/api/runs", "", 404, nil},
		{"delete run", "DELETE", "/api/runs/4", "", 204, nil},
		{"delete run again", "DELETE", "/api/runs/4", "", 404, nil},
		{"delete scenario", "DELETE", "/api/scenarios/1", "", 204, nil},
		{"delete reference", "DELETE", "/api/scenarios/0", "", 400, nil},
		{"delete missing scenario", "DELETE", "/api/scenarios/1", "", 404, nil},
		{"run still there after its scenario is deleted", "GET", "/api/runs/3", "", 200, hasField("name", "mine")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := call(t, ts, tt.method, tt.path, tt.body)
			if status != tt.status {
				t.Fatalf("%s %s: status %d, want %d; body %v", tt.method, tt.path, status, tt.status, m)
			}
			if status >= 400 && tt.path != "/api/runs" && tt.method != "PUT" {
				if _, ok := m["error"].(string); !ok {
					t.Errorf("error answer without \"error\": %v", m)
				}
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func hasField(key string, want any) func(*testing.T, map[string]any) {
	return func(t *testing.T, m map[string]any) {
		t.Helper()
		if m[key] != want {
			t.Errorf("%s = %v, want %v (body %v)", key, m[key], want, m)
		}
	}
}

func hasScenarioError(want string) func(*testing.T, map[string]any) {
	return func(t *testing.T, m map[string]any) {
		t.Helper()
		errs, _ := m["errors"].([]any)
		for _, e := range errs {
			if strings.Contains(e.(map[string]any)["message"].(string), want) {
				return
			}
		}
		t.Errorf("no error containing %q in %v", want, m)
	}
}

func TestPages(t *testing.T) {
	ts := newServer(t, server.Config{})
	call(t, ts, "POST", "/api/runs", `{}`)
	for _, tt := range []struct {
		path, want string
		status     int
	}{
		{"/", `id="run-form"`, 200},
		{"/static/app.js", "async function api", 200},
		{"/static/app.css", "body", 200},
		{"/runs/1/report", "<html", 200},
		{"/runs/9/report", "not found", 404},
		{"/nowhere", "", 404},
	} {
		resp, err := ts.Client().Get(ts.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s: %d, want %d with %q", tt.path, resp.StatusCode, tt.status, tt.want)
		}
		if strings.Contains(string(body), "https://") && strings.HasSuffix(tt.path, "report") {
			// The report may cite sources by URL, but must load no script from the network.
			if strings.Contains(string(body), `<script src="http`) {
				t.Errorf("GET %s loads a script from the network", tt.path)
			}
		}
	}
}

func TestLimits(t *testing.T) {
	t.Run("body too large", func(t *testing.T) {
		ts := newServer(t, server.Config{MaxBodyBytes: 1 << 10})
		body := `{"source":"` + strings.Repeat("#", 2<<10) + `"}`
		status, m := call(t, ts, "POST", "/api/scenarios", body)
		if status != http.StatusRequestEntityTooLarge || m["error"] == nil {
			t.Errorf("status %d, body %v; want 413 with error", status, m)
		}
	})
	t.Run("scenario too large", func(t *testing.T) {
		ts := newServer(t, server.Config{})
		body := `{"source":"base: reference\nname: big\n` + strings.Repeat("#", 4<<20+1) + `"}`
		status, m := call(t, ts, "POST", "/api/runs", body)
		if status != http.StatusBadRequest || !strings.Contains(m["error"].(string), "larger than") {
			t.Errorf("status %d, body %v; want 400 too large", status, m)
		}
	})
	t.Run("too many overrides", func(t *testing.T) {
		ts := newServer(t, server.Config{})
		ov := map[string]string{}
		for i := range 100 {
			ov["x"+strings.Repeat("a", i)] = "1"
		}
		b, _ := json.Marshal(map[string]any{"overrides": ov})
		status, _ := call(t, ts, "POST", "/api/runs", string(b))
		if status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
	})
	t.Run("work budget", func(t *testing.T) {
		ts := newServer(t, server.Config{})
		start := time.Now()
		for _, tt := range []struct{ path, body string }{
			{"/api/runs", `{"overrides":{"horizon":"50 years","project.size":"1 MW"}}`},
			{"/api/mc", `{"runs":10,"overrides":{"horizon":"50 years","project.size":"1 MW"}}`},
			{"/api/mc", `{"runs":10000,"overrides":{"horizon":"20 years","project.size":"100 MW"}}`},
		} {
			status, m := call(t, ts, "POST", tt.path, tt.body)
			msg, _ := m["error"].(string)
			if status != http.StatusBadRequest || !strings.Contains(msg, "project-weeks, over the budget") {
				t.Errorf("POST %s %s: %d %v, want 400 naming the budget", tt.path, tt.body, status, m)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("refusing took %v: the budget must be checked before running", d)
		}
		if _, m := call(t, ts, "GET", "/api/runs", ""); len(m["runs"].([]any)) != 0 {
			t.Errorf("a refused run was stored: %v", m)
		}
	})
	t.Run("request timeout", func(t *testing.T) {
		ts := newServer(t, server.Config{RequestTimeout: time.Nanosecond})
		status, _ := call(t, ts, "POST", "/api/runs", `{}`)
		if status != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", status)
		}
	})
}

func TestToken(t *testing.T) {
	ts := newServer(t, server.Config{Token: "s3cret"})
	get := func(path, auth string) int {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tt := range []struct {
		path, auth string
		want       int
	}{
		{"/healthz", "", 200},
		{"/api/runs", "", 401},
		{"/api/runs", "Bearer wrong", 401},
		{"/api/runs", "Bearer s3cret", 200},
		{"/", "", 401},
		{"/?token=s3cret", "", 200},
	} {
		if got := get(tt.path, tt.auth); got != tt.want {
			t.Errorf("GET %s with %q: %d, want %d", tt.path, tt.auth, got, tt.want)
		}
	}
}

// TestListRunsPages checks GET /api/runs?limit=&before=: newest first,
// next_before while more may follow, and bad parameters refused.
func TestListRunsPages(t *testing.T) {
	ts := newServer(t, server.Config{MaxListed: 3})
	for range 4 {
		if status, m := call(t, ts, "POST", "/api/runs", `{}`); status != 201 {
			t.Fatalf("create: %d %v", status, m)
		}
	}
	ids := func(m map[string]any) string {
		var out []string
		for _, r := range m["runs"].([]any) {
			out = append(out, fmt.Sprint(r.(map[string]any)["id"]))
		}
		return strings.Join(out, ",") + fmt.Sprintf(" next=%v", m["next_before"])
	}
	for _, tt := range []struct{ query, want string }{
		{"", "4,3,2 next=2"}, // the default, capped at MaxListed
		{"?limit=2", "4,3 next=3"},
		{"?limit=2&before=3", "2,1 next=1"},
		{"?limit=2&before=1", " next=<nil>"},
		{"?before=3", "2,1 next=<nil>"},
	} {
		status, m := call(t, ts, "GET", "/api/runs"+tt.query, "")
		if status != 200 {
			t.Errorf("GET /api/runs%s: %d %v", tt.query, status, m)
			continue
		}
		if got := ids(m); got != tt.want {
			t.Errorf("GET /api/runs%s = %s, want %s", tt.query, got, tt.want)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=4", "?limit=x", "?before=0", "?before=-1"} {
		if status, _ := call(t, ts, "GET", "/api/runs"+q, ""); status != 400 {
			t.Errorf("GET /api/runs%s: %d, want 400", q, status)
		}
	}
}

// The built-in reference is served as run 0 without being stored, so the
// page answers at once on a first visit: its run, result and charts, while
// the list of stored runs stays empty.
func TestReferenceIsRunZero(t *testing.T) {
	ts := newServer(t, server.Config{})
	code, run := call(t, ts, http.MethodGet, "/api/runs/0", "")
	if code != http.StatusOK || run["id"] != float64(0) || run["ten_gw_online_date"] == "" || run["headline"] == nil {
		t.Fatalf("GET /api/runs/0: %d %v; want 200, id 0, dates and a headline", code, run)
	}
	if code, _ := call(t, ts, http.MethodGet, "/api/runs/0/charts", ""); code != http.StatusOK {
		t.Errorf("GET /api/runs/0/charts: %d, want 200", code)
	}
	code, list := call(t, ts, http.MethodGet, "/api/runs", "")
	if runs, _ := list["runs"].([]any); code != http.StatusOK || len(runs) != 0 {
		t.Errorf("GET /api/runs after viewing the reference: %d, %d runs; want 200 and none stored", code, len(runs))
	}
	if code, _ := call(t, ts, http.MethodDelete, "/api/runs/0", ""); code != http.StatusNotFound {
		t.Errorf("DELETE /api/runs/0: %d, want 404 (not stored)", code)
	}
}
