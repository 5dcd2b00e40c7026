package mc_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/gwf-project/gwf/mc"
)

// A sketch's JSON depends only on the values added, and reads back to a
// sketch with the same quantiles, exact or bucketed.
func TestSketchJSON(t *testing.T) {
	for _, n := range []int{0, 7, mc.ExactLimit, 3 * mc.ExactLimit} {
		var fwd, rev, half mc.Sketch
		var other mc.Sketch
		for i := range n {
			fwd.Add(float64(i%97) - 20)
			rev.Add(float64((n-1-i)%97) - 20)
			if i%2 == 0 {
				half.Add(float64(i%97) - 20)
			} else {
				other.Add(float64(i%97) - 20)
			}
		}
		half.Merge(&other)
		a, _ := json.Marshal(&fwd)
		for _, s := range []*mc.Sketch{&rev, &half} {
			if b, _ := json.Marshal(s); !bytes.Equal(a, b) {
				t.Errorf("n=%d: the same values gathered differently give different JSON:\n%s\n%s", n, a, b)
			}
		}
		var back mc.Sketch
		if err := json.Unmarshal(a, &back); err != nil {
			t.Fatal(err)
		}
		for _, q := range []float64{0.1, 0.5, 0.9} {
			if n > 0 && back.Quantile(q) != fwd.Quantile(q) {
				t.Errorf("n=%d: q%.1f %g after a round trip, want %g", n, q, back.Quantile(q), fwd.Quantile(q))
			}
		}
	}
	var s mc.Sketch
	if err := json.Unmarshal([]byte(`{"n":5,"exact":[1,2]}`), &s); err == nil {
		t.Error("a sketch whose count disagrees with its values was accepted")
	}
}
