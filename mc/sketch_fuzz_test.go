package mc

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzSketchJSON feeds sketch states to UnmarshalJSON: it never panics,
// and a state it accepts writes back to the same bytes after a second
// round trip.
func FuzzSketchJSON(f *testing.F) {
	var s Sketch
	for _, x := range []float64{1, 2, 3, -1, 0} {
		s.Add(x)
	}
	b, _ := json.Marshal(&s)
	f.Add(b)
	var big Sketch
	for i := range 3000 {
		big.Add(float64(i) - 1000)
	}
	b, _ = json.Marshal(&big)
	f.Add(b)
	f.Add([]byte(`{"n":3,"exact":[1]}`))
	f.Add([]byte(`{"n":1,"pos":{"offset":-99999999,"counts":[1]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Sketch
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		out, err := json.Marshal(&s)
		if err != nil {
			t.Fatalf("marshal of an accepted sketch: %v", err)
		}
		var back Sketch
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("a sketch's own bytes do not read: %v\n%s", err, out)
		}
		again, _ := json.Marshal(&back)
		if !bytes.Equal(out, again) {
			t.Fatalf("round trip changed the sketch:\n%s\n%s", out, again)
		}
		if s.Count() > 0 {
			_ = s.Quantile(0.5)
		}
	})
}
