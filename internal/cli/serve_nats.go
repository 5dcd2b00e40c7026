package cli

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/nats-io/nats.go"

	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/server"
)

// serveNATS connects gwf serve to the NATS server at url, so its Monte
// Carlo jobs run on gwf worker processes. url "embedded" starts a NATS
// server in this process. local workers run in this process too (at least
// one with "embedded", so one machine works alone). The returned function
// stops the local workers and closes the connection and any embedded
// server; call it after the web server has stopped.
func (e *env) serveNATS(url string, local int) (*nats.Conn, func(), error) {
	var cleanups []func()
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	if url == "embedded" {
		dir, err := os.MkdirTemp("", "gwf-nats-")
		if err != nil {
			return nil, nil, err
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		ns, err := queue.Embedded(dir)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		cleanups = append(cleanups, ns.Shutdown)
		url = ns.ClientURL()
		fmt.Fprintf(e.stderr, "embedded NATS server at %s (other machines may join: gwf worker --nats %s)\n", url, url)
		local = max(local, 1)
	}
	nc, err := nats.Connect(url, nats.Name("gwf serve"), nats.MaxReconnects(-1))
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("connecting to NATS at %s: %w", url, err)
	}
	cleanups = append(cleanups, nc.Close)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	cleanups = append(cleanups, func() { stop(); wg.Wait() })
	for range local {
		wc, err := nats.Connect(url, nats.Name("gwf serve local worker"))
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("connecting to NATS at %s: %w", url, err)
		}
		wg.Go(func() {
			defer wc.Close()
			if err := (&queue.Worker{ParseMC: server.ParseScenario}).Run(ctx, wc); err != nil && ctx.Err() == nil {
				fmt.Fprintf(e.stderr, "gwf: local worker: %v\n", err)
			}
		})
	}
	return nc, cleanup, nil
}
