// Package scenario defines gwf's scenario: every parameter of a run, each
// with its unit and its source, read from one YAML file.
//
// A scenario may start from another with "base: reference" (the embedded
// reference scenario) or "base: other.yaml" and override only what it
// changes; the files are merged key by key before decoding, so each value
// remembers the file, line and column that set it. Load refuses bad input
// with errors of the form file:line:column: field.path: what is wrong (got
// X, want Y).
//
// The package does no I/O of its own beyond the file system it is handed.
package scenario
