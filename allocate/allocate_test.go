package allocate

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		name   string
		policy Policy
		supply float64
		claims []Claim
		want   []float64
	}{
		{"zero supply", MaxMinFair, 0, []Claim{{Demand: 5}, {Demand: 5}}, []float64{0, 0}},
		{"oversupply meets every demand", MaxMinFair, 100, []Claim{{Demand: 5}, {Demand: 30}}, []float64{5, 30}},
		{"max-min: small demand met, rest split", MaxMinFair, 10, []Claim{{Demand: 2}, {Demand: 10}, {Demand: 10}}, []float64{2, 4, 4}},
		{"max-min: equal split", MaxMinFair, 9, []Claim{{Demand: 10}, {Demand: 10}, {Demand: 10}}, []float64{3, 3, 3}},
		{"weighted 3:1", WeightedShare, 8, []Claim{{Demand: 100, Weight: 3}, {Demand: 100, Weight: 1}}, []float64{6, 2}},
		{"weighted: capped claim frees supply", WeightedShare, 8, []Claim{{Demand: 1, Weight: 3}, {Demand: 100, Weight: 1}}, []float64{1, 7}},
		{"weighted: zero weight gets nothing", WeightedShare, 8, []Claim{{Demand: 10, Weight: 1}, {Demand: 10, Weight: 0}}, []float64{8, 0}},
		{"weighted: all zero weights share equally", WeightedShare, 8, []Claim{{Demand: 10}, {Demand: 10}}, []float64{4, 4}},
		{"priority: first served in full", StrictPriority, 10, []Claim{{Demand: 6, Priority: 2}, {Demand: 7, Priority: 1}}, []float64{3, 7}},
		{"priority: ties split fairly", StrictPriority, 10, []Claim{{Demand: 8, Priority: 1}, {Demand: 8, Priority: 1}, {Demand: 5, Priority: 2}}, []float64{5, 5, 0}},
		{"guarantee before priority", StrictPriority, 10, []Claim{{Demand: 10, Priority: 1}, {Demand: 10, Priority: 2, Guaranteed: 0.3}}, []float64{7, 3}},
		{"guarantee capped by demand", MaxMinFair, 10, []Claim{{Demand: 1, Guaranteed: 0.5}, {Demand: 20}}, []float64{1, 9}},
		{"guarantees larger than supply are scaled", MaxMinFair, 10, []Claim{{Demand: 10, Guaranteed: 0.8}, {Demand: 10, Guaranteed: 0.8}}, []float64{5, 5}},
		{"no claims", MaxMinFair, 10, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			served := make([]float64, len(c.claims))
			Split(c.policy, c.supply, c.claims, served, nil)
			for i := range c.want {
				if math.Abs(served[i]-c.want[i]) > 1e-9 {
					t.Fatalf("served %v, want %v", served, c.want)
				}
			}
		})
	}
}

// Properties on random tables: nobody gets more than it asked for, the
// total never exceeds supply, and supply is conserved (work-conserving):
// either every demand is met or the whole supply is used.
func TestSplitProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 5000; trial++ {
		n := 1 + r.IntN(6)
		claims := make([]Claim, n)
		demand, guaranteed := 0.0, 0.0
		for i := range claims {
			claims[i] = Claim{Demand: r.Float64() * 100, Weight: float64(r.IntN(4)), Priority: 1 + r.IntN(3)}
			if r.IntN(3) == 0 && guaranteed < 0.9 {
				g := r.Float64() * (1 - guaranteed) / 2
				claims[i].Guaranteed = g
				guaranteed += g
			}
			demand += claims[i].Demand
		}
		supply := r.Float64() * 300
		for _, p := range []Policy{MaxMinFair, WeightedShare, StrictPriority} {
			served := make([]float64, n)
			Split(p, supply, claims, served, nil)
			total := 0.0
			for i, s := range served {
				if s < -1e-9 || s > claims[i].Demand+1e-9 {
					t.Fatalf("policy %d: claim %d served %v of demand %v", p, i, s, claims[i].Demand)
				}
				total += s
			}
			if total > supply+1e-6 {
				t.Fatalf("policy %d: served %v > supply %v", p, total, supply)
			}
			if want := math.Min(supply, demand); math.Abs(total-want) > 1e-6 {
				t.Fatalf("policy %d: served %v, want %v (supply %v, demand %v, claims %+v)", p, total, want, supply, demand, claims)
			}
		}
	}
}

// stableFill is fill as it was first written, ordering the claims with
// the standard library's stable sort: the oracle for fill's insertion
// sort, which must serve claims in the very same order.
func stableFill(claims []Claim, served []float64, idx []int, supply float64, weighted bool) float64 {
	w := func(i int) float64 {
		if weighted {
			return max(claims[i].Weight, 0)
		}
		return 1
	}
	sumW := 0.0
	for _, i := range idx {
		sumW += w(i)
	}
	if weighted && sumW == 0 {
		return stableFill(claims, served, idx, supply, false)
	}
	need := func(i int) float64 { return max(claims[i].Demand-served[i], 0) }
	active := append([]int(nil), idx...)
	slices.SortStableFunc(active, func(a, b int) int {
		return cmp.Compare(ratio(need(a), w(a)), ratio(need(b), w(b)))
	})
	for k, i := range active {
		if w(i) == 0 {
			continue
		}
		level := supply / sumW
		if need(i) <= level*w(i) {
			supply -= need(i)
			sumW -= w(i)
			served[i] += need(i)
			continue
		}
		for _, j := range active[k:] {
			served[j] += level * w(j)
		}
		return 0
	}
	return max(supply, 0)
}

// fill serves claims bit for bit as the stable sort did, ties (equal
// demands and weights) and more claims than its small buffer included.
func TestFillMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 20000 {
		n := 1 + r.IntN(12)
		claims := make([]Claim, n)
		for i := range claims {
			// Ties in demand per unit of weight, between claims of
			// different weights (whose order moves the rounding), and
			// claims of no weight.
			w := []float64{0, 1, 2, 4}[r.IntN(4)] // doubling is exact: ties stay ties
			claims[i] = Claim{Demand: []float64{0.1, 0.3, 0.7}[r.IntN(3)] * w, Weight: w}
			if r.IntN(3) == 0 {
				claims[i].Demand = r.Float64() * 10
			}
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		supply := r.Float64() * 5
		weighted := r.IntN(2) == 0
		got, want := make([]float64, n), make([]float64, n)
		leftGot := fill(claims, got, idx, supply, weighted, make([]int, n))
		leftWant := stableFill(claims, want, idx, supply, weighted)
		if leftGot != leftWant || !slices.Equal(got, want) {
			t.Fatalf("trial %d (%+v, supply %v, weighted %v): fill %v left %v, stable sort %v left %v", trial, claims, supply, weighted, got, leftGot, want, leftWant)
		}
	}
}
