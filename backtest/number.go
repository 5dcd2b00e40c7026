package backtest

import (
	"math"
	"strconv"
)

// Number is a float64 that marshals to JSON compactly and deterministically,
// rounded to 1e-6 and 12 significant digits as export.Num is, so that the
// last bits of floating point never change an output file; NaN and ±Inf
// marshal as null.
type Number float64

// MarshalJSON implements json.Marshaler.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	f = math.Round(f*1e6) / 1e6
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if f == 0 {
		f = 0 // no negative zero
	}
	return strconv.AppendFloat(nil, f, 'f', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler; null reads as NaN.
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*n = Number(f)
	return nil
}
