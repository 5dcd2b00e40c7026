// Package backtest runs gwf from historical starting conditions and
// compares what the model builds with what was recorded.
//
// A Case is a starting year (2022 or 2023) with its scenario, written like
// the reference scenario with every value sourced (scenarios/*.yaml). The
// recorded series live in data/*.csv, one file per series, every row with
// its period, value, source and confidence. Run simulates a case and maps
// the simulation's weekly output onto each recorded period (Series says
// how), giving per-row absolute and percentage errors and, per series and
// overall, the mean absolute percentage error in sample (the periods the
// fitted parameters were calibrated on) and out of sample (later periods).
// Fit re-runs that calibration so anyone can check the scenario's fitted
// values.
//
// The engine starts every run from an empty pipeline, while the industry of
// 2022 had years of projects under way. The backtest therefore warms the
// model up: it starts the run WarmStartWeeks earlier with every supply line
// back-cast along its own growth, so that on the case's start date the lines
// stand at their recorded values and the pipeline holds what they could
// have started. Only periods from the start date on are compared.
//
// The package is pure: it reads only its embedded files and does no other
// I/O.
package backtest
