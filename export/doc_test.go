package export

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/backtest"
	"github.com/gwf-project/gwf/plan"
	"github.com/gwf-project/gwf/summary"
)

var update = flag.Bool("update", false, "rewrite the tables section of docs/outputs.md")

// tablesDoc renders every result's tables and columns as Markdown.
func tablesDoc(t *testing.T) string {
	r := reference(t)
	results := []struct {
		command string
		tables  []*Table
	}{
		{"gwf run", RunTables(Build(r, summary.Of(r)))},
		{"gwf mc", MCTables(&MC{PlanVsSimulated: []MCPlanYear{{}}})},
		{"gwf sensitivity", SensitivityTables(&Sensitivity{})},
		{"gwf plan", PlanTables(&plan.Plan{})},
		{"gwf backtest", BacktestTables(&backtest.Report{})},
	}
	kinds := map[Kind]string{KindInt: "INT64", KindFloat: "DOUBLE", KindMoney: "DECIMAL(18,2)", KindString: "STRING", KindDate: "DATE", KindBool: "BOOLEAN"}
	var b strings.Builder
	for _, res := range results {
		fmt.Fprintf(&b, "### %s\n\n", res.command)
		for _, tb := range res.tables {
			fmt.Fprintf(&b, "#### `%s`: %s\n\n", tb.Name, tb.Title)
			b.WriteString("| column | type | unit | null | meaning |\n|---|---|---|---|---|\n")
			for _, c := range tb.Columns {
				null := ""
				if c.Nullable {
					null = "yes"
				}
				fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.Name, kinds[c.Kind], c.Unit, null, c.Doc)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestOutputsDoc keeps docs/outputs.md's list of tables and columns the
// one the code writes. After changing a table, run
//
//	go test ./export -run OutputsDoc -update
func TestOutputsDoc(t *testing.T) {
	const path = "../docs/outputs.md"
	const begin, end = "<!-- tables:begin (go test ./export -run OutputsDoc -update) -->\n", "<!-- tables:end -->"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q and %q", path, begin, end)
	}
	want := tablesDoc(t)
	if got := s[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s lists other tables or columns than the code writes; run go test ./export -run OutputsDoc -update", path)
	}
}
