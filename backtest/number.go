package backtest

import (
	"math"
	"strconv"

	"github.com/gwf-project/gwf/internal/jsonnum"
)

// Number is a float64 that marshals to JSON compactly and deterministically,
// rounded to 1e-6 and 12 significant digits as export.Num is, so that the
// last bits of floating point never change an output file; NaN and ±Inf
// marshal as null.
type Number float64

// MarshalJSON implements json.Marshaler (see jsonnum).
func (n Number) MarshalJSON() ([]byte, error) { return jsonnum.Marshal(float64(n)), nil }

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
