// Package jsonnum writes floating-point numbers to JSON the way every gwf
// output does: rounded to 1e-6 and to twelve significant digits, without
// exponents or negative zero, so the last bits of floating point never
// change an output file; NaN and ±Inf are written as null.
package jsonnum

import (
	"math"
	"strconv"
)

// Marshal returns f as gwf writes numbers to JSON.
func Marshal(f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null")
	}
	f = math.Round(f*1e6) / 1e6
	if f == math.Trunc(f) && math.Abs(f) < 1e12 {
		// A whole number of at most twelve digits is its own rounding to
		// twelve significant digits, and its shortest form is its digits
		// (-0 prints as 0).
		return strconv.AppendInt(nil, int64(f), 10)
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if f == 0 {
		f = 0 // no negative zero
	}
	return strconv.AppendFloat(nil, f, 'f', -1, 64)
}
