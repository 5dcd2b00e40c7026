package cli

import (
	"runtime/debug"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// gcNow reads the collector's pace and soft limit without changing them.
func gcNow() (int, int64) {
	gc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc)
	return gc, debug.SetMemoryLimit(-1) // a negative limit reads it
}

// A single run keeps a loose pace within a soft limit when it is the
// reference's size, goes back to the settings found when it is large,
// and restore always puts them back.
func TestOneRunGC(t *testing.T) {
	gc0, limit0 := gcNow()
	ref, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	pace := oneRunGC()
	pace.fit(ref)
	if gc, limit := gcNow(); gc != 400 || limit != 256<<20 {
		t.Errorf("reference: pace %d%%, limit %d; want 400%%, 256 MiB", gc, limit)
	}
	pace.restore()
	if gc, limit := gcNow(); gc != gc0 || limit != limit0 {
		t.Errorf("restored: pace %d%%, limit %d; want %d%%, %d", gc, limit, gc0, limit0)
	}

	big, err := scenario.Reference()
	if err != nil {
		t.Fatal(err)
	}
	big.Horizon.V, big.Project.Size.V = 2080, 10 // about 200,000 projects × 2,080 weeks
	pace = oneRunGC()
	pace.fit(big)
	if gc, limit := gcNow(); gc != gc0 || limit != limit0 {
		t.Errorf("large run: pace %d%%, limit %d; want the settings found, %d%%, %d", gc, limit, gc0, limit0)
	}
	pace.restore()
}
