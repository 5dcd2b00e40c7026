package export

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

func TestNumMarshal(t *testing.T) {
	cases := map[float64]string{
		0: "0", 1: "1", 1.5: "1.5", 1.0 / 3: "0.333333", -1e-12: "0", 123456789.123456789: "123456789.123", 453600000.000001: "453600000",
		math.NaN(): "null", math.Inf(1): "null",
	}
	for in, want := range cases {
		got, err := Num(in).MarshalJSON()
		if err != nil || string(got) != want {
			t.Errorf("Num(%v) = %s, %v; want %s", in, got, err, want)
		}
	}
}

func reference(t *testing.T) *sim.Result {
	t.Helper()
	sc, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return sim.Run(m, sim.NewController())
}

func TestJSONDeterministicAndComplete(t *testing.T) {
	var a, b bytes.Buffer
	r1 := reference(t)
	if err := WriteJSON(&a, r1, summary.Of(r1)); err != nil {
		t.Fatal(err)
	}
	r2 := reference(t)
	if err := WriteJSON(&b, r2, summary.Of(r2)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs of the same scenario and seed gave different JSON")
	}
	var doc map[string]any
	if err := json.Unmarshal(a.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "seed", "horizon_weeks", "start_date", "weekly", "milestones"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	weekly := doc["weekly"].([]any)
	if len(weekly) != r1.Model.Weeks {
		t.Errorf("%d weekly entries, want %d", len(weekly), r1.Model.Weeks)
	}
	w0 := weekly[0].(map[string]any)
	for _, k := range []string{"week", "date", "online_mw", "added_mw", "bottleneck"} {
		if _, ok := w0[k]; !ok {
			t.Errorf("weekly entry lacks %q", k)
		}
	}
	ms := doc["milestones"].(map[string]any)
	og := ms["online_gw"].(map[string]any)
	for _, k := range []string{"1", "10", "100"} {
		if _, ok := og[k]; !ok {
			t.Errorf("milestones.online_gw lacks %q", k)
		}
	}
}

func TestCSV(t *testing.T) {
	r := reference(t)
	var w, p bytes.Buffer
	if err := WriteWeeklyCSV(&w, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteProjectsCSV(&p, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(w.String()), "\n")
	if len(lines) != r.Model.Weeks+1 {
		t.Errorf("weekly.csv has %d lines, want %d", len(lines), r.Model.Weeks+1)
	}
	if !strings.HasPrefix(lines[0], "week,date,online_mw,added_mw,") {
		t.Errorf("weekly.csv header %q", lines[0])
	}
	rows := strings.Count(p.String(), "\n")
	if want := 1 + len(r.Projects)*len(r.Model.Stages); rows != want {
		t.Errorf("projects.csv has %d lines, want %d", rows, want)
	}
}
