package report

import (
	"strings"

	"github.com/gwf-project/gwf/scenario"
)

// scenarioTable is the effective scenario: every value set, where it came
// from and how sure its source is.
type scenarioTable struct {
	Origin     string // the files merged, base first
	Overridden int    // values set by a file other than the base
	OverrideBy string
	Rows       []scenarioRow
}

type scenarioRow struct {
	Path       string
	Value      string
	Source     string
	Confidence string
	At         string // file:line:column
	Overridden bool
}

func newScenarioTable(sc *scenario.Scenario) scenarioTable {
	t := scenarioTable{Origin: strings.Join(sc.Origin, " ← ")}
	if len(sc.Origin) > 1 {
		t.OverrideBy = strings.Join(sc.Origin[1:], ", ")
	}
	for _, en := range sc.Entries() {
		row := scenarioRow{Path: en.Path}
		var pos scenario.Pos
		if en.Date != nil {
			row.Value, pos = en.Date.String(), en.Date.Pos
		} else {
			row.Value, pos = en.Value.Text, en.Value.Pos
			row.Source = strings.TrimSpace(en.Value.Source)
			row.Confidence = en.Value.Confidence
		}
		row.At = pos.String()
		row.Overridden = sc.Overridden(pos)
		if row.Overridden {
			t.Overridden++
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
