package units

import (
	"math"
	"testing"
)

func TestFormatMW(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"GW", 1500, "1.5 GW"},
		{"MW", 250, "250 MW"},
		{"exactly 1 GW", 1000, "1 GW"},
		{"just under 1 GW", 999.9, "999.9 MW"},
		{"GW rounded to two places", 1234.5, "1.23 GW"},
		{"MW rounded to one place", 12.345, "12.3 MW"},
		{"fraction of a MW", 0.04, "0 MW"},
		{"zero", 0, "0 MW"},
		{"negative zero", math.Copysign(0, -1), "0 MW"},
		{"tiny negative rounds to zero", -0.01, "0 MW"},
		{"negative MW", -250, "-250 MW"},
		{"negative GW", -2500, "-2.5 GW"},
		{"large", 1e6, "1000 GW"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatMW(tc.in); got != tc.want {
				t.Errorf("FormatMW(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatUSD(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"dollars", 12.5, "$12.5"},
		{"cents", 0.126, "$0.13"},
		{"half rounds to even", 0.125, "$0.12"},
		{"zero", 0, "$0"},
		{"thousands", 30000, "$30k"},
		{"thousands one place", 1260, "$1.3k"},
		{"millions", 3.4e6, "$3.4M"},
		{"millions two places", 3.456e6, "$3.46M"},
		{"billions", 40e9, "$40B"},
		{"trillions", 1.5e12, "$1.5T"},
		{"negative millions: sign after the currency", -5e6, "$-5M"},
		{"boundary k", 1000, "$1k"},
		{"boundary M", 1e6, "$1M"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatUSD(tc.in); got != tc.want {
				t.Errorf("FormatUSD(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatWeeks(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{26, "26 weeks"},
		{26.04, "26 weeks"},
		{78.26, "78.3 weeks"},
		{0, "0 weeks"},
	}
	for _, tc := range tests {
		if got := FormatWeeks(tc.in); got != tc.want {
			t.Errorf("FormatWeeks(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		prec int
		want string
	}{
		{1.2, 2, "1.2"},
		{1.2, 0, "1"},
		{100, 0, "100"},
		{100, 2, "100"},
		{0.1 + 0.2, 6, "0.3"},
		{1234.56789, 3, "1234.568"},
		{-0.0001, 2, "0"},
		{-1.5, 1, "-1.5"},
		{math.Inf(1), 2, "+Inf"},
		{math.NaN(), 2, "NaN"},
	}
	for _, tc := range tests {
		if got := FormatNumber(tc.in, tc.prec); got != tc.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", tc.in, tc.prec, got, tc.want)
		}
	}
}

// TestFormatRoundTrip checks that printed power and money parse back to
// about the same value.
func TestFormatRoundTrip(t *testing.T) {
	for _, mw := range []float64{250, 1500, 12.5, 2000} {
		q, err := Parse(FormatMW(mw), Power)
		if err != nil || !near(q.Value, mw) {
			t.Errorf("Parse(FormatMW(%v)) = %v, %v", mw, q.Value, err)
		}
	}
	for _, usd := range []float64{-5e6, 30e3, 3.4e6, 40e9, 1.5e12, 12.5} {
		q, err := Parse(FormatUSD(usd), Money)
		if err != nil || !near(q.Value, usd) {
			t.Errorf("Parse(FormatUSD(%v)) = %v, %v", usd, q.Value, err)
		}
	}
}
