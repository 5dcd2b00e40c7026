package sweep

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/sim"
)

// Options tune how chunks run; none changes what they find.
type Options struct {
	// Workers is how many runs go at once; zero or less means one per CPU.
	Workers int
	// Progress, if set, is called after each run with the runs finished so
	// far. It is called from several goroutines at once and must be quick.
	Progress func(runs int)
	// Done, if set, is called with each chunk's tally as it finishes, one
	// call at a time.
	Done func(*Tally)
}

// Run runs chunks of the study and returns their tallies, ordered by cell
// and first run. Runs are shared among the workers across chunks, so a
// single chunk still uses every CPU.
//
// When ctx is cancelled, Run stops starting runs, waits for those under
// way, and returns the chunks that finished with ctx's error: what
// finished is kept, what did not is dropped whole.
func (s *Study) Run(ctx context.Context, chunks []Chunk, o Options) ([]*Tally, error) {
	frames := make([]*cellFrame, len(chunks))
	for k, c := range chunks {
		f, err := s.frame(c.Cell)
		if err != nil {
			return nil, err
		}
		if c.Count < 1 || c.First < 0 || c.First+c.Count > s.Runs {
			return nil, fmt.Errorf("%v: outside the study's %d runs per cell", c, s.Runs)
		}
		frames[k] = f
	}
	type job struct {
		t    *Tally
		mu   sync.Mutex
		left int
	}
	jobs := make([]*job, len(chunks))
	starts := make([]int, len(chunks)+1) // starts[k]: index of chunk k's first run in the flat list
	for k, c := range chunks {
		jobs[k] = &job{t: newTally(c, frames[k].m), left: c.Count}
		starts[k+1] = starts[k] + c.Count
	}
	total := starts[len(chunks)]
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, total))

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next, done atomic.Int64
	var doneMu sync.Mutex
	var finished []*Tally
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var runner sim.Runner
			ctl := sim.NewController()
			k := 0
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				for starts[k+1] <= i {
					k++
				}
				c, f := chunks[k], frames[k]
				run := c.First + i - starts[k]
				m, err := mc.Model(f.sc, s.Seed, run)
				if err != nil {
					cancel(fmt.Errorf("cell %d run %d: %w", c.Cell, run, err))
					return
				}
				ctl.Reset()
				r := runner.Run(m, ctl, sim.Options{WeeksOnly: true})
				if len(r.Invariants) > 0 {
					cancel(fmt.Errorf("cell %d run %d broke a conservation law (a bug in gwf): %s", c.Cell, run, r.Invariants[0]))
					return
				}
				j := jobs[k]
				j.mu.Lock()
				j.t.add(r)
				j.left--
				last := j.left == 0
				j.mu.Unlock()
				if last {
					doneMu.Lock()
					finished = append(finished, j.t)
					if o.Done != nil {
						o.Done(j.t)
					}
					doneMu.Unlock()
				}
				if n := done.Add(1); o.Progress != nil {
					o.Progress(int(n))
				}
			}
		})
	}
	wg.Wait()
	sortTallies(finished)
	if cause := context.Cause(ctx); cause != nil && len(finished) < len(chunks) {
		return finished, cause
	}
	return finished, nil
}

func sortTallies(ts []*Tally) {
	slices.SortFunc(ts, func(a, b *Tally) int {
		if a.Cell != b.Cell {
			return a.Cell - b.Cell
		}
		return a.First - b.First
	})
}
