package cli_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gwf-project/gwf/internal/cli"
)

// TestMain lets the test binary stand in for the gwf command: testscript
// puts "gwf" on the scripts' PATH and runs this binary under that name.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gwf": func() { os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the stories in testdata/script, one per .txtar file.
// Each script runs in its own temporary directory holding the files in its
// archive.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"jsonkeys": cmdJSONKeys,
		},
	})
}

// cmdJSONKeys implements "jsonkeys FILE KEY...": FILE (or "stdout") holds
// exactly one valid JSON object that has every KEY at its top level.
func cmdJSONKeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! jsonkeys")
	}
	if len(args) < 1 {
		ts.Fatalf("usage: jsonkeys FILE KEY...")
	}
	data := ts.ReadFile(args[0])
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &obj); err != nil {
		ts.Fatalf("%s is not one JSON object: %v", args[0], err)
	}
	for _, k := range args[1:] {
		if _, ok := obj[k]; !ok {
			ts.Fatalf("%s: no top-level key %q", args[0], k)
		}
	}
}
