package sweep_test

import (
	"strings"
	"testing"

	"github.com/gwf-project/gwf/sweep"
)

// FuzzParse feeds study files to sweep.Parse: it never panics, and an
// error names the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte("base: reference\nruns: 2\naxes:\n  - path: project.size\n    sample: {from: 100 MW, to: 600 MW}\nlatin_hypercube: 3\n"))
	f.Add([]byte("base: reference\naxes:\n  - path: target.rate\n    range: {from: 1 GW/week, to: 0 GW/week, step: 0 GW/week}\n"))
	f.Add([]byte("runs: -1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := sweep.Parse("study.yaml", b, noFiles)
		if err != nil {
			if !strings.Contains(err.Error(), "study.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(s.Cells) == 0 || len(s.Cells) > sweep.MaxCells {
			t.Fatalf("%d cells accepted", len(s.Cells))
		}
	})
}
