package cli_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
	"github.com/gwf-project/gwf/scenario"
)

func TestMCExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", badScenario)
	baddist := writeFile(t, dir, "baddist.yaml", "base: reference\nresources:\n  grid:\n    lead_time: {dist: uniform, min: 7 years, max: 3 years}\n")
	certain := writeFile(t, dir, "certain.yaml", withoutDistributions(string(scenario.ReferenceSource())))
	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"bad scenario", []string{"mc", bad}, cli.ExitBadInput, "bad.yaml:4:3: project.sise: unknown field"},
		{"bad distribution", []string{"mc", baddist}, cli.ExitBadInput, "baddist.yaml:4:37: resources.grid.lead_time.min: min not below max"},
		{"zero runs", []string{"mc", "--runs", "0"}, cli.ExitBadInput, "--runs 0"},
		{"negative workers", []string{"mc", "--workers", "-1"}, cli.ExitBadInput, "--workers -1"},
		{"bad flag", []string{"mc", "--runz", "3"}, cli.ExitBadInput, "unknown flag"},
		{"sensitivity bad distribution", []string{"sensitivity", baddist}, cli.ExitBadInput, "min not below max"},
		{"sensitivity without distributions", []string{"sensitivity", certain}, cli.ExitBadInput, "no values written as distributions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout not empty:\n%s", stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

// distValue matches a distribution written in flow style and the parameter
// a single value stands in for: a triangular's mode, a lognormal's median,
// a normal's mean, a uniform's min.
var distValue = regexp.MustCompile(`\{dist: (?:triangular, min: [^,]+, mode: ([^,]+), max: [^,]+|lognormal, median: ([^,]+), p90: [^,]+|normal, mean: ([^,]+), std: [^,]+|uniform, min: ([^,]+), max: [^,]+),`)

// withoutDistributions is a scenario text with each distribution replaced
// by one of its values.
func withoutDistributions(src string) string {
	return distValue.ReplaceAllStringFunc(src, func(m string) string {
		g := distValue.FindStringSubmatch(m)
		for _, v := range g[1:] {
			if v != "" {
				return "{value: " + v + ","
			}
		}
		return m
	})
}
