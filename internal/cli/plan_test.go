package cli_test

import (
	"os/exec"
	"strings"
	"testing"
)

func TestPlanExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"plan", "--period", "year"}, 2},
		{[]string{"plan", "--target-rate", "-1"}, 2},
		{[]string{"plan", "a.yaml", "b.yaml"}, 2},
	} {
		if code, _, errs := run(t, tc.args...); code != tc.code {
			t.Errorf("gwf %s: exit %d, want %d (%s)", strings.Join(tc.args, " "), code, tc.code, errs)
		}
	}
}

func TestPlanReferenceMeetsNothingBeforeLeadTimes(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	code, out, errs := run(t, "plan", "--period", "quarter")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "the target cannot be met") {
		t.Errorf("the reference's 1 GW/week ramp from 2026 is not met in its first years; got:\n%s", out)
	}
}
