package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The sleepers' heap gives back its entries least need first, whatever
// the order they were pushed in and however pushes and pops interleave.
func TestSleepHeapOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var h sleepHeap
		var want []float64
		for range r.IntN(60) {
			if len(h) > 0 && r.IntN(3) == 0 {
				slices.Sort(want)
				if h[0].need != want[0] {
					t.Fatalf("trial %d: top %v, want %v", trial, h[0].need, want[0])
				}
				h.pop()
				want = want[1:]
				continue
			}
			v := float64(r.IntN(20)) // ties too
			h.push(sleeper{need: v})
			want = append(want, v)
		}
		slices.Sort(want)
		for _, v := range want {
			if h[0].need != v {
				t.Fatalf("trial %d: popped %v, want %v", trial, h[0].need, v)
			}
			h.pop()
		}
		if len(h) != 0 {
			t.Fatalf("trial %d: %d entries left", trial, len(h))
		}
	}
}
