package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/queue"
	"github.com/gwf-project/gwf/server"
	"github.com/gwf-project/gwf/sweep"
)

func (e *env) workerCommand() *cobra.Command {
	var (
		url     string
		workers int
		ackWait time.Duration
	)
	cmd := &cobra.Command{
		Use:   "worker --nats URL",
		Short: "Run sweep and Monte Carlo chunks handed out through NATS JetStream (see gwf sweep --nats, gwf serve --nats)",
		Long: `Pull chunks of sweep studies (gwf sweep --nats) and of the web app's Monte
Carlo jobs (gwf serve --nats) from the NATS JetStream work queue at URL,
run them and publish their partial results, until stopped (Ctrl-C or
SIGTERM). A chunk whose worker dies is delivered to another after --ack-wait;
duplicates are ignored, so any number of workers may come and go.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if url == "" {
				return usageError{errors.New("--nats URL is required")}
			}
			if workers < 0 || ackWait < 0 {
				return usageError{errors.New("--workers and --ack-wait must not be negative")}
			}
			nc, err := nats.Connect(url, nats.Name("gwf worker"), nats.MaxReconnects(-1))
			if err != nil {
				return fmt.Errorf("connecting to NATS at %s: %w", url, err)
			}
			defer nc.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			defer batchGC()()
			log := slog.New(slog.NewTextHandler(e.stderr, nil))
			log.Info("worker started", "nats", url)
			return (&queue.Worker{AckWait: ackWait, Workers: workers, Log: log, ParseMC: server.ParseScenario}).Run(ctx, nc)
		},
	}
	cmd.Flags().StringVar(&url, "nats", "", "NATS server `URL`, such as nats://nats:4222")
	cmd.Flags().IntVar(&workers, "workers", 0, "runs at once (default: one per CPU)")
	cmd.Flags().DurationVar(&ackWait, "ack-wait", queue.DefaultAckWait, "time a chunk may go without word from its worker before another gets it")
	return cmd
}

// sweepNATS runs a study through a NATS work queue: it enqueues the chunks,
// runs local workers in this process (if any), and merges the partials as
// they arrive. url "embedded" starts a NATS server in this process.
func (e *env) sweepNATS(ctx context.Context, s *sweep.Study, url string, local, workers int, o sweepOutputs) error {
	if url == "embedded" {
		dir, err := os.MkdirTemp("", "gwf-nats-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		ns, err := queue.Embedded(dir)
		if err != nil {
			return err
		}
		defer ns.Shutdown()
		url = ns.ClientURL()
		fmt.Fprintf(e.stderr, "embedded NATS server at %s (other machines may join: gwf worker --nats %s)\n", url, url)
		if local < 1 {
			local = 1
		}
	}
	nc, err := nats.Connect(url, nats.Name("gwf sweep"))
	if err != nil {
		return fmt.Errorf("connecting to NATS at %s: %w", url, err)
	}
	defer nc.Close()
	wctx, stopWorkers := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stopWorkers(); wg.Wait() }()
	for range local {
		wc, err := nats.Connect(url, nats.Name("gwf sweep local worker"))
		if err != nil {
			return err
		}
		wg.Go(func() {
			defer wc.Close()
			if err := (&queue.Worker{Workers: workers}).Run(wctx, wc); err != nil && wctx.Err() == nil {
				fmt.Fprintf(e.stderr, "gwf: local worker: %v\n", err)
			}
		})
	}
	if err := queue.Submit(ctx, nc, s); err != nil {
		return err
	}
	chunks := len(s.Chunks())
	bar := e.progress(chunks, "chunks")
	tallies, err := queue.Collect(ctx, nc, s, bar.set)
	bar.finish()
	return e.finishSweep(s, tallies, chunks, err, o)
}
