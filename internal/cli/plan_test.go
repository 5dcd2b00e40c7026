package cli_test

import (
	"os/exec"
	"path/filepath"
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
		{[]string{"plan", "--expansion-block", "-1"}, 2},
		{[]string{"plan", "--expansion-block", "5"}, 2},
		{[]string{"plan", "--expansion-block", "nosuchline=5"}, 2},
		{[]string{"plan", "--expansion-block", "steps"}, 2},
		{[]string{"plan", "--time-limit", "-1s"}, 2},
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

// A plan made for another scenario or horizon, or a file that is not a
// plan, is bad input: exit 2, for run and mc alike.
func TestRunPlanRefusesMismatch(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc not installed (apt-get install coinor-cbc)")
	}
	dir := t.TempDir()
	sc := writeFile(t, dir, "small.yaml", "base: reference\nname: small\nhorizon: 104 weeks\n")
	out := filepath.Join(dir, "plan.yaml")
	if code, _, errs := run(t, "plan", sc, "--period", "quarter", "--out", out); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, errs)
	}
	if code, stdout, errs := run(t, "run", sc, "--plan", out); code != 0 || !strings.Contains(stdout, "Plan vs simulated") {
		t.Fatalf("run --plan on its own scenario: exit %d: %s", code, errs)
	}
	other := writeFile(t, dir, "other.yaml", "base: reference\nname: small\nhorizon: 156 weeks\n")
	notPlan := writeFile(t, dir, "notplan.yaml", "name: x\n")
	for _, args := range [][]string{
		{"run", "--plan", out},        // the reference: another scenario
		{"run", other, "--plan", out}, // another horizon
		{"mc", "--runs", "2", "--plan", out},
		{"run", sc, "--plan", notPlan}, // not a plan
		{"run", sc, "--plan", filepath.Join(dir, "missing.yaml")},
	} {
		if code, _, errs := run(t, args...); code != 2 || !strings.Contains(errs, "--plan") {
			t.Errorf("gwf %s: exit %d (%s), want 2 naming --plan", strings.Join(args, " "), code, errs)
		}
	}
}

// --max-work bounds the work of one run: the reference (about 1.1 million
// project-weeks) is refused under a budget of 1,000, with the flag named,
// and a budget that is not positive is bad input.
func TestMaxWork(t *testing.T) {
	code, _, errs := run(t, "run", "--max-work", "1000")
	if code != 2 || !strings.Contains(errs, "over the budget of 1000") || !strings.Contains(errs, "--max-work") {
		t.Errorf("run under a budget of 1000: exit %d, stderr %q; want 2, the budget and the flag named", code, errs)
	}
	if code, _, errs := run(t, "run", "--max-work", "0"); code != 2 || !strings.Contains(errs, "--max-work: not positive") {
		t.Errorf("--max-work 0: exit %d, stderr %q; want 2", code, errs)
	}
	if code, _, errs := run(t, "run", "--max-work", "2e6", "--json"); code != 0 {
		t.Errorf("the reference under 2 million project-weeks: exit %d (%s), want 0", code, errs)
	}
}

// gwf serve's NATS flags refuse negative counts before anything starts.
func TestServeNATSFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--nats", "embedded", "--local-workers", "-1"},
		{"serve", "--nats", "embedded", "--mc-chunk-runs", "-5"},
	} {
		if code, _, errs := run(t, args...); code != 2 || !strings.Contains(errs, "must not be negative") {
			t.Errorf("gwf %s: exit %d (%s), want 2", strings.Join(args, " "), code, errs)
		}
	}
}
