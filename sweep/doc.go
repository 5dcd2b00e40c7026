// Package sweep runs studies: a grid (or a Latin-hypercube sample) of
// variations of one base scenario, each cell a Monte Carlo of many runs,
// summarised as one row per cell — P10/P50/P90 of the target-rate and
// 1/10/100 GW dates, the odds of the target rate by the target date, the
// constraint that binds most and the capex.
//
// A study splits into chunks (a cell and a range of its runs) whose
// partial results are counts and order-free quantile sketches: chunks can
// run anywhere, any number of times, in any order, and merge into exactly
// the bytes a single process would write. Run i of every cell draws from
// the stream gwf mc gives run i under the study's seed (see mc.Model), so
// cells differ only by their inputs.
//
// The package does no I/O beyond the ReadFunc it is handed; the gwf
// command and the queue package move partials between machines.
package sweep
