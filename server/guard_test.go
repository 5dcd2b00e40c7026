package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/server"
)

// send makes one request with the given headers and returns its status,
// headers and body.
func send(t *testing.T, c *http.Client, method, url, body string, hdr map[string]string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestHostileRequests is what a page on another site, or a DNS name rebound
// to 127.0.0.1, could make a visitor's browser send: each is refused before
// it reaches a handler, and nothing is stored.
func TestHostileRequests(t *testing.T) {
	ts := newServer(t, server.Config{})
	json := map[string]string{"Content-Type": "application/json"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{"Content-Type": "application/json"}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		want                     string
	}{
		{"foreign host (DNS rebinding)", "GET", "/api/runs", "", map[string]string{"Host": "evil.example:8080"}, 421, "not one this server answers to"},
		{"foreign host on a POST", "POST", "/api/runs", "{}", with(map[string]string{"Host": "rebind.attacker.test"}), 421, "host"},
		{"localhost by name", "GET", "/api/runs", "", map[string]string{"Host": "localhost:1234"}, 200, "runs"},
		{"cross-site origin", "POST", "/api/runs", "{}", with(map[string]string{"Origin": "https://evil.example"}), 403, "origin"},
		{"other local port is another site", "POST", "/api/runs", "{}", with(map[string]string{"Origin": "http://127.0.0.1:1"}), 403, "origin"},
		{"null origin", "DELETE", "/api/runs/1", "", map[string]string{"Origin": "null"}, 403, "origin"},
		{"cross-site fetch without origin", "POST", "/api/mc", `{"runs":10}`, with(map[string]string{"Sec-Fetch-Site": "cross-site"}), 403, "cross-site"},
		{"text/plain body", "POST", "/api/runs", "{}", map[string]string{"Content-Type": "text/plain"}, 415, "application/json"},
		{"form body", "POST", "/api/mc", "runs=10", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"multipart body", "POST", "/api/scenarios", "--x--", map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 415, "application/json"},
		{"no content type", "PATCH", "/api/runs/1", `{"name":"x"}`, nil, 415, "application/json"},
		{"directory listing", "GET", "/static/", "", nil, 404, ""},
		{"directory listing without slash", "GET", "/static", "", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := send(t, ts.Client(), tt.method, ts.URL+tt.path, tt.body, tt.hdr)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%s %s: %d %q, want %d with %q", tt.method, tt.path, status, body, tt.status, tt.want)
			}
			if strings.Contains(body, "app.js") {
				t.Errorf("%s %s lists a directory: %s", tt.method, tt.path, body)
			}
		})
	}
	status, _, body := send(t, ts.Client(), "GET", ts.URL+"/api/runs", "", nil)
	if status != 200 || strings.Contains(body, `"id"`) {
		t.Errorf("a refused request stored a run: %d %s", status, body)
	}
	// The app's own page may: same origin, JSON.
	status, _, body = send(t, ts.Client(), "POST", ts.URL+"/api/runs", "{}", with(map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}))
	if status != 201 {
		t.Errorf("same-origin JSON POST: %d %s, want 201", status, body)
	}
	// curl sends no Origin.
	if status, _, body := send(t, ts.Client(), "POST", ts.URL+"/api/runs", "{}", json); status != 201 {
		t.Errorf("POST without Origin: %d %s, want 201", status, body)
	}
}

func TestAllowedHosts(t *testing.T) {
	ts := newServer(t, server.Config{AllowedHosts: []string{"gwf.example.org"}})
	for _, tt := range []struct {
		host   string
		status int
	}{
		{"gwf.example.org", 200},
		{"GWF.example.org:8443", 200},
		{"other.example.org", 421},
		{"127.0.0.1", 200},
	} {
		if status, _, body := send(t, ts.Client(), "GET", ts.URL+"/api/runs", "", map[string]string{"Host": tt.host}); status != tt.status {
			t.Errorf("Host %s: %d %s, want %d", tt.host, status, body, tt.status)
		}
	}
	status, _, body := send(t, ts.Client(), "POST", ts.URL+"/api/runs", "{}", map[string]string{"Content-Type": "application/json", "Origin": "https://gwf.example.org"})
	if status != 201 {
		t.Errorf("POST from an allowed origin: %d %s, want 201", status, body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newServer(t, server.Config{})
	call(t, ts, "POST", "/api/runs", `{}`)
	for _, path := range []string{"/", "/api/runs", "/static/app.js", "/runs/1/report", "/nowhere", "/favicon.ico"} {
		_, h, _ := send(t, ts.Client(), "GET", ts.URL+path, "", nil)
		for k, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "SAMEORIGIN",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": "frame-ancestors 'self'",
		} {
			if got := h.Get(k); !strings.Contains(got, want) {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, want)
			}
		}
	}
	_, h, _ := send(t, ts.Client(), "GET", ts.URL+"/", "", nil)
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline'; img") && strings.Contains(csp, "script-src 'unsafe-inline'") {
		t.Errorf("app CSP allows inline scripts: %s", csp)
	}
	_, h, _ = send(t, ts.Client(), "GET", ts.URL+"/runs/1/report", "", nil)
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("report CSP = %q, want default-src 'none'", csp)
	}
	status, h, body := send(t, ts.Client(), "GET", ts.URL+"/favicon.ico", "", nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "image/") || len(body) < 100 {
		t.Errorf("GET /favicon.ico: %d %s, %d bytes; want an image", status, h.Get("Content-Type"), len(body))
	}
}
