// Package export writes a run's results in machine-readable forms: one JSON
// document, and CSV files of the weekly series and the project log. Output
// is deterministic: the same run gives the same bytes.
package export
