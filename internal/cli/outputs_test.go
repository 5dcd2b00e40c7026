package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"

	"github.com/gwf-project/gwf/export"
	"github.com/gwf-project/gwf/internal/cli"
)

// TestTableOutputs runs each command with --parquet and --xlsx and reads
// every file back: each Parquet table has rows and says what wrote it;
// each workbook has its summary and a sheet per table.
func TestTableOutputs(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		tables []string
		solver string
	}{
		{name: "run", args: []string{"run"}, tables: []string{"weekly", "projects", "allocation", "milestones", "quarters", "lines"}},
		{name: "mc", args: []string{"mc", "--runs", "20"}, tables: []string{"bands", "milestones", "binding"}},
		{name: "sensitivity", args: []string{"sensitivity"}, tables: []string{"inputs"}},
		{name: "backtest", args: []string{"backtest"}, tables: []string{"backtest"}},
		{name: "plan", args: []string{"plan", "--period", "quarter", "--no-lead-times"}, tables: []string{"periods", "expansions", "shadow_prices", "cost_by_layer"}, solver: "cbc"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.solver != "" {
				if _, err := exec.LookPath(tt.solver); err != nil {
					t.Skipf("%s not installed", tt.solver)
				}
			}
			dir := t.TempDir()
			pq, xl := filepath.Join(dir, "tables"), filepath.Join(dir, tt.name+".xlsx")
			var stdout, stderr bytes.Buffer
			args := append(append([]string{}, tt.args...), "--parquet", pq, "--xlsx", xl)
			if code := cli.Run(args, &stdout, &stderr); code != cli.ExitOK {
				t.Fatalf("gwf %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
			}
			files, _ := filepath.Glob(filepath.Join(pq, "*.parquet"))
			if len(files) != len(tt.tables) {
				t.Errorf("Parquet files %v, want %v", files, tt.tables)
			}
			for _, name := range tt.tables {
				b, err := os.ReadFile(filepath.Join(pq, name+".parquet"))
				if err != nil {
					t.Error(err)
					continue
				}
				f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if f.NumRows() == 0 {
					t.Errorf("%s: no rows", name)
				}
				if v, _ := f.Lookup(export.MetaTable); v != name {
					t.Errorf("%s: table metadata %q", name, v)
				}
				if v, _ := f.Lookup(export.MetaSource); !strings.HasPrefix(v, "gwf "+tt.name) {
					t.Errorf("%s: source metadata %q, want gwf %s…", name, v, tt.name)
				}
			}
			x, err := excelize.OpenFile(xl)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			sheets := x.GetSheetList()
			if want := append([]string{export.SummarySheet}, tt.tables...); strings.Join(sheets, ",") != strings.Join(want, ",") {
				t.Errorf("sheets %v, want %v", sheets, want)
			}
			if v, _ := x.GetCellValue(export.SummarySheet, "A3"); !strings.HasPrefix(v, "gwf "+tt.name) {
				t.Errorf("summary A3 = %q, want the text report's first line", v)
			}
		})
	}
}

// TestTableOutputPaths checks bad output paths are refused as bad input
// (exit code 2) before anything runs, and leave nothing behind.
func TestTableOutputPaths(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, want string
		args       []string
	}{
		{"parquet is a file", "--parquet " + file + ": not a directory", []string{"run", "--parquet", file}},
		{"parquet under a file", "cannot create the directory", []string{"run", "--parquet", filepath.Join(file, "sub")}},
		{"xlsx is a directory", "is a directory", []string{"mc", "--runs", "5", "--xlsx", dir}},
		{"xlsx in no directory", "no directory", []string{"sensitivity", "--xlsx", filepath.Join(dir, "missing", "x.xlsx")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := cli.Run(tt.args, &stdout, &stderr); code != cli.ExitBadInput {
				t.Errorf("exit %d, want %d; stderr %s", code, cli.ExitBadInput, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q, want it to say %q", stderr.String(), tt.want)
			}
		})
	}
}
