package units_test

import (
	"errors"
	"math"
	"testing"

	"github.com/gwf-project/gwf/units"
)

// allDims lists every dimension, plus one out of range.
var allDims = []units.Dim{
	units.Duration, units.Power, units.Money, units.Fraction, units.Growth,
	units.Compute, units.Rate, units.Intensity, units.Count, units.Ratio, 0,
}

// FuzzParse checks that Parse never panics, returns only finite values, and
// reports every failure as a *units.Error. The string is parsed as every
// dimension; dim additionally selects one raw Dim value, including ones
// outside the declared range.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"26 weeks", "18 months", "1.2 GW", "$3.4M", "1,200 USD", "30%",
		"25%/year", "2.5 PFLOP/s", "75000 wafers/month", "1 GW/week",
		"8 racks/MW", "0.01 units/grid-MW", "1.5 M stacks/week", "13000 robots",
		"1.2x", "1e308 TW", "1e999", "-$5M", "", "NaN",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, dim uint8) {
		dims := append(allDims[:len(allDims):len(allDims)], units.Dim(dim))
		for _, d := range dims {
			q, err := units.Parse(s, d)
			if err != nil {
				var ue *units.Error
				if !errors.As(err, &ue) {
					t.Fatalf("Parse(%q, %d) error %T %v, want *units.Error", s, d, err, err)
				}
				if ue.Got != s {
					t.Fatalf("Parse(%q, %d) error Got = %q, want the input", s, d, ue.Got)
				}
				if q != (units.Quantity{}) {
					t.Fatalf("Parse(%q, %d) = %+v with error %v, want the zero Quantity", s, d, q, err)
				}
				continue
			}
			if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
				t.Fatalf("Parse(%q, %d) = %v, want a finite value", s, d, q.Value)
			}
			if q.Dim != d {
				t.Fatalf("Parse(%q, %d).Dim = %d", s, d, q.Dim)
			}
		}
	})
}
