package sim

// RunEager is RunWith with every waiting project looked at every week,
// as the engine did before event-driven waits (see sleep.go).
func RunEager(m *Model, pol Policy, o Options) *Result {
	o.eager = true
	return RunWith(m, pol, o)
}
