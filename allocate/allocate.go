// Package allocate splits a week's compute among demand missions. It is
// pure arithmetic: no I/O, no state between calls.
//
// Every policy first gives each mission its guaranteed share of the supply,
// up to its demand. What is left is split by the policy:
//
//   - StrictPriority: missions in priority order (1 first); a priority level
//     is served in full before the next gets anything; within a level, the
//     supply is split max-min fairly.
//   - WeightedShare: weighted max-min fairness ("water-filling"): each
//     mission receives supply in proportion to its weight, and what a
//     mission cannot use (its demand is met) is shared among the others in
//     the same proportions. Missions with zero weight get only what the
//     others leave, shared max-min fairly (all count equally if every
//     weight is zero).
//   - MaxMinFair: WeightedShare with equal weights.
//
// All policies are work-conserving: if total demand is at least the supply,
// the whole supply is served; otherwise every demand is met.
package allocate

import (
	"slices"
)

// Policy is an allocation rule.
type Policy int

// The allocation policies.
const (
	MaxMinFair Policy = iota
	WeightedShare
	StrictPriority
)

// Claim is one mission's call on this week's compute.
type Claim struct {
	Demand     float64 // what it would use
	Weight     float64 // for WeightedShare
	Priority   int     // for StrictPriority: 1 is served first
	Guaranteed float64 // share of supply it gets first, up to its demand
}

// Split divides supply among claims under policy, writing each claim's
// allocation into served (which must have len(claims)). scratch may be nil;
// passing a slice of at least 2×len(claims) ints avoids allocating.
func Split(policy Policy, supply float64, claims []Claim, served []float64, scratch []int) {
	n := len(claims)
	clear(served[:n])
	if n == 0 || supply <= 0 {
		return
	}
	// Guarantees first. Shares are validated to add up to at most 100%,
	// so this never exceeds supply; scale down defensively if they do.
	total := 0.0
	for i, c := range claims {
		served[i] = min(max(c.Demand, 0), max(c.Guaranteed, 0)*supply)
		total += served[i]
	}
	if total > supply {
		for i := range served[:n] {
			served[i] *= supply / total
		}
		return
	}
	left := supply - total
	if cap(scratch) < 2*n {
		scratch = make([]int, 2*n)
	}
	idx, buf := scratch[:n], scratch[n:2*n]
	for i := range idx {
		idx[i] = i
	}
	switch policy {
	case StrictPriority:
		slices.SortStableFunc(idx, func(a, b int) int { return claims[a].Priority - claims[b].Priority })
		for start := 0; start < n && left > 0; {
			end := start
			for end < n && claims[idx[end]].Priority == claims[idx[start]].Priority {
				end++
			}
			left = fill(claims, served, idx[start:end], left, false, buf)
			start = end
		}
	case WeightedShare:
		if left = fill(claims, served, idx, left, true, buf); left > 0 {
			fill(claims, served, idx, left, false, buf) // leftovers to zero-weight claims
		}
	default:
		fill(claims, served, idx, left, false, buf)
	}
}

// fill water-fills supply over the claims in idx (on top of what they were
// served already) and returns what is left. With weighted, shares follow
// each claim's weight; otherwise they are equal. buf, of at least len(idx),
// is scratch for the order in which claims are served.
func fill(claims []Claim, served []float64, idx []int, supply float64, weighted bool, buf []int) float64 {
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
		return fill(claims, served, idx, supply, false, buf)
	}
	// Serve claims in order of remaining demand per unit of weight: a claim
	// whose remaining need is below its fair share is met in full and the
	// rest shared among the others.
	need := func(i int) float64 { return max(claims[i].Demand-served[i], 0) }
	active := append(buf[:0], idx...)
	// The few claims are put in order by insertion, stably, each one's
	// ratio worked out once.
	var small [8]float64
	keys := small[:0]
	if len(active) > len(small) {
		keys = make([]float64, 0, len(active))
	}
	for _, i := range active {
		keys = append(keys, ratio(need(i), w(i)))
	}
	for k := 1; k < len(active); k++ {
		i, r := active[k], keys[k]
		j := k
		for ; j > 0 && r < keys[j-1]; j-- {
			active[j], keys[j] = active[j-1], keys[j-1]
		}
		active[j], keys[j] = i, r
	}
	for k, i := range active {
		if w(i) == 0 {
			continue // zero-weight claims sort last and take nothing
		}
		level := supply / sumW
		if need(i) <= level*w(i) {
			supply -= need(i)
			sumW -= w(i)
			served[i] += need(i)
			continue
		}
		// Everyone from here on is capped by the level.
		for _, j := range active[k:] {
			served[j] += level * w(j)
		}
		return 0
	}
	return max(supply, 0)
}

func ratio(need, weight float64) float64 {
	if weight <= 0 {
		return inf
	}
	return need / weight
}

const inf = 1.7976931348623157e308
