package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/plan"
)

// FuzzParse feeds plan files to plan.Parse: it never panics, an error
// names the file, and a plan it accepts writes back (Marshal) to bytes it
// reads again to the same plan.
func FuzzParse(f *testing.F) {
	f.Add([]byte("scenario: s\nperiod: month\nstart_date: \"2026-01-05\"\nhorizon_weeks: 52\nperiods: []\n"))
	f.Add([]byte("scenario: s\nperiods:\n  - period: 0\n    label: 2026-01\n    online_mw: 10\n"))
	f.Add([]byte("unknown: 1\n"))
	f.Add([]byte(""))
	f.Add([]byte("periods: [{online_mw: .nan}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pl, err := plan.Parse("plan.yaml", b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "plan.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		out, err := pl.Marshal()
		if err != nil {
			t.Fatalf("marshal of a parsed plan: %v", err)
		}
		back, err := plan.Parse("again.yaml", out)
		if err != nil {
			t.Fatalf("a plan's own bytes do not parse: %v\n%s", err, out)
		}
		again, err := back.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("round trip changed the plan:\n%s\nthen\n%s", out, again)
		}
	})
}
