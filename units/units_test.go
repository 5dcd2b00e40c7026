package units

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// near reports whether got is within a relative tolerance of want.
func near(got, want float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= 1e-9*math.Max(math.Abs(got), math.Abs(want))
}

func TestParse(t *testing.T) {
	const month = WeeksPerYear / 12
	tests := []struct {
		name string
		in   string
		dim  Dim
		want float64
		of   string
		per  string
	}{
		// Duration: weeks.
		{"weeks", "26 weeks", Duration, 26, "", ""},
		{"one week", "1 week", Duration, 1, "", ""},
		{"wk", "3wk", Duration, 3, "", ""},
		{"days", "14 days", Duration, 2, "", ""},
		{"months", "18 months", Duration, 18 * WeeksPerYear / 12, "", ""},
		{"mo", "6 mo", Duration, 6 * month, "", ""},
		{"quarter", "1 quarter", Duration, WeeksPerYear / 4, "", ""},
		{"years", "3 years", Duration, 3 * WeeksPerYear, "", ""},
		{"yr", "2 yr", Duration, 2 * WeeksPerYear, "", ""},
		{"surrounding space", "  26 weeks\t", Duration, 26, "", ""},
		{"negative duration is left to callers", "-5 weeks", Duration, -5, "", ""},
		{"explicit plus", "+5 weeks", Duration, 5, "", ""},
		{"leading point", ".5 years", Duration, 0.5 * WeeksPerYear, "", ""},

		// Power: MW.
		{"MW", "250 MW", Power, 250, "", ""},
		{"GW", "1.2 GW", Power, 1200, "", ""},
		{"W", "700 W", Power, 700e-6, "", ""},
		{"kW", "120 kW", Power, 0.12, "", ""},
		{"TW", "2 TW", Power, 2e6, "", ""},
		{"exponent", "1e6 MW", Power, 1e6, "", ""},
		{"negative exponent", "2.5e-3 GW", Power, 2.5, "", ""},
		{"capital exponent", "1E3 MW", Power, 1000, "", ""},
		{"no space", "1.2GW", Power, 1200, "", ""},
		{"underscores", "1_000 MW", Power, 1000, "", ""},
		{"tiny underflows to zero", "1e-400 MW", Power, 0, "", ""},

		// Money: USD.
		{"dollars M", "$3.4M", Money, 3.4e6, "", ""},
		{"dollars k", "$30k", Money, 30e3, "", ""},
		{"dollars K", "$30K", Money, 30e3, "", ""},
		{"dollars B with space", "$ 40B", Money, 40e9, "", ""},
		{"dollars bn", "$2bn", Money, 2e9, "", ""},
		{"dollars T", "$1.5T", Money, 1.5e12, "", ""},
		{"plain dollars", "$12.50", Money, 12.5, "", ""},
		{"suffix USD", "3.4M USD", Money, 3.4e6, "", ""},
		{"prefix USD", "USD 3.4 M", Money, 3.4e6, "", ""},
		{"thousands separator USD", "1,200 USD", Money, 1200, "", ""},
		{"many separators", "$1,000,000", Money, 1e6, "", ""},
		{"negative money", "-$5M", Money, -5e6, "", ""},

		// Fraction.
		{"percent", "30%", Fraction, 0.3, "", ""},
		{"percent spaced", "30 %", Fraction, 0.3, "", ""},
		{"fractional percent", "2.5%", Fraction, 0.025, "", ""},
		{"zero percent", "0%", Fraction, 0, "", ""},

		// Growth.
		{"per year", "25%/year", Growth, 0.25, "", ""},
		{"per yr", "25%/yr", Growth, 0.25, "", ""},
		{"per y", "25%/y", Growth, 0.25, "", ""},
		{"words", "25 % per year", Growth, 0.25, "", ""},
		{"decline", "-5%/year", Growth, -0.05, "", ""},

		// Compute.
		{"PFLOP/s", "2.5 PFLOP/s", Compute, 2.5e15, "", ""},
		{"FLOP/s", "1e20 FLOP/s", Compute, 1e20, "", ""},
		{"EFLOP/s", "3 EFLOP/s", Compute, 3e18, "", ""},
		{"TFLOP per s", "989 TFLOP per s", Compute, 989e12, "", ""},

		// Rate: things per week.
		{"wafers per month", "75000 wafers/month", Rate, 75000 / month, "wafer", ""},
		{"wafers comma", "75,000 wafers/month", Rate, 75000 / month, "wafer", ""},
		{"wafers words", "75000 wafers per month", Rate, 75000 / month, "wafer", ""},
		{"singular", "1 wafer/week", Rate, 1, "wafer", ""},
		{"per day", "10 robots/day", Rate, 70, "robot", ""},
		{"per year", "52 racks/year", Rate, 52 / WeeksPerYear, "rack", ""},
		{"million", "1.5 M stacks/week", Rate, 1.5e6, "stack", ""},
		{"million glued", "1.5M stacks/week", Rate, 1.5e6, "stack", ""},
		{"thousand", "2 thousand racks/week", Rate, 2000, "rack", ""},
		{"k", "3 k units/week", Rate, 3000, "unit", ""},
		{"billion", "1 billion chips/year", Rate, 1e9 / WeeksPerYear, "chip", ""},
		{"GW per week", "1 GW/week", Rate, 1000, "MW", ""},
		{"MW per week", "400 MW/week", Rate, 400, "MW", ""},
		{"MW per month", "400 MW/month", Rate, 400 / month, "MW", ""},
		{"spaced slash", "5 racks / week", Rate, 5, "rack", ""},
		{"MWt kept", "4000 MWt/week", Rate, 4000, "MWt", ""},
		{"three-letter plural", "3 PCs/week", Rate, 3, "PC", ""},

		// Intensity: things per basis.
		{"racks per MW", "8 racks/MW", Intensity, 8, "rack", "MW"},
		{"per GW", "8000 racks/GW", Intensity, 8, "rack", "MW"},
		{"per kW", "0.008 racks/kW", Intensity, 8, "rack", "MW"},
		{"transceivers", "2.5 transceivers/accelerator", Intensity, 2.5, "transceiver", "accelerator"},
		{"grid MW", "0.01 units/grid-MW", Intensity, 0.01, "unit", "grid-MW"},
		{"MWt per MW", "1.1 MWt/MW", Intensity, 1.1, "MWt", "MW"},
		{"kW per rack", "120 kW/rack", Intensity, 0.12, "MW", "rack"},
		{"plural basis", "4 stacks/accelerators", Intensity, 4, "stack", "accelerator"},
		{"per words", "8 racks per MW", Intensity, 8, "rack", "MW"},
		{"thousand per", "1.2 k wafers/GW", Intensity, 1.2, "wafer", "MW"},

		// Count.
		{"robots", "13000 robots", Count, 13000, "robot", ""},
		{"count comma", "13,000 robots", Count, 13000, "robot", ""},
		{"count k", "13k robots", Count, 13000, "robot", ""},
		{"count million", "2 million workers", Count, 2e6, "worker", ""},
		{"glass keeps ss", "5 glass", Count, 5, "glass", ""},
		{"MW count", "5 MW", Count, 5, "MW", ""},

		// Ratio.
		{"plain", "1.2", Ratio, 1.2, "", ""},
		{"x", "1.2x", Ratio, 1.2, "", ""},
		{"spaced x", "1.2 x", Ratio, 1.2, "", ""},
		{"times sign", "1.5×", Ratio, 1.5, "", ""},
		{"integer", "3", Ratio, 3, "", ""},
		{"exponent ratio", "1e-3", Ratio, 0.001, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.in, tc.dim)
			if err != nil {
				t.Fatalf("Parse(%q, %d): %v", tc.in, tc.dim, err)
			}
			if !near(q.Value, tc.want) {
				t.Errorf("Parse(%q).Value = %.17g, want %.17g", tc.in, q.Value, tc.want)
			}
			if q.Dim != tc.dim {
				t.Errorf("Parse(%q).Dim = %d, want %d", tc.in, q.Dim, tc.dim)
			}
			if q.Of != tc.of || q.Per != tc.per {
				t.Errorf("Parse(%q) Of/Per = %q/%q, want %q/%q", tc.in, q.Of, q.Per, tc.of, tc.per)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		dim  Dim
		msg  string // substring of Error.Msg
	}{
		{"empty", "", Duration, "empty value"},
		{"blank", "   ", Power, "empty value"},
		{"missing duration unit", "26", Duration, "missing unit"},
		{"missing power unit", "250", Power, "missing unit"},
		{"missing count unit", "13000", Count, "missing unit"},
		{"unknown duration unit", "26 fortnights", Duration, `unknown duration unit "fortnights"`},
		{"month abbreviation m is ambiguous", "6 m", Duration, "unknown duration unit"},
		{"unknown power unit", "250 MVA", Power, `unknown power unit "MVA"`},
		{"power is case sensitive", "250 mw", Power, "unknown power unit"},
		{"unknown compute unit", "2.5 PFLOPS", Compute, "unknown compute unit"},
		{"no number", "weeks", Duration, "does not start with a number"},
		{"sign only", "- 5 weeks", Duration, "does not start with a number"},
		{"point only", ". weeks", Duration, "does not start with a number"},
		{"two points", "1.2.3 weeks", Duration, "does not start with a number"},
		{"dangling exponent", "1e+ MW", Power, "does not start with a number"},
		{"NaN", "NaN", Ratio, "does not start with a number"},
		{"NaN with unit", "NaN MW", Power, "does not start with a number"},
		{"Inf", "Inf weeks", Duration, "does not start with a number"},
		{"overflowing literal", "1e309 MW", Power, "not a finite number"},
		{"overflowing ratio", "1e999", Ratio, "not a finite number"},
		{"overflow after scaling", "1e308 TW", Power, "not a finite number"},
		{"overflowing money", "$1e308T", Money, "not a finite number"},
		{"overflowing rate", "1e308 wafers/day", Rate, "not a finite number"},
		{"share without percent", "0.3", Fraction, "missing unit"},
		{"share as fraction word", "0.3 fraction", Fraction, "a share is written as a percentage"},
		{"share with word", "30 percent", Fraction, "a share is written as a percentage"},
		{"growth without year", "25%", Growth, "a growth rate is written per year"},
		{"growth per month", "2%/month", Growth, "a growth rate is written per year"},
		{"money without currency", "3.4M", Money, "not an amount of money"},
		{"money plain number", "1200", Money, "not an amount of money"},
		{"money bad suffix", "$3.4X", Money, "not an amount of money"},
		{"money currency only", "$", Money, "not an amount of money"},
		{"money euro", "€3M", Money, "not an amount of money"},
		{"ratio with unit", "1.2 MW", Ratio, "a ratio has no unit"},
		{"decimal comma", "1,2", Ratio, "a ratio has no unit"},
		{"decimal comma weeks", "1,5 weeks", Duration, "unknown duration unit"},
		{"comma after point", "1.234,5 weeks", Duration, "unknown duration unit"},
		{"count with basis", "8 racks/MW", Count, "a count has no basis"},
		{"rate without basis", "75000 wafers", Rate, "a rate needs a time basis"},
		{"rate unknown basis", "75000 wafers/fortnight", Rate, `unknown time basis "fortnight"`},
		{"rate without thing", "5/week", Rate, "a rate needs a thing counted"},
		{"rate without thing spaced", "5 /week", Rate, "a rate needs a thing counted"},
		{"intensity without basis", "8 racks", Intensity, "an intensity needs a basis"},
		{"intensity empty basis", "8 racks/", Intensity, "an intensity needs a basis"},
		{"intensity empty thing", "8 /MW", Intensity, "an intensity needs a basis"},
		{"unknown dimension", "5 weeks", Dim(99), "unknown dimension"},
		{"zero dimension", "5 weeks", Dim(0), "unknown dimension"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.in, tc.dim)
			if err == nil {
				t.Fatalf("Parse(%q, %d) = %+v, want an error containing %q", tc.in, tc.dim, q, tc.msg)
			}
			var ue *Error
			if !errors.As(err, &ue) {
				t.Fatalf("Parse(%q) error %T, want *Error", tc.in, err)
			}
			if !strings.Contains(ue.Msg, tc.msg) {
				t.Errorf("Parse(%q) Msg = %q, want it to contain %q", tc.in, ue.Msg, tc.msg)
			}
			if ue.Got != tc.in {
				t.Errorf("Parse(%q) Got = %q, want the input as written", tc.in, ue.Got)
			}
			if ue.Want != tc.dim.String() {
				t.Errorf("Parse(%q) Want = %q, want %q", tc.in, ue.Want, tc.dim.String())
			}
			if q != (Quantity{}) {
				t.Errorf("Parse(%q) returned %+v with an error, want the zero Quantity", tc.in, q)
			}
			wantText := ue.Msg + ` (got "` + tc.in + `", want ` + tc.dim.String() + ")"
			if err.Error() != wantText {
				t.Errorf("Error() = %q, want %q", err.Error(), wantText)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := Parse("26", Duration)
	want := `missing unit (got "26", want a duration such as "26 weeks", "18 months" or "3 years")`
	if err == nil || err.Error() != want {
		t.Fatalf("Parse(\"26\", Duration) error = %v, want %s", err, want)
	}
	e := &Error{Got: `a "b"`, Msg: "bad", Want: "something"}
	if got, want := e.Error(), `bad (got "a \"b\"", want something)`; got != want {
		t.Errorf("Error() = %s, want %s", got, want)
	}
}

func TestDimString(t *testing.T) {
	for _, d := range []Dim{Duration, Power, Money, Fraction, Growth, Compute, Rate, Intensity, Count, Ratio} {
		s := d.String()
		if s == "" || s == "a quantity" || !strings.Contains(s, `"`) {
			t.Errorf("Dim(%d).String() = %q, want a description with an example", d, s)
		}
	}
	if got := Dim(0).String(); got != "a quantity" {
		t.Errorf("Dim(0).String() = %q, want %q", got, "a quantity")
	}
}

func TestSingular(t *testing.T) {
	tests := []struct{ in, want string }{
		{"wafers", "wafer"},
		{"wafer", "wafer"},
		{"racks", "rack"},
		{"accelerators", "accelerator"},
		{"GPUs", "GPU"},
		{"PCs", "PC"},
		{"glass", "glass"},
		{"MW", "MW"},
		{"MWt", "MWt"},
		{"grid-MW", "grid-MW"},
		{"Ws", "Ws"},
		{"s", "s"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Singular(tc.in); got != tc.want {
			t.Errorf("Singular(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWeeksPerYear(t *testing.T) {
	if !near(WeeksPerYear*7, 365.2425) {
		t.Errorf("WeeksPerYear*7 = %v, want 365.2425", WeeksPerYear*7)
	}
	// "18 months" is a year and a half.
	q, err := Parse("18 months", Duration)
	if err != nil {
		t.Fatal(err)
	}
	y, err := Parse("1.5 years", Duration)
	if err != nil {
		t.Fatal(err)
	}
	if !near(q.Value, y.Value) {
		t.Errorf("18 months = %v weeks, 1.5 years = %v weeks; want equal", q.Value, y.Value)
	}
}

func TestParsePrice(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		per  string
	}{
		{"$70/MWh", 70, "MWh"},
		{"$0.07/kWh", 70, "MWh"},
		{"$8M/MW", 8e6, "MW"},
		{"$8B/GW", 8e6, "MW"},
		{"$10M/MW-year", 10e6, "MW-year"},
		{"$10B/GW-year", 10e6, "MW-year"},
		{"$45k/accelerator", 45e3, "accelerator"},
	}
	for _, c := range cases {
		q, err := Parse(c.in, Price)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if math.Abs(q.Value-c.want) > 1e-9*c.want || q.Per != c.per {
			t.Errorf("%s = %v per %q, want %v per %q", c.in, q.Value, q.Per, c.want, c.per)
		}
	}
	for _, bad := range []string{"70/MWh", "$70", "$70/", "$70/M W"} {
		if _, err := Parse(bad, Price); err == nil {
			t.Errorf("%s: accepted, want an error", bad)
		}
	}
}
