package sim

// RunEager is RunWith with every waiting project looked at every week,
// as the engine did before event-driven waits (see sleep.go).
func RunEager(m *Model, pol Policy, o Options) *Result {
	o.eager = true
	return RunWith(m, pol, o)
}

// Sleeps counts the times the projects of rn's last run fell asleep.
func Sleeps(rn *Runner) int {
	n := 0
	for _, p := range rn.s.projects {
		n += int(p.sleeps) // each sleep ends in a wake, the last at the run's end
	}
	return n
}
