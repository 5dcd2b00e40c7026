package units

import (
	"math"
	"strconv"
)

// FormatMW prints a power in MW or GW with sensible precision.
func FormatMW(mw float64) string {
	if math.Abs(mw) >= 1000 {
		return trim(mw/1000, 2) + " GW"
	}
	return trim(mw, 1) + " MW"
}

// FormatUSD prints money with a k/M/B/T suffix.
func FormatUSD(usd float64) string {
	a := math.Abs(usd)
	switch {
	case a >= 1e12:
		return "$" + trim(usd/1e12, 2) + "T"
	case a >= 1e9:
		return "$" + trim(usd/1e9, 2) + "B"
	case a >= 1e6:
		return "$" + trim(usd/1e6, 2) + "M"
	case a >= 1e3:
		return "$" + trim(usd/1e3, 1) + "k"
	}
	return "$" + trim(usd, 2)
}

// FormatWeeks prints a duration in weeks.
func FormatWeeks(w float64) string {
	return trim(w, 1) + " weeks"
}

// FormatNumber prints v with at most prec decimals and no trailing zeros.
func FormatNumber(v float64, prec int) string { return trim(v, prec) }

func trim(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if prec > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
