package mc

import (
	"os"
	"reflect"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// A drawer reused run after run compiles, for every run, the model a
// fresh copy of the scenario gives (Model): no draw of one run leaks into
// the next.
func TestDrawerReuse(t *testing.T) {
	sc, err := scenario.Load("testdata/reference-uncertain.yaml", os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	d := newDrawer(sc)
	for run := range 20 {
		got, err := d.model(3, run)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Model(sc, 3, run)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: the reused drawer's model differs from a fresh one", run)
		}
	}
}

// BenchmarkPrepareRun is what a worker does before each run of a study of
// the reference: draw the run's values and events into its copy of the
// scenario and compile it.
func BenchmarkPrepareRun(b *testing.B) {
	sc, err := scenario.Reference()
	if err != nil {
		b.Fatal(err)
	}
	d := newDrawer(sc)
	i := 0
	for b.Loop() {
		if _, err := d.model(1, i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
