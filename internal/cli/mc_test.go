package cli_test

import (
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
)

func TestMCExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", badScenario)
	baddist := writeFile(t, dir, "baddist.yaml", "base: reference\nresources:\n  grid:\n    lead_time: {dist: uniform, min: 7 years, max: 3 years}\n")
	certain := writeFile(t, dir, "certain.yaml", "base: reference\nproject:\n  pue: \"1.2\"\n  stages:\n    construction:\n      duration: 60 weeks\nresources:\n"+
		"  cowos_packaging: {capacity: 80000 wafers/month, growth: 40%/year}\n  hbm: {growth: 50%/year}\n  grid: {lead_time: 4 years}\n"+
		"  gas_turbines: {lead_time: 3.5 years, growth: 15%/year}\n  engines: {lead_time: 70 weeks}\n  transformers: {lead_time: 120 weeks}\n  switchgear: {lead_time: 75 weeks}\n")
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
