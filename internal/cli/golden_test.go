package cli_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden compares gwf's output on the reference scenario with the files
// in testdata/golden. After an intended change to the engine or the
// outputs, rewrite them with
//
//	go test ./internal/cli -run Golden -update
//
// and review the diff before committing.
func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		file string
		args []string
		// solver names a program the command needs; the case is skipped
		// where it is not installed.
		solver string
	}{
		{file: "run.txt", args: []string{"run"}},
		{file: "run.json", args: []string{"run", "--json"}},
		{file: "mc.txt", args: []string{"mc", "--runs", "40", "--workers", "2"}},
		{file: "mc.json", args: []string{"mc", "--runs", "40", "--workers", "2", "--json"}},
		{file: "sensitivity.txt", args: []string{"sensitivity", "--workers", "2"}},
		{file: "sensitivity.json", args: []string{"sensitivity", "--workers", "2", "--json"}},
		{file: "plan.txt", args: []string{"plan", "--period", "quarter", "--no-lead-times"}, solver: "cbc"},
		{file: "plan.json", args: []string{"plan", "--period", "quarter", "--no-lead-times", "--json"}, solver: "cbc"},
		{file: "backtest.txt", args: []string{"backtest"}},
		{file: "backtest.json", args: []string{"backtest", "--json"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			if tt.solver != "" {
				if _, err := exec.LookPath(tt.solver); err != nil {
					t.Skipf("%s not installed", tt.solver)
				}
			}
			var stdout, stderr bytes.Buffer
			if code := cli.Run(tt.args, &stdout, &stderr); code != cli.ExitOK {
				t.Fatalf("gwf %s: exit code %d; stderr:\n%s", strings.Join(tt.args, " "), code, stderr.String())
			}
			path := filepath.Join("testdata", "golden", tt.file)
			got := timings.ReplaceAll(stdout.Bytes(), []byte(`"${1}_seconds": 0`))
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v\nCreate the golden files with: go test ./internal/cli -run Golden -update", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("gwf %s differs from %s: %s\nIf the change is intended, run: go test ./internal/cli -run Golden -update",
					strings.Join(tt.args, " "), path, firstDiff(want, got))
			}
		})
	}
}

// timings matches the solver's timings in plan JSON, which differ from
// run to run; the golden files hold them as 0.
var timings = regexp.MustCompile(`"(\w+)_seconds": [0-9.e+-]+`)

// firstDiff describes the first line where got differs from want.
func firstDiff(want, got []byte) string {
	wl := strings.SplitAfter(string(want), "\n")
	gl := strings.SplitAfter(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		switch {
		case i >= len(wl):
			return fmt.Sprintf("got extra line %d: %q", i+1, gl[i])
		case i >= len(gl):
			return fmt.Sprintf("got only %d lines, want line %d: %q", len(gl), i+1, wl[i])
		case wl[i] != gl[i]:
			return fmt.Sprintf("first difference at line %d\n  want: %q\n  got:  %q", i+1, wl[i], gl[i])
		}
	}
	return "no line differs"
}
