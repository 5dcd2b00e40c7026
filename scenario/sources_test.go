package scenario_test

import (
	"slices"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// Every number in the reference scenario carries a source and a confidence
// tag: planners must be able to see where each one comes from.
func TestReferenceValuesAreSourced(t *testing.T) {
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range sc.Entries() {
		if e.Date != nil {
			if e.Date.Source == "" || !slices.Contains(scenario.Confidences, e.Date.Confidence) {
				t.Errorf("date %s (%s) lacks a source or confidence tag", e.Path, e.Date.Pos)
			}
			n++
			continue
		}
		n++
		if e.Value.Source == "" {
			t.Errorf("%s (%s) has no source", e.Path, e.Value.Pos)
		}
		if !slices.Contains(scenario.Confidences, e.Value.Confidence) {
			t.Errorf("%s (%s) has no confidence tag (got %q)", e.Path, e.Value.Pos, e.Value.Confidence)
		}
	}
	if n < 100 {
		t.Errorf("only %d values checked; the walk over the scenario is missing some", n)
	}
}
