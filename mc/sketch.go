package mc

import (
	"math"
	"slices"
)

// ExactLimit is how many values a Sketch keeps exactly; past it, values
// are counted in logarithmic buckets.
const ExactLimit = 1000

// RelativeError bounds a Sketch's quantiles once it holds more than
// ExactLimit values: the estimate q̂ of the true quantile q satisfies
// |q̂ − q| ≤ RelativeError × |q| (for |q| ≥ tinyValue; smaller values
// count as zero).
const RelativeError = 0.005

// tinyValue is the magnitude below which values count as zero.
const tinyValue = 1e-9

// Sketch estimates quantiles of a stream of values in memory that does not
// grow with their number. Up to ExactLimit values it keeps them all and its
// quantiles are exact; beyond, it counts them in buckets whose bounds grow
// geometrically by γ = (1+α)/(1−α), α = RelativeError (as in DDSketch,
// Masson et al., VLDB 2019), so each quantile is within α of the truth,
// relatively, and memory grows only with the logarithm of the values' range.
//
// A Sketch's state depends only on the multiset of values added, never on
// their order or on how sketches were merged, so results gathered by any
// number of workers are identical.
//
// The zero value is an empty sketch ready to use.
type Sketch struct {
	n        int64
	exact    []float64 // nil once bucketed
	bucketed bool
	zero     int64
	pos, neg buckets // by magnitude
}

// buckets counts values by bucket index: counts[i] is bucket offset+i.
type buckets struct {
	offset int
	counts []int64
}

var (
	gamma    = (1 + RelativeError) / (1 - RelativeError)
	logGamma = math.Log(gamma)
)

// Add records one value. NaN is ignored.
func (s *Sketch) Add(x float64) {
	if math.IsNaN(x) {
		return
	}
	s.n++
	if !s.bucketed {
		s.exact = append(s.exact, x)
		if len(s.exact) > ExactLimit {
			s.toBuckets()
		}
		return
	}
	s.count(x, 1)
}

// Count is the number of values added.
func (s *Sketch) Count() int64 { return s.n }

// Exact reports whether quantiles are exact (at most ExactLimit values).
func (s *Sketch) Exact() bool { return !s.bucketed }

// Merge adds every value of o to s.
func (s *Sketch) Merge(o *Sketch) {
	if o.n == 0 {
		return
	}
	if !o.bucketed {
		for _, x := range o.exact {
			s.Add(x)
		}
		return
	}
	if !s.bucketed {
		s.toBuckets()
	}
	s.n += o.n
	s.zero += o.zero
	s.pos.merge(&o.pos)
	s.neg.merge(&o.neg)
}

func (s *Sketch) toBuckets() {
	s.bucketed = true
	for _, x := range s.exact {
		s.count(x, 1)
	}
	s.exact = nil
}

func (s *Sketch) count(x float64, c int64) {
	switch {
	case math.Abs(x) < tinyValue:
		s.zero += c
	case x > 0:
		s.pos.add(bucketOf(x), c)
	default:
		s.neg.add(bucketOf(-x), c)
	}
}

// bucketOf is the bucket holding magnitude m: (γ^(i−1), γ^i].
func bucketOf(m float64) int { return int(math.Ceil(math.Log(m) / logGamma)) }

// bucketValue is the estimate for bucket i, within α of any value in it.
func bucketValue(i int) float64 { return 2 * math.Pow(gamma, float64(i)) / (gamma + 1) }

func (b *buckets) add(i int, c int64) {
	if len(b.counts) == 0 {
		b.offset = i
		b.counts = append(b.counts, 0)
	}
	if i < b.offset {
		grow := b.offset - i
		b.counts = append(make([]int64, grow, grow+len(b.counts)), b.counts...)
		b.offset = i
	}
	if j := i - b.offset; j >= len(b.counts) {
		b.counts = append(b.counts, make([]int64, j-len(b.counts)+1)...)
	}
	b.counts[i-b.offset] += c
}

func (b *buckets) merge(o *buckets) {
	for j, c := range o.counts {
		if c != 0 {
			b.add(o.offset+j, c)
		}
	}
}

// Quantile returns the nearest-rank q-quantile: the k-th smallest value,
// k = ⌈q·n⌉ (at least 1), exactly or within RelativeError. It returns NaN
// for an empty sketch.
func (s *Sketch) Quantile(q float64) float64 {
	if s.n == 0 {
		return math.NaN()
	}
	k := max(1, min(s.n, int64(math.Ceil(q*float64(s.n)-1e-9))))
	if !s.bucketed {
		if !slices.IsSorted(s.exact) {
			slices.Sort(s.exact)
		}
		return s.exact[k-1]
	}
	// Ascending: negatives by falling magnitude, zero, positives.
	for j := len(s.neg.counts) - 1; j >= 0; j-- {
		if k -= s.neg.counts[j]; k <= 0 {
			return -bucketValue(s.neg.offset + j)
		}
	}
	if k -= s.zero; k <= 0 {
		return 0
	}
	for j, c := range s.pos.counts {
		if k -= c; k <= 0 {
			return bucketValue(s.pos.offset + j)
		}
	}
	return bucketValue(s.pos.offset + len(s.pos.counts) - 1)
}
