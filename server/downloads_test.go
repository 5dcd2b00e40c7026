package server_test

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gwf-project/gwf/internal/cli"
	"github.com/gwf-project/gwf/server"
)

// get fetches path and returns its status, content type and body.
func get(t *testing.T, ts *httptest.Server, path string) (int, string, []byte) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// TestDownloads checks a stored run and a stored Monte Carlo job
// download as the very files gwf run and gwf mc write with --parquet.
func TestDownloads(t *testing.T) {
	ts := newServer(t, server.Config{MaxMCRuns: 100})
	if status, m := call(t, ts, "POST", "/api/runs", `{}`); status != 201 {
		t.Fatalf("run: %d %v", status, m)
	}
	c := func(method, path, body string) (int, map[string]any) { return call(t, ts, method, path, body) }
	if status, m := c("POST", "/api/mc", `{"runs": 20, "seed": 3}`); status != 202 {
		t.Fatalf("mc: %d %v", status, m)
	}
	waitJob(t, c, "1")

	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", "--parquet", filepath.Join(dir, "run")},
		{"mc", "--runs", "20", "--seed", "3", "--parquet", filepath.Join(dir, "mc")},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli.Run(args, &stdout, &stderr); code != cli.ExitOK {
			t.Fatalf("gwf %v: %d %s", args, code, stderr.String())
		}
	}
	for _, tt := range []struct{ base, dir string }{{"/api/runs/1", "run"}, {"/api/mc/1", "mc"}} {
		status, list := call(t, ts, "GET", tt.base+"/export", "")
		if status != 200 {
			t.Fatalf("GET %s/export: %d %v", tt.base, status, list)
		}
		tables := list["tables"].([]any)
		files, _ := filepath.Glob(filepath.Join(dir, tt.dir, "*.parquet"))
		if len(tables) != len(files) {
			t.Errorf("%s lists %d tables, the CLI wrote %d", tt.base, len(tables), len(files))
		}
		for _, x := range tables {
			tb := x.(map[string]any)
			name := tb["name"].(string)
			status, ctype, body := get(t, ts, tb["parquet"].(string))
			if status != 200 || ctype != "application/vnd.apache.parquet" {
				t.Errorf("%s: %d %s", tb["parquet"], status, ctype)
			}
			want, err := os.ReadFile(filepath.Join(dir, tt.dir, name+".parquet"))
			if err != nil {
				t.Error(err)
			} else if !bytes.Equal(body, want) {
				t.Errorf("%s differs from the CLI's %s.parquet (%d bytes, want %d)", tb["parquet"], name, len(body), len(want))
			}
			if status, ctype, body := get(t, ts, tb["csv"].(string)); status != 200 || ctype != "text/csv; charset=utf-8" || !bytes.HasPrefix(body, []byte("week,")) && name == "weekly" {
				t.Errorf("%s: %d %s %.40q", tb["csv"], status, ctype, body)
			}
		}
		status, _, body := get(t, ts, list["xlsx"].(string))
		if status != 200 {
			t.Fatalf("xlsx: %d %s", status, body)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("xlsx: %v", err)
		}
		if n := len(f.GetSheetList()); n != len(tables)+1 {
			t.Errorf("%s workbook has %d sheets, want %d", tt.base, n, len(tables)+1)
		}
		f.Close()
	}
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/api/runs/1/export/weekly.json", 400},
		{"/api/runs/1/export/nothing.csv", 404},
		{"/api/runs/9/export", 404},
		{"/api/mc/9/export.xlsx", 404},
	} {
		if status, _, body := get(t, ts, tt.path); status != tt.status {
			t.Errorf("GET %s: %d, want %d (%s)", tt.path, status, tt.status, body)
		}
	}
}
