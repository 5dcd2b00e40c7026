package mc_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gwf-project/gwf/mc"
)

// nearestRank is the exact nearest-rank q-quantile of sorted xs.
func nearestRank(xs []float64, q float64) float64 {
	k := max(1, int(math.Ceil(q*float64(len(xs))-1e-9)))
	return xs[k-1]
}

var probes = []float64{0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1}

// Up to ExactLimit values the quantiles are exact.
func TestSketchExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var s mc.Sketch
	var xs []float64
	for range mc.ExactLimit {
		x := r.NormFloat64() * 100
		s.Add(x)
		xs = append(xs, x)
	}
	slices.Sort(xs)
	if !s.Exact() {
		t.Fatal("not exact at ExactLimit values")
	}
	for _, q := range probes {
		if got, want := s.Quantile(q), nearestRank(xs, q); got != want {
			t.Errorf("Quantile(%v) = %v, want %v", q, got, want)
		}
	}
}

// Past ExactLimit, every quantile is within RelativeError of the exact
// one, on a heavy-tailed distribution with zeros and negatives mixed in.
func TestSketchErrorBound(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	var s mc.Sketch
	var xs []float64
	for i := range 200000 {
		x := math.Exp(3 * r.NormFloat64()) // lognormal spanning ~1e-6 to 1e6
		switch i % 10 {
		case 0:
			x = 0
		case 1:
			x = -x
		}
		s.Add(x)
		xs = append(xs, x)
	}
	slices.Sort(xs)
	if s.Exact() || s.Count() != 200000 {
		t.Fatalf("exact %v, count %d", s.Exact(), s.Count())
	}
	for q := 0.0; q <= 1; q += 0.001 {
		got, want := s.Quantile(q), nearestRank(xs, q)
		if math.Abs(got-want) > mc.RelativeError*math.Abs(want)+1e-9 {
			t.Fatalf("Quantile(%v) = %v, want %v within %v relative", q, got, want, mc.RelativeError)
		}
	}
}

// Quantiles depend only on the values, not on the order they came in or
// how sketches were split and merged.
func TestSketchOrderFree(t *testing.T) {
	for _, n := range []int{500, 5000} {
		r := rand.New(rand.NewPCG(4, uint64(n)))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = r.ExpFloat64() * 1000
		}
		var whole mc.Sketch
		for _, x := range xs {
			whole.Add(x)
		}
		// Reversed, in three parts merged last-first.
		parts := make([]mc.Sketch, 3)
		for i := len(xs) - 1; i >= 0; i-- {
			parts[i%3].Add(xs[i])
		}
		var merged mc.Sketch
		for i := 2; i >= 0; i-- {
			merged.Merge(&parts[i])
		}
		for _, q := range probes {
			if a, b := whole.Quantile(q), merged.Quantile(q); a != b {
				t.Errorf("n=%d Quantile(%v): %v in one sketch, %v merged", n, q, a, b)
			}
		}
	}
}

func TestSketchEmpty(t *testing.T) {
	var s mc.Sketch
	s.Add(math.NaN())
	if s.Count() != 0 || !math.IsNaN(s.Quantile(0.5)) {
		t.Errorf("count %d, median %v; want 0 and NaN", s.Count(), s.Quantile(0.5))
	}
}
