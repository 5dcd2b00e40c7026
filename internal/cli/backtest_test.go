package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
)

func TestBacktestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"year without a case", []string{"backtest", "--from", "2019"}, cli.ExitBadInput, "no backtest starts in 2019"},
		{"year not a number", []string{"backtest", "--from", "soon"}, cli.ExitBadInput, `invalid argument "soon"`},
		{"argument", []string{"backtest", "extra"}, cli.ExitBadInput, `unknown command "extra"`},
		{"fit and scenario", []string{"backtest", "--fit", "--scenario"}, cli.ExitBadInput, "cannot be used together"},
		{"bad flag", []string{"backtest", "--frm", "2022"}, cli.ExitBadInput, "unknown flag"},
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

// The JSON report is one object whose rows carry both figures and the errors.
func TestBacktestJSON(t *testing.T) {
	code, stdout, stderr := run(t, "backtest", "--json", "--from", "2023")
	if code != cli.ExitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	var rep struct {
		Case string `json:"case"`
		Rows []struct {
			Series    string   `json:"series"`
			Recorded  float64  `json:"recorded"`
			Simulated float64  `json:"simulated"`
			AbsError  float64  `json:"abs_error"`
			PctError  float64  `json:"pct_error"`
			Sample    string   `json:"sample"`
			Low       *float64 `json:"low"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, stdout)
	}
	if rep.Case != "from-2023" || len(rep.Rows) == 0 {
		t.Fatalf("case %q with %d rows", rep.Case, len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if d := r.Simulated - r.Recorded - r.AbsError; d > 1e-3*r.Recorded || d < -1e-3*r.Recorded {
			t.Errorf("%s: abs_error %g is not simulated %g − recorded %g", r.Series, r.AbsError, r.Simulated, r.Recorded)
		}
		if r.Sample != "in" && r.Sample != "out" {
			t.Errorf("%s: sample %q", r.Series, r.Sample)
		}
	}
}
