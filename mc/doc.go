// Package mc is gwf's Monte Carlo: it runs a scenario many times, each run
// drawing the scenario's uncertain values and disruption events from its
// own random stream, and summarises the runs as distributions — P10, P50
// and P90 of the milestone dates, weekly bands of capacity online, the
// constraints that bind most often, the runs that never sustain the target
// rate (1 GW/week in the reference).
//
// Results depend only on the scenario, the seed and the runs completed:
// run i draws from a stream keyed by (seed, i), and runs are gathered as
// counts and order-free quantile sketches, so the number of workers never
// changes a result. Memory does not grow with the number of runs.
//
// The package does no I/O; the gwf command prints its results.
package mc
