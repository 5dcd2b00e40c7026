package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Dim is the dimension a field expects.
type Dim int

// The dimensions of scenario quantities.
const (
	Duration  Dim = iota + 1 // canonical unit: weeks
	Power                    // canonical unit: MW
	Money                    // canonical unit: USD
	Fraction                 // canonical unit: fraction (30% = 0.3)
	Growth                   // canonical unit: fraction per year ("25%/year")
	Compute                  // canonical unit: FLOP/s
	Rate                     // canonical unit: things per week ("75000 wafers/month")
	Intensity                // canonical unit: things per basis ("8 racks/MW")
	Count                    // canonical unit: things ("13000 robots")
	Ratio                    // a plain number, optionally with "x" ("1.2" or "1.2x")
	Price                    // canonical unit: USD per basis ("$70/MWh", "$8M/MW", "$10M/MW-year")
)

// WeeksPerYear is the number of weeks in a mean Gregorian year.
const WeeksPerYear = 365.2425 / 7

// String names the dimension with an example, for error messages.
func (d Dim) String() string {
	switch d {
	case Duration:
		return `a duration such as "26 weeks", "18 months" or "3 years"`
	case Power:
		return `a power such as "250 MW", "1.2 GW" or "700 W"`
	case Money:
		return `an amount of money such as "$30k", "$3.4M" or "$40B"`
	case Fraction:
		return `a percentage such as "30%"`
	case Growth:
		return `a growth rate such as "25%/year"`
	case Compute:
		return `a compute throughput such as "2.5 PFLOP/s"`
	case Rate:
		return `a rate such as "75000 wafers/month" or "400 MW/week"`
	case Intensity:
		return `an intensity such as "8 racks/MW" or "2.5 transceivers/accelerator"`
	case Count:
		return `a count such as "13000 robots"`
	case Ratio:
		return `a plain ratio such as "1.2"`
	case Price:
		return `a price such as "$70/MWh", "$8M/MW" or "$10M/MW-year"`
	}
	return "a quantity"
}

// Quantity is a parsed value in its dimension's canonical unit. Of and Per
// name the things counted and the basis for Rate, Intensity and Count
// ("wafers" per "week"; "racks" per "MW").
type Quantity struct {
	Value float64
	Dim   Dim
	Of    string // the thing counted (Rate, Intensity, Count)
	Per   string // the basis of an Intensity ("MW", "accelerator", "grid-MW")
}

// Error describes a quantity that could not be read. Got is the text as
// written and Want says what was expected.
type Error struct {
	Got  string
	Msg  string
	Want string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (got %q, want %s)", e.Msg, e.Got, e.Want)
}

var durationUnits = map[string]float64{
	"week": 1, "weeks": 1, "wk": 1, "wks": 1, "w": 1,
	"day": 1.0 / 7, "days": 1.0 / 7, "d": 1.0 / 7,
	"month": WeeksPerYear / 12, "months": WeeksPerYear / 12, "mo": WeeksPerYear / 12,
	"quarter": WeeksPerYear / 4, "quarters": WeeksPerYear / 4,
	"year": WeeksPerYear, "years": WeeksPerYear, "yr": WeeksPerYear, "yrs": WeeksPerYear, "y": WeeksPerYear,
}

var powerUnits = map[string]float64{
	"W": 1e-6, "kW": 1e-3, "MW": 1, "GW": 1e3, "TW": 1e6,
}

var computeUnits = map[string]float64{
	"FLOP/s": 1, "kFLOP/s": 1e3, "MFLOP/s": 1e6, "GFLOP/s": 1e9, "TFLOP/s": 1e12,
	"PFLOP/s": 1e15, "EFLOP/s": 1e18, "ZFLOP/s": 1e21,
}

// energyUnits convert energy to MWh.
var energyUnits = map[string]float64{"kWh": 1e-3, "MWh": 1, "GWh": 1e3, "TWh": 1e6}

// priceBasis normalises the basis of a price: power to MW, energy to MWh,
// power-time to MW-year; anything else is kept (singular), e.g.
// "accelerator". scale is how many canonical bases one written basis is.
func priceBasis(b string) (string, float64, bool) {
	if b == "" {
		return "", 0, false
	}
	if f, ok := powerUnits[b]; ok {
		return "MW", f, true
	}
	if f, ok := energyUnits[b]; ok {
		return "MWh", f, true
	}
	if p, t, ok := strings.Cut(b, "-"); ok {
		if f, ok := powerUnits[p]; ok {
			switch t {
			case "year", "yr", "y":
				return "MW-year", f, true
			case "week", "wk":
				return "MW-week", f, true
			}
		}
	}
	for _, r := range b {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return "", 0, false
		}
	}
	return Singular(b), 1, true
}

// countMultipliers scale counted things: "1.5 M stacks/week".
var countMultipliers = []struct {
	prefix string
	factor float64
}{
	{"k ", 1e3}, {"thousand ", 1e3}, {"M ", 1e6}, {"million ", 1e6}, {"B ", 1e9}, {"billion ", 1e9},
}

var moneySuffix = map[string]float64{
	"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12,
}

// Parse reads s as a quantity of dimension d.
func Parse(s string, d Dim) (Quantity, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return Quantity{}, &Error{Got: s, Msg: "empty value", Want: d.String()}
	}
	bad := func(msg string) (Quantity, error) {
		return Quantity{}, &Error{Got: s, Msg: msg, Want: d.String()}
	}
	if d == Price {
		i := strings.LastIndex(text, "/")
		if i < 0 {
			return bad("a price needs a basis")
		}
		v, ok := parseMoney(strings.TrimSpace(text[:i]))
		if !ok {
			return bad("not an amount of money")
		}
		per, scale, ok := priceBasis(strings.TrimSpace(text[i+1:]))
		if !ok {
			return bad("unknown basis " + strconvQuote(strings.TrimSpace(text[i+1:])))
		}
		return checked(Quantity{Value: v / scale, Dim: d, Per: per}, s)
	}
	if d == Money {
		v, ok := parseMoney(text)
		if !ok {
			return bad("not an amount of money")
		}
		return checked(Quantity{Value: v, Dim: d}, s)
	}
	num, unit, ok := splitNumber(text)
	if !ok {
		return bad("does not start with a number")
	}
	unit = strings.TrimSpace(unit)
	if d == Rate || d == Count || d == Intensity {
		for _, m := range countMultipliers {
			if strings.HasPrefix(unit, m.prefix) {
				num *= m.factor
				unit = strings.TrimSpace(unit[len(m.prefix):])
				break
			}
		}
	}
	if d == Ratio {
		if unit != "" && unit != "x" && unit != "×" {
			return bad("a ratio has no unit")
		}
		return checked(Quantity{Value: num, Dim: d}, s)
	}
	if unit == "" {
		return bad("missing unit")
	}
	unit = normaliseSlash(unit)
	switch d {
	case Duration:
		f, ok := durationUnits[unit]
		if !ok {
			return bad("unknown duration unit " + strconvQuote(unit))
		}
		return checked(Quantity{Value: num * f, Dim: d}, s)
	case Power:
		f, ok := powerUnits[unit]
		if !ok {
			return bad("unknown power unit " + strconvQuote(unit))
		}
		return checked(Quantity{Value: num * f, Dim: d}, s)
	case Compute:
		f, ok := computeUnits[unit]
		if !ok {
			return bad("unknown compute unit " + strconvQuote(unit))
		}
		return checked(Quantity{Value: num * f, Dim: d}, s)
	case Fraction:
		if unit != "%" {
			return bad("a share is written as a percentage")
		}
		return checked(Quantity{Value: num / 100, Dim: d}, s)
	case Growth:
		if unit != "%/year" && unit != "%/yr" && unit != "%/y" {
			return bad("a growth rate is written per year")
		}
		return checked(Quantity{Value: num / 100, Dim: d}, s)
	case Count:
		if strings.Contains(unit, "/") {
			return bad("a count has no basis")
		}
		return checked(Quantity{Value: num, Dim: d, Of: Singular(unit)}, s)
	case Rate:
		of, per, ok := strings.Cut(unit, "/")
		if !ok {
			return bad("a rate needs a time basis")
		}
		if of == "" {
			return bad("a rate needs a thing counted")
		}
		f, ok := durationUnits[per]
		if !ok {
			return bad("unknown time basis " + strconvQuote(per))
		}
		if pf, isPower := powerUnits[of]; isPower {
			return checked(Quantity{Value: num * pf / f, Dim: d, Of: "MW"}, s)
		}
		return checked(Quantity{Value: num / f, Dim: d, Of: Singular(of)}, s)
	case Intensity:
		of, per, ok := strings.Cut(unit, "/")
		if !ok || of == "" || per == "" {
			return bad("an intensity needs a basis")
		}
		v := num
		if pf, isPower := powerUnits[of]; isPower {
			v *= pf
			of = "MW"
		}
		if pf, isPower := powerUnits[per]; isPower {
			v /= pf
			per = "MW"
		}
		return checked(Quantity{Value: v, Dim: d, Of: Singular(of), Per: Singular(per)}, s)
	}
	return bad("unknown dimension")
}

func checked(q Quantity, s string) (Quantity, error) {
	if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
		return Quantity{}, &Error{Got: s, Msg: "not a finite number", Want: q.Dim.String()}
	}
	return q, nil
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// normaliseSlash turns "wafers per month" and "wafers / month" into
// "wafers/month".
func normaliseSlash(u string) string {
	u = strings.ReplaceAll(u, " per ", "/")
	u = strings.ReplaceAll(u, " / ", "/")
	u = strings.ReplaceAll(u, "/ ", "/")
	u = strings.ReplaceAll(u, " /", "/")
	return u
}

// Singular strips a plural "s" so that "wafers" and "wafer" name the same
// thing. Units shorter than three letters and power units are left alone.
func Singular(u string) string {
	if _, ok := powerUnits[u]; ok {
		return u
	}
	if len(u) >= 3 && strings.HasSuffix(u, "s") && !strings.HasSuffix(u, "ss") {
		return u[:len(u)-1]
	}
	return u
}

// splitNumber splits "75,000 wafers/month" into 75000 and " wafers/month".
// Underscores between digits are allowed as separators, and commas between
// groups of three digits before any decimal point ("1,200" but not "1,2").
// A number too large for a float64 is returned as ±Inf for the caller to
// reject as not finite.
func splitNumber(s string) (float64, string, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	start := i
	intPart := true // no decimal point or exponent seen yet
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			i++
		case c == '.':
			intPart = false
			i++
		case c == ',' && i > start && intPart && digitGroup(s[i+1:]):
			i++
		case c == '_' && i > start && i+1 < len(s) && isDigit(s[i+1]):
			i++
		case (c == 'e' || c == 'E') && i > start && i+1 < len(s) && (isDigit(s[i+1]) || s[i+1] == '-' || s[i+1] == '+'):
			intPart = false
			i += 2
		default:
			goto done
		}
	}
done:
	if i == start {
		return 0, "", false
	}
	clean := WithoutDigitSeparators(s[:i])
	v, err := strconv.ParseFloat(clean, 64)
	if err != nil && !math.IsInf(v, 0) {
		return 0, "", false
	}
	return v, s[i:], true
}

// WithoutDigitSeparators drops the thousands separators ("1,000") and
// digit groupings ("1_000") a number may be written with.
func WithoutDigitSeparators(s string) string { return digitSeparators.Replace(s) }

// digitSeparators is WithoutDigitSeparators' Replacer, built once: its
// tables cost more to make than a number costs to parse.
var digitSeparators = strings.NewReplacer(",", "", "_", "")

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digitGroup reports whether s starts with exactly three digits, as after a
// thousands separator.
func digitGroup(s string) bool {
	return len(s) >= 3 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (len(s) == 3 || !isDigit(s[3]))
}

// parseMoney reads "$3.4M", "$ 40B", "3.4M USD", "USD 3.4 M", "1,200 USD".
func parseMoney(s string) (float64, bool) {
	t := s
	hasCurrency := false
	if strings.HasPrefix(t, "-$") {
		t = "-" + t[2:]
		hasCurrency = true
	}
	for _, p := range []string{"$", "USD"} {
		if strings.HasPrefix(t, p) {
			t = strings.TrimSpace(t[len(p):])
			hasCurrency = true
		}
	}
	if strings.HasSuffix(t, "USD") {
		t = strings.TrimSpace(strings.TrimSuffix(t, "USD"))
		hasCurrency = true
	}
	if !hasCurrency {
		return 0, false
	}
	num, rest, ok := splitNumber(t)
	if !ok {
		return 0, false
	}
	f, ok := moneySuffix[strings.TrimSpace(rest)]
	if !ok {
		return 0, false
	}
	return num * f, true
}
