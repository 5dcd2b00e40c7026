package report

import (
	"encoding/json"
	"html"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/summary"
)

// TestHTMLStatesHeadline checks the report leads with the headline every
// surface states (summary.Headline's sentence).
func TestHTMLStatesHeadline(t *testing.T) {
	_, r, s := referenceRun(t)
	want := summary.HeadlineOf(r, s).Sentence()
	if !strings.Contains(want, "Target 1 GW/week") || !strings.Contains(want, "Capex $") {
		t.Fatalf("headline %q lacks the target rate or capex", want)
	}
	if page := html.UnescapeString(string(referenceHTML(t))); !strings.Contains(page, want) {
		t.Errorf("the report does not state the headline %q", want)
	}
}

// TestChartsOfMatchesHTML checks the charts the app draws from JSON are
// the report's: every chart has a box in a section, with the same ids and
// kinds as the report's own data.
func TestChartsOfMatchesHTML(t *testing.T) {
	sc, r, s := referenceRun(t)
	c, err := ChartsOf(sc, r, s)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Charts []struct{ ID, Kind string }
	}
	if err := json.Unmarshal([]byte(dataJSON(t, string(referenceHTML(t)))), &page); err != nil {
		t.Fatal(err)
	}
	if len(c.List) != len(page.Charts) || len(c.List) < 5 {
		t.Fatalf("ChartsOf has %d charts, the report %d", len(c.List), len(page.Charts))
	}
	boxes := map[string]bool{}
	for _, sec := range c.Sections {
		for _, b := range sec.Boxes {
			if b.Height <= 0 {
				t.Errorf("box %s has height %d", b.ID, b.Height)
			}
			boxes[b.ID] = true
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Charts []struct{ ID, Kind string }
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for i, ch := range got.Charts {
		if ch != page.Charts[i] {
			t.Errorf("chart %d: %v, the report has %v", i, ch, page.Charts[i])
		}
		if !boxes[ch.ID] {
			t.Errorf("chart %s has no box", ch.ID)
		}
	}
	for _, get := range []func() ([]byte, string){ChartLibrary, ChartScript} {
		js, hash := get()
		if len(js) == 0 || len(hash) != 12 {
			t.Errorf("asset of %d bytes, hash %q", len(js), hash)
		}
	}
}
