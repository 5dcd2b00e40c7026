package cli_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
	}{
		{"run.txt", []string{"run"}},
		{"run.json", []string{"run", "--json"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := cli.Run(tt.args, &stdout, &stderr); code != cli.ExitOK {
				t.Fatalf("gwf %s: exit code %d; stderr:\n%s", strings.Join(tt.args, " "), code, stderr.String())
			}
			path := filepath.Join("testdata", "golden", tt.file)
			got := stdout.Bytes()
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
