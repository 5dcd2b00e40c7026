package server_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/gwf-project/gwf/internal/cli"
	"github.com/gwf-project/gwf/server"
)

// waitJob polls a job until it leaves "running".
func waitJob(t *testing.T, call func(method, path, body string) (int, map[string]any), id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		status, m := call("GET", "/api/mc/"+id, "")
		if status != 200 {
			t.Fatalf("GET job: %d %v", status, m)
		}
		if m["status"] != "running" {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("job did not finish in 30 s")
	return nil
}

func TestMonteCarloJobs(t *testing.T) {
	ts := newServer(t, server.Config{MaxMCRuns: 1000, MaxJobsAtOnce: 1})
	c := func(method, path, body string) (int, map[string]any) { return call(t, ts, method, path, body) }

	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"no runs", `{}`, 400},
		{"too many runs", `{"runs": 1001}`, 400},
		{"bad override", `{"runs": 10, "overrides": {"project.size": "banana"}}`, 422},
		{"missing scenario", `{"runs": 10, "scenario_id": 7}`, 404},
		{"unknown field", `{"runs": 10, "workers": 64}`, 400},
	} {
		if status, m := c("POST", "/api/mc", tt.body); status != tt.status {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, status, tt.status, m)
		}
	}

	status, m := c("POST", "/api/mc", `{"runs": 40, "seed": 7}`)
	if status != 202 || m["status"] != "running" {
		t.Fatalf("start: %d %v", status, m)
	}
	m = waitJob(t, c, "1")
	if m["status"] != "done" || m["done"] != 40.0 {
		t.Fatalf("job = %v", m)
	}
	res := m["result"].(map[string]any)
	if res["completed"] != 40.0 || res["milestones"].(map[string]any)["gw_per_week"] == nil {
		t.Errorf("result = %v", res)
	}
	if status, m := c("GET", "/api/mc", ""); status != 200 || len(m["jobs"].([]any)) != 1 {
		t.Errorf("list: %d %v", status, m)
	}
	if status, _ := c("GET", "/api/mc/9", ""); status != 404 {
		t.Errorf("missing job: %d", status)
	}

	// One job at a time: a second start while one runs is refused; cancel
	// stops the first.
	if status, m := c("POST", "/api/mc", `{"runs": 1000}`); status != 202 {
		t.Fatalf("start long job: %d %v", status, m)
	}
	if status, m := c("POST", "/api/mc", `{"runs": 10}`); status != 429 {
		t.Errorf("second job at once: %d %v, want 429", status, m)
	}
	if status, _ := c("DELETE", "/api/mc/2", ""); status != 202 {
		t.Errorf("cancel: %d, want 202", status)
	}
	m = waitJob(t, c, "2")
	if m["status"] != "cancelled" {
		t.Errorf("after cancel: %v, want cancelled", m["status"])
	}
	if res, _ := m["result"].(map[string]any); res == nil || res["partial"] != true || res["completed"].(float64) >= 1000 {
		t.Errorf("cancelled job's result is not marked partial: %v", m["result"])
	}
	if status, _ := c("DELETE", "/api/mc/2", ""); status != 204 {
		t.Errorf("forget finished job: %d, want 204", status)
	}
}

// TestCloseStopsJobs checks shutdown does not wait for a long study.
func TestCloseStopsJobs(t *testing.T) {
	st := openStore(t)
	app := server.New(server.Config{Store: st})
	ts := httptest.NewServer(app)
	defer ts.Close()
	if status, m := call(t, ts, "POST", "/api/mc", `{"runs": 10000}`); status != 202 {
		t.Fatalf("start: %d %v", status, m)
	}
	start := time.Now()
	app.Close()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
	_, m := call(t, ts, "GET", "/api/mc/1", "")
	if m["status"] != "interrupted" || m["error"] == nil {
		t.Errorf("after Close: status %v, want interrupted with a reason", m["status"])
	}
	// A new server on the same database still knows the job, and gives
	// the next job a new id.
	app2 := server.New(server.Config{Store: st})
	ts2 := httptest.NewServer(app2)
	defer func() { ts2.Close(); app2.Close() }()
	if _, m := call(t, ts2, "GET", "/api/mc", ""); len(m["jobs"].([]any)) != 1 {
		t.Errorf("after restart jobs = %v, want the interrupted one", m["jobs"])
	}
	if status, m := call(t, ts2, "DELETE", "/api/mc/1", ""); status != 204 {
		t.Fatalf("delete: %d %v", status, m)
	}
	if status, m := call(t, ts2, "POST", "/api/mc", `{"runs": 5}`); status != 202 || m["id"] != 2.0 {
		t.Errorf("next job: %d id %v, want id 2 (never reuse an id)", status, m["id"])
	}
}

// TestJobResultIsCLIJSON checks a Monte Carlo job's result is the JSON gwf
// mc --json prints for the same study: one shape for one result.
func TestJobResultIsCLIJSON(t *testing.T) {
	ts := newServer(t, server.Config{MaxMCRuns: 100})
	c := func(method, path, body string) (int, map[string]any) { return call(t, ts, method, path, body) }
	if status, m := c("POST", "/api/mc", `{"runs": 30, "seed": 11}`); status != 202 {
		t.Fatalf("start: %d %v", status, m)
	}
	job := waitJob(t, c, "1")
	if job["status"] != "done" {
		t.Fatalf("job = %v", job)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Run([]string{"mc", "--runs", "30", "--seed", "11", "--json"}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("gwf mc: exit %d: %s", code, stderr.String())
	}
	var want any
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	got := job["result"]
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		t.Errorf("the job's result differs from gwf mc --json:\n got %.400s\nwant %.400s", g, stdout.String())
	}
}

// TestResumeInterruptedJob stops a server with a job running, starts
// another on the same database and resumes the job: it runs again with the
// same inputs and seed, under the same id, and gives the result a job of
// the same study that was never interrupted gives.
func TestResumeInterruptedJob(t *testing.T) {
	st := openStore(t)
	app := server.New(server.Config{Store: st})
	ts := httptest.NewServer(app)
	const body = `{"runs": 300, "seed": 5, "overrides": {"project.size": "400 MW"}}`
	if status, m := call(t, ts, "POST", "/api/mc", body); status != 202 {
		t.Fatalf("start: %d %v", status, m)
	}
	app.Close()
	ts.Close()

	app2 := server.New(server.Config{Store: st})
	ts2 := httptest.NewServer(app2)
	defer func() { ts2.Close(); app2.Close() }()
	c := func(method, path, body string) (int, map[string]any) { return call(t, ts2, method, path, body) }
	if _, m := c("GET", "/api/mc/1", ""); m["status"] != "interrupted" {
		t.Fatalf("after restart: %v, want interrupted", m["status"])
	}
	if status, m := c("POST", "/api/mc/9/resume", ""); status != 404 {
		t.Errorf("resume of no job: %d %v, want 404", status, m)
	}
	// The same study, never interrupted.
	if status, m := c("POST", "/api/mc", body); status != 202 || m["id"] != 2.0 {
		t.Fatalf("second job: %d %v", status, m)
	}
	want := waitJob(t, c, "2")
	if status, m := c("POST", "/api/mc/2/resume", ""); status != 400 {
		t.Errorf("resume of a finished job: %d %v, want 400", status, m)
	}
	status, m := c("POST", "/api/mc/1/resume", "")
	if status != 202 || m["status"] != "running" || m["id"] != 1.0 || m["seed"] != 5.0 {
		t.Fatalf("resume: %d %v", status, m)
	}
	got := waitJob(t, c, "1")
	if got["status"] != "done" || got["done"] != 300.0 || got["error"] != nil {
		t.Fatalf("resumed job = status %v, done %v, error %v; want done, 300", got["status"], got["done"], got["error"])
	}
	if !reflect.DeepEqual(got["result"], want["result"]) || !reflect.DeepEqual(got["overrides"], want["overrides"]) {
		g, _ := json.Marshal(got["result"])
		w, _ := json.Marshal(want["result"])
		t.Errorf("resumed job differs from the uninterrupted one:\n got %.300s\nwant %.300s", g, w)
	}
}
