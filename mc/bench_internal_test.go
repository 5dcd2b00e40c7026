package mc

import (
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

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
