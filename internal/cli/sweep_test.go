package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
)

func runGWF(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeStudy(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "study.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gwf sweep prints one CSV row per cell; sharded and merged it prints the
// same bytes.
func TestSweepCommand(t *testing.T) {
	p := writeStudy(t, "base: reference\nruns: 6\nchunk_runs: 4\naxes:\n  - path: target.rate\n    values: [0.5 GW/week, 1 GW/week]\n")
	code, full, stderr := runGWF("sweep", p)
	if code != 0 || strings.Count(full, "\n") != 3 || !strings.HasPrefix(full, "cell,target.rate,runs,") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, full, stderr)
	}
	dir := t.TempDir()
	var dirs []string
	for _, i := range []string{"0", "1", "2"} {
		d := filepath.Join(dir, i)
		if code, _, stderr := runGWF("sweep", p, "--shard", i+"/3", "--out", d); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", i, code, stderr)
		}
		dirs = append(dirs, d)
	}
	code, merged, stderr := runGWF(append([]string{"sweep", "merge", "--out", filepath.Join(dir, "merged")}, dirs...)...)
	if code != 0 || merged != full {
		t.Errorf("merge: exit %d %s\n%s\nwant\n%s", code, stderr, merged, full)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "merged", "report.html")); err != nil || !bytes.Contains(b, []byte(`id="cells"`)) {
		t.Errorf("no report: %v", err)
	}
}

func TestSweepBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args func(p string) []string
		src  string
		want string
	}{
		{"wrong unit", func(p string) []string { return []string{"sweep", p} }, "axes:\n  - path: target.rate\n    values: [2 weeks]\n", "study.yaml:3:14: target.rate"},
		{"bad shard", func(p string) []string { return []string{"sweep", p, "--shard", "4/4", "--out", "x"} }, "axes:\n  - path: target.rate\n    values: [1 GW/week]\n", "--shard"},
		{"no such file", func(string) []string { return []string{"sweep", "nowhere.yaml"} }, "", "no such study file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeStudy(t, tc.src)
			code, _, stderr := runGWF(tc.args(p)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}
