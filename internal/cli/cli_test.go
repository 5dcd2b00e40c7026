package cli_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/internal/cli"
)

// run calls cli.Run with fresh buffers and returns the exit code and both
// streams.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const badScenario = `base: reference
name: typo
project:
  sise: 300 MW
`

func TestRunReferenceExitsOK(t *testing.T) {
	code, stdout, stderr := run(t, "run")
	if code != cli.ExitOK {
		t.Fatalf("gwf run: exit code %d, want %d; stderr:\n%s", code, cli.ExitOK, stderr)
	}
	if stderr != "" {
		t.Errorf("gwf run: stderr not empty:\n%s", stderr)
	}
	for _, want := range []string{"1 GW/week", "Online IT capacity", "Binding constraint by quarter", "Largest shortfalls"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("gwf run: stdout lacks %q", want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", badScenario)
	good := writeFile(t, dir, "good.yaml", "base: reference\nname: good\n")
	existing := writeFile(t, dir, "existing.yaml", "base: reference\nname: mine\n")
	notADir := writeFile(t, dir, "file", "")
	missing := filepath.Join(dir, "missing.yaml")

	tests := []struct {
		name string
		args []string
		want int
		// stderr must contain this.
		stderr string
	}{
		{name: "run reference", args: []string{"run"}, want: cli.ExitOK},
		{name: "run good file", args: []string{"run", good}, want: cli.ExitOK},
		{name: "validate good file", args: []string{"validate", good}, want: cli.ExitOK},
		{name: "version", args: []string{"version"}, want: cli.ExitOK},
		{name: "help", args: []string{"--help"}, want: cli.ExitOK},

		{name: "run bad scenario", args: []string{"run", bad}, want: cli.ExitBadInput, stderr: "bad.yaml:4:3: project.sise: unknown field"},
		{name: "run bad scenario --json", args: []string{"run", "--json", bad}, want: cli.ExitBadInput, stderr: "bad.yaml:4:3: project.sise: "},
		{name: "show bad scenario", args: []string{"scenario", "show", bad}, want: cli.ExitBadInput, stderr: "bad.yaml:4:3: project.sise: "},
		{
			name: "validate bad scenario", args: []string{"validate", bad}, want: cli.ExitBadInput, stderr: "bad.yaml:4:3: project.sise: ",
		},
		{name: "run missing file", args: []string{"run", missing}, want: cli.ExitBadInput, stderr: "missing.yaml: no such file"},
		{
			name: "validate missing file", args: []string{"validate", missing}, want: cli.ExitBadInput, stderr: "missing.yaml: no such file",
		},
		{name: "unknown flag", args: []string{"run", "--no-such-flag"}, want: cli.ExitBadInput, stderr: "unknown flag: --no-such-flag"},
		{name: "bad flag value", args: []string{"run", "--seed", "many"}, want: cli.ExitBadInput, stderr: "invalid argument"},
		{name: "too many args", args: []string{"run", good, good}, want: cli.ExitBadInput, stderr: "accepts at most 1 arg(s), received 2"},
		{name: "version with args", args: []string{"version", "extra"}, want: cli.ExitBadInput},
		{name: "validate without files", args: []string{"validate"}, want: cli.ExitBadInput, stderr: "requires at least 1 arg(s)"},
		{name: "init over existing file", args: []string{"scenario", "init", existing}, want: cli.ExitBadInput, stderr: "already exists (use --force to overwrite)"},
		{
			name: "unknown command", args: []string{"bogus"}, want: cli.ExitBadInput, stderr: `unknown command "bogus"`,
		},

		{name: "csv into a file", args: []string{"run", "--csv", notADir}, want: cli.ExitFailure, stderr: "creating CSV directory"},

		{name: "scenario show two files", args: []string{"scenario", "show", good, good}, want: cli.ExitBadInput, stderr: "gwf scenario show: accepts at most 1 arg(s), received 2"},
		{name: "scenario init two files", args: []string{"scenario", "init", "a.yaml", "b.yaml"}, want: cli.ExitBadInput, stderr: "gwf scenario init: accepts at most 1 arg(s)"},
		{name: "run a directory", args: []string{"run", dir}, want: cli.ExitBadInput, stderr: "it is a directory (want a scenario file)"},
		{name: "run /dev/zero", args: []string{"run", "/dev/zero"}, want: cli.ExitBadInput, stderr: "it is a character device"},
		{name: "base /dev/zero", args: []string{"run", writeFile(t, dir, "zero.yaml", "base: /dev/zero\nname: z\n")}, want: cli.ExitBadInput, stderr: "/dev/zero: not a regular file"},
		{name: "base a password-like file", args: []string{"run", writeFile(t, dir, "shadow.yaml", "base: secret\nname: s\n")}, want: cli.ExitBadInput, stderr: "not a scenario file (none of its 3 top-level keys"},
		{name: "report over a device", args: []string{"run", "--report", "/dev/null"}, want: cli.ExitBadInput, stderr: "it is a character device, which gwf will not replace"},
		{name: "report over a directory", args: []string{"run", "--report", dir}, want: cli.ExitBadInput, stderr: "it is a directory, which gwf will not replace"},
		{name: "scenario init over a directory", args: []string{"scenario", "init", "--force", dir}, want: cli.ExitBadInput, stderr: "it is a directory"},
		{name: "run over the work budget", args: []string{"run", writeFile(t, dir, "huge.yaml", "base: reference\nname: huge\nhorizon: 50 years\nproject:\n  size: 1 MW\n")}, want: cli.ExitBadInput, stderr: "project-weeks, over the budget of"},
	}
	writeFile(t, dir, "secret", "root:$6$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.want {
				t.Errorf("gwf %s: exit code %d, want %d; stderr:\n%s", strings.Join(tt.args, " "), code, tt.want, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("gwf %s: stderr lacks %q; got:\n%s", strings.Join(tt.args, " "), tt.stderr, stderr)
			}
		})
	}
}

// TestErrorsQuoteLittle: a base that is some other file is refused without
// quoting its lines, and a huge bad value is cut in the message.
func TestErrorsQuoteLittle(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "secret", "root:$6$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
	shadow := writeFile(t, dir, "shadow.yaml", "base: secret\nname: s\n")
	huge := writeFile(t, dir, "huge.yaml", "base: reference\nname: h\nproject:\n  size: "+strings.Repeat("x", 1<<20)+"\n")
	code, _, stderr := run(t, "run", shadow)
	if code != cli.ExitBadInput || strings.Contains(stderr, "root") || strings.Contains(stderr, "hash") || strings.Count(stderr, "\n") > 1 {
		t.Errorf("base: secret: exit %d, stderr quotes the file:\n%s", code, stderr)
	}
	code, _, stderr = run(t, "run", huge)
	if code != cli.ExitBadInput || len(stderr) > 1000 || !strings.Contains(stderr, "want a power") {
		t.Errorf("1 MB bad value: exit %d, %d bytes of error, want under 1000 naming what is wanted:\n%.300s", code, len(stderr), stderr)
	}
}

// failWriter fails every write, as standard output on a full disk does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutWriteErrors: a command whose output cannot be written fails.
func TestStdoutWriteErrors(t *testing.T) {
	good := writeFile(t, t.TempDir(), "good.yaml", "base: reference\nname: good\n")
	for _, args := range [][]string{{"run"}, {"validate", good}, {"backtest"}, {"scenario", "show"}, {"version"}} {
		var errb bytes.Buffer
		code := cli.Run(args, failWriter{}, &errb)
		if code != cli.ExitFailure || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("gwf %s > /dev/full: exit %d, stderr %q; want %d with the write error", strings.Join(args, " "), code, errb.String(), cli.ExitFailure)
		}
	}
}

// TestReportThroughSymlink: --report writes the file a link points at and
// keeps the link.
func TestReportThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := writeFile(t, dir, "real.html", "old")
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink("real.html", link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "run", "--report", link); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(real); !strings.Contains(string(b), "<html") {
		t.Errorf("the link's target was not written: %.100s", b)
	}
}

// TestBadScenarioWritesNothing checks that bad input leaves no trace: no
// summary on stdout, no CSV directory or files.
func TestBadScenarioWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", badScenario)
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"run", bad},
		{"run", "--json", bad},
		{"run", "--csv", out, bad},
		{"run", "--csv", out, "--json", bad},
	} {
		code, stdout, stderr := run(t, args...)
		if code != cli.ExitBadInput {
			t.Errorf("gwf %s: exit code %d, want %d", strings.Join(args, " "), code, cli.ExitBadInput)
		}
		if stdout != "" {
			t.Errorf("gwf %s: wrote %d bytes to stdout, want none:\n%.200s", strings.Join(args, " "), len(stdout), stdout)
		}
		if want := bad + ":4:3: project.sise: unknown field"; !strings.HasPrefix(stderr, want) {
			t.Errorf("gwf %s: stderr = %q, want it to start with %q", strings.Join(args, " "), stderr, want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("gwf %s: %s exists after bad input (stat error %v)", strings.Join(args, " "), out, err)
		}
	}
}

// TestBadFlagsWriteNothing checks that usage errors print only to stderr.
func TestBadFlagsWriteNothing(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--no-such-flag"},
		{"run", "a.yaml", "b.yaml"},
		{"validate"},
	} {
		code, stdout, stderr := run(t, args...)
		if code != cli.ExitBadInput {
			t.Errorf("gwf %s: exit code %d, want %d", strings.Join(args, " "), code, cli.ExitBadInput)
		}
		if stdout != "" {
			t.Errorf("gwf %s: stdout = %q, want nothing", strings.Join(args, " "), stdout)
		}
		if !strings.HasPrefix(stderr, "gwf: ") {
			t.Errorf("gwf %s: stderr = %q, want a message starting with \"gwf: \"", strings.Join(args, " "), stderr)
		}
	}
}

// TestRunCSV checks that --csv writes both files into a new directory and
// leaves no temporary files there.
func TestRunCSV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "nested", "out")
	code, stdout, stderr := run(t, "run", "--csv", out)
	if code != cli.ExitOK {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, cli.ExitOK, stderr)
	}
	if !strings.Contains(stdout, "Online IT capacity") {
		t.Errorf("--csv should still print the summary; stdout:\n%s", stdout)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "allocation.csv projects.csv weekly.csv"; got != want {
		t.Errorf("files in %s: %s, want %s", out, got, want)
	}
}

// TestShowPaths checks that every field path scenario show prints is a
// well-formed dotted path.
func TestShowPaths(t *testing.T) {
	code, stdout, stderr := run(t, "scenario", "show")
	if code != cli.ExitOK {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, cli.ExitOK, stderr)
	}
	var bad []string
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(strings.TrimPrefix(line, "*"))
		if len(f) == 0 || !strings.Contains(f[0], ".") {
			continue
		}
		if p := f[0]; strings.HasSuffix(p, ".") || strings.Contains(p, "..") {
			bad = append(bad, p)
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d field paths are malformed, e.g. %q", len(bad), bad[0])
	}
}
