// Package units parses and prints the quantities a scenario is written in:
// durations, power, money, fractions, compute throughput, and rates and
// intensities of named things ("75000 wafers/month", "0.012 units/MW").
//
// Every number in a scenario carries its unit, so a reader never has to guess
// whether 26 means weeks or months. Values are converted to one canonical
// unit per dimension: weeks, MW, USD, fractions (0..1), FLOP/s, and counts
// per week.
package units
