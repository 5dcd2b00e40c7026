package mc

import (
	"encoding/json"
	"fmt"
	"slices"
)

// sketchJSON is a Sketch's state on the wire. Exact values are written
// sorted, so equal multisets give equal bytes however they were gathered.
type sketchJSON struct {
	N     int64     `json:"n"`
	Exact []float64 `json:"exact,omitempty"`
	Zero  int64     `json:"zero,omitempty"`
	Pos   *bucketsJ `json:"pos,omitempty"`
	Neg   *bucketsJ `json:"neg,omitempty"`
}

type bucketsJ struct {
	Offset int     `json:"offset"`
	Counts []int64 `json:"counts"`
}

// MarshalJSON writes the sketch's state: its values while exact, else its
// bucket counts. The bytes depend only on the multiset of values added.
func (s *Sketch) MarshalJSON() ([]byte, error) {
	j := sketchJSON{N: s.n}
	if !s.bucketed {
		j.Exact = slices.Clone(s.exact)
		slices.Sort(j.Exact)
		return json.Marshal(j)
	}
	j.Exact = nil
	j.Zero = s.zero
	j.Pos, j.Neg = s.pos.wire(), s.neg.wire()
	return json.Marshal(j)
}

func (b *buckets) wire() *bucketsJ {
	lo, hi := 0, len(b.counts)
	for lo < hi && b.counts[lo] == 0 {
		lo++
	}
	for hi > lo && b.counts[hi-1] == 0 {
		hi--
	}
	if lo == hi {
		return nil
	}
	return &bucketsJ{Offset: b.offset + lo, Counts: slices.Clone(b.counts[lo:hi])}
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *Sketch) UnmarshalJSON(data []byte) error {
	var j sketchJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*s = Sketch{n: j.N}
	if j.Pos == nil && j.Neg == nil && j.Zero == 0 {
		if int64(len(j.Exact)) != j.N || j.N > ExactLimit {
			return fmt.Errorf("sketch: %d exact values for a count of %d", len(j.Exact), j.N)
		}
		s.exact = j.Exact
		return nil
	}
	s.bucketed = true
	s.zero = j.Zero
	total := j.Zero
	for _, p := range []struct {
		src *bucketsJ
		dst *buckets
	}{{j.Pos, &s.pos}, {j.Neg, &s.neg}} {
		if p.src == nil {
			continue
		}
		for _, c := range p.src.Counts {
			if c < 0 {
				return fmt.Errorf("sketch: negative bucket count %d", c)
			}
			total += c
		}
		*p.dst = buckets{offset: p.src.Offset, counts: p.src.Counts}
	}
	if total != j.N {
		return fmt.Errorf("sketch: buckets hold %d values for a count of %d", total, j.N)
	}
	return nil
}
