// Package sim is gwf's engine: a weekly simulation of the factory that
// brings AI infrastructure online. Supply lines produce and deliver orders
// after their lead times; a Policy starts projects, schedules orders and
// funds expansions; projects move through their stages when inputs are in
// stock and crews are free; and every week the MW held back by each missing
// resource is recorded, so the bottleneck is exact rather than guessed.
//
// The engine does no I/O. The same scenario and seed give the same Result,
// bit for bit.
package sim
