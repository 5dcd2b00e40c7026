package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// A bucket keeps its sleepers in project order, however they are
// inserted and however many have been taken from its head.
func TestBucketOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var b bucket
		var want []int32
		for range r.IntN(80) {
			if len(want) > 0 && r.IntN(3) == 0 {
				if got := b.s[b.head].proj; got != want[0] {
					t.Fatalf("trial %d: head %d, want %d", trial, got, want[0])
				}
				b.head++
				want = want[1:]
				continue
			}
			p := int32(r.IntN(50))
			b.insert(sleeper{proj: p})
			want = append(want, p)
			slices.Sort(want)
		}
		var got []int32
		for _, e := range b.s[b.head:] {
			got = append(got, e.proj)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: bucket holds %v, want %v", trial, got, want)
		}
	}
}
