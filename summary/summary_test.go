package summary

import "testing"

func TestSustainedFrom(t *testing.T) {
	cases := []struct {
		name   string
		added  []float64
		window int
		want   int
	}{
		{"never", []float64{0, 500, 900, 999, 500, 0}, 2, -1},
		{"from the start", []float64{1000, 1000, 1000, 1000}, 2, 0},
		{"after a ramp", []float64{0, 500, 1000, 1000, 1200, 1000}, 2, 2},
		{"dip breaks it", []float64{1000, 1000, 0, 0, 1000, 1000, 1000}, 2, 4},
		{"lumpy but averaging enough", []float64{0, 1500, 500, 1500, 500, 1500, 500}, 2, 1},
		{"first week must itself reach the rate", []float64{900, 1100, 1000, 1000}, 2, 1},
		{"too close to the end to judge", []float64{0, 0, 0, 1000}, 2, -1},
		{"empty", nil, 2, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SustainedFrom(c.added, 1000, c.window); got != c.want {
				t.Errorf("SustainedFrom(%v) = %d, want %d", c.added, got, c.want)
			}
		})
	}
}

func TestSustainedFromWindowProperty(t *testing.T) {
	// Whatever week is returned, every later window averages at least the rate.
	added := []float64{0, 250, 750, 1250, 750, 1000, 1250, 1000, 750, 1250, 1000, 1000}
	for window := 1; window <= 4; window++ {
		w := SustainedFrom(added, 1000, window)
		if w < 0 {
			continue
		}
		for i := w; i+window <= len(added); i++ {
			if meanOf(added[i:i+window]) < 1000-1e-9 {
				t.Errorf("window %d: week %d returned but window at %d averages %v", window, w, i, meanOf(added[i:i+window]))
			}
		}
		if added[w] < 1000 {
			t.Errorf("window %d: week %d added only %v", window, w, added[w])
		}
	}
}
