package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/internal/safefile"
	"github.com/gwf-project/gwf/sweep"
)

// sweepOutputs says where a study's table goes.
type sweepOutputs struct {
	format  string // stdout: csv or json
	report  string // HTML report file
	out     string // directory for results.csv, results.json, report.html
	heatmap string // "X,Y": axis paths or indices of the heatmap
}

func (o *sweepOutputs) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "format", "csv", "print the results table as `csv` or json")
	cmd.Flags().StringVar(&o.report, "report", "", "write an HTML report to `FILE`: a heatmap over two axes and the cells sorted by odds")
	cmd.Flags().StringVar(&o.heatmap, "heatmap", "", "the heatmap's axes as `X,Y` (paths or 0-based indices; default the first two)")
}

func (e *env) sweepCommand() *cobra.Command {
	var (
		o         sweepOutputs
		workers   int
		shardSpec string
		natsURL   string
		local     int
	)
	cmd := &cobra.Command{
		Use:   "sweep STUDY.yaml",
		Short: "Run a study: a grid of scenario variations, each a Monte Carlo (odds of the target by the target date per cell)",
		Long: `Run the study in STUDY.yaml: a base scenario and axes of scenario values
(explicit lists, ranges with steps, or a Latin-hypercube sample over ranges),
each cell of their grid a Monte Carlo of the study's runs, with gwf mc's seed
rule (run i of every cell draws from the same stream). Prints one row per
cell: its inputs, P10/P50/P90 of the target-rate and 1/10/100 GW dates, the
odds of the target rate by the target date, the constraint binding most and
the capex — as CSV (or --format json); --out DIR also writes results.csv,
results.json, results.parquet and report.html there.

A study splits into chunks (a cell and a range of its runs) that merge
exactly: --shard I/N --out DIR runs one slice and writes a partial that
"gwf sweep merge DIR..." combines; I defaults from JOB_COMPLETION_INDEX
(Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm). --nats URL hands the chunks to
"gwf worker" processes through NATS JetStream; --nats embedded starts a
NATS server in this process with --local-workers workers. Results never
depend on how the study was split or run.

A progress bar shows on a terminal. Ctrl-C stops the study and keeps the
chunks that finished.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if workers < 0 {
				return usageError{fmt.Errorf("--workers %d: want 0 (one per CPU) or more", workers)}
			}
			if err := o.check(); err != nil {
				return err
			}
			s, err := e.loadStudy(args[0])
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			defer batchGC()()
			if natsURL != "" {
				if shardSpec != "" {
					return usageError{errors.New("--shard and --nats: choose one (workers pull chunks from the queue)")}
				}
				if !cmd.Flags().Changed("local-workers") && natsURL != "embedded" {
					local = 0
				}
				return e.sweepNATS(ctx, s, natsURL, local, workers, o)
			}
			chunks := s.Chunks()
			if shardSpec != "" {
				if o.out == "" {
					return usageError{errors.New("--shard needs --out DIR for its partial")}
				}
				i, n, err := sweep.ParseShard(shardSpec, os.Getenv)
				if err != nil {
					return usageError{err}
				}
				if chunks, err = s.Shard(i, n); err != nil {
					return usageError{err}
				}
				return e.sweepShard(ctx, s, chunks, i, n, workers, o.out)
			}
			tallies, err := e.runChunks(ctx, s, chunks, workers)
			return e.finishSweep(s, tallies, len(chunks), err, o)
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&o.out, "out", "", "write results.csv, results.json, results.parquet and report.html to `DIR` (with --shard: the partial)")
	cmd.Flags().IntVar(&workers, "workers", 0, "runs at once (default: one per CPU); never changes the results")
	cmd.Flags().StringVar(&shardSpec, "shard", "", "run shard `I/N` of the study only and write its partial to --out (I defaults from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID: write /N)")
	cmd.Flags().StringVar(&natsURL, "nats", "", "hand chunks to gwf worker processes through the NATS server at `URL` (or \"embedded\")")
	cmd.Flags().IntVar(&local, "local-workers", 1, "with --nats: workers to run in this process too")
	cmd.AddCommand(e.sweepMergeCommand())
	return cmd
}

func (o *sweepOutputs) check() error {
	if o.format != "csv" && o.format != "json" {
		return usageError{fmt.Errorf("--format %q: want csv or json", o.format)}
	}
	return nil
}

// loadStudy reads and parses a study file.
func (e *env) loadStudy(p string) (*sweep.Study, error) {
	src, err := e.readFile(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, usageError{fmt.Errorf("%s: no such study file", p)}
		}
		return nil, err
	}
	return sweep.Parse(p, src, e.readFile)
}

// finishSweep merges what finished and writes the outputs; err is the
// run's error (context.Canceled when stopped).
func (e *env) finishSweep(s *sweep.Study, tallies []*sweep.Tally, chunks int, err error, o sweepOutputs) error {
	stopped := errors.Is(err, context.Canceled)
	if err != nil && !stopped {
		return err
	}
	if stopped && len(tallies) == 0 {
		return errors.New("interrupted before any chunk finished")
	}
	tb, err := s.Merge(tallies)
	if err != nil {
		return err
	}
	if err := e.writeSweep(s, tb, o); err != nil {
		return err
	}
	if stopped {
		return fmt.Errorf("interrupted: %d of %d chunks finished (the results above are theirs)", len(tallies), chunks)
	}
	return nil
}

func (e *env) writeSweep(s *sweep.Study, tb *sweep.Table, o sweepOutputs) error {
	x, y, err := heatmapAxes(s, o.heatmap)
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return err
		}
		for name, write := range map[string]func(io.Writer) error{
			"results.csv":     tb.WriteCSV,
			"results.json":    tb.WriteJSON,
			"results.parquet": tb.WriteParquet,
			"report.html":     func(w io.Writer) error { return tb.WriteHTML(w, s, x, y) },
		} {
			if err := writeFileAtomic(filepath.Join(o.out, name), write); err != nil {
				return err
			}
		}
	}
	if o.report != "" {
		if err := writeFileAtomic(o.report, func(w io.Writer) error { return tb.WriteHTML(w, s, x, y) }); err != nil {
			return err
		}
	}
	if o.format == "json" {
		return tb.WriteJSON(e.stdout)
	}
	return tb.WriteCSV(e.stdout)
}

// heatmapAxes reads --heatmap: two axes by path or index.
func heatmapAxes(s *sweep.Study, spec string) (int, int, error) {
	if spec == "" {
		return 0, 1, nil
	}
	parts := strings.Split(spec, ",")
	if len(parts) != 2 {
		return 0, 0, usageError{fmt.Errorf("--heatmap %q: want two axes, X,Y", spec)}
	}
	var idx [2]int
	for k, p := range parts {
		p = strings.TrimSpace(p)
		idx[k] = -1
		for i, a := range s.Axes {
			if a.Path == p || fmt.Sprint(i) == p {
				idx[k] = i
			}
		}
		if idx[k] < 0 {
			return 0, 0, usageError{fmt.Errorf("--heatmap: %q is not an axis of the study", p)}
		}
	}
	if idx[0] == idx[1] {
		return 0, 0, usageError{fmt.Errorf("--heatmap %q: want two different axes", spec)}
	}
	return idx[0], idx[1], nil
}

// Files of a shard's output directory.
const (
	studyBundleFile = "study.json"
	partialPattern  = "partial-%05d-of-%05d.json"
)

// runChunks runs chunks of s in this process with a progress bar of their
// runs.
func (e *env) runChunks(ctx context.Context, s *sweep.Study, chunks []sweep.Chunk, workers int) ([]*sweep.Tally, error) {
	runs := 0
	for _, c := range chunks {
		runs += c.Count
	}
	bar := e.progress(runs, "runs")
	defer bar.finish()
	return s.Run(ctx, chunks, sweep.Options{Workers: workers, Progress: bar.set})
}

// sweepShard runs one shard and writes its partial and the study bundle.
func (e *env) sweepShard(ctx context.Context, s *sweep.Study, chunks []sweep.Chunk, i, n, workers int, dir string) error {
	tallies, err := e.runChunks(ctx, s, chunks, workers)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeJSONFile(filepath.Join(dir, studyBundleFile), s.Bundle()); err != nil {
		return err
	}
	p := sweep.Partial{Format: sweep.PartialFormat, Study: s.ID(), Tallies: tallies}
	name := filepath.Join(dir, fmt.Sprintf(partialPattern, i, n))
	if err := writeJSONFile(name, p); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "shard %d/%d: %d of %d chunks written to %s\n", i, n, len(tallies), len(chunks), name)
	if errors.Is(err, context.Canceled) || len(tallies) < len(chunks) {
		return fmt.Errorf("interrupted: %d of %d chunks finished (kept in %s)", len(tallies), len(chunks), name)
	}
	return nil
}

func writeJSONFile(path string, v any) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
}

func (e *env) sweepMergeCommand() *cobra.Command {
	var o sweepOutputs
	cmd := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Merge the partials written by gwf sweep --shard into the study's results",
		Long: `Merge every partial (partial-*.json) in the DIRs written by
"gwf sweep --shard I/N --out DIR" into the study's table, exactly as one
process would have written it. A chunk found twice counts once; missing
chunks leave the table marked incomplete (and the command fails after
writing it).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.check(); err != nil {
				return err
			}
			var s *sweep.Study
			var tallies []*sweep.Tally
			for _, dir := range args {
				b, err := safefile.ReadFile(filepath.Join(dir, studyBundleFile), 64<<20)
				if err != nil {
					return usageError{fmt.Errorf("%s: not a shard directory: %w", dir, err)}
				}
				if s == nil {
					var bundle sweep.Bundle
					if err := json.Unmarshal(b, &bundle); err != nil {
						return usageError{fmt.Errorf("%s: %w", filepath.Join(dir, studyBundleFile), err)}
					}
					if s, err = sweep.Open(bundle); err != nil {
						return err
					}
				}
				names, err := filepath.Glob(filepath.Join(dir, "partial-*.json"))
				if err != nil {
					return err
				}
				sort.Strings(names)
				for _, name := range names {
					ts, err := readPartial(name, s.ID())
					if err != nil {
						return err
					}
					tallies = append(tallies, ts...)
				}
			}
			tb, err := s.Merge(tallies)
			if err != nil {
				return usageError{err}
			}
			if err := e.writeSweep(s, tb, o); err != nil {
				return err
			}
			if !tb.Complete {
				seen := map[sweep.Chunk]bool{}
				for _, t := range tallies {
					seen[t.Chunk] = true
				}
				missing := slices.DeleteFunc(s.Chunks(), func(c sweep.Chunk) bool { return seen[c] })
				return fmt.Errorf("incomplete: %d of %d chunks missing (first: %v)", len(missing), len(s.Chunks()), missing[0])
			}
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&o.out, "out", "", "write results.csv, results.json, results.parquet and report.html to `DIR`")
	return cmd
}

func readPartial(name, study string) ([]*sweep.Tally, error) {
	b, err := safefile.ReadFile(name, 1<<30)
	if err != nil {
		return nil, err
	}
	var p sweep.Partial
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", name, err)}
	}
	if p.Format != sweep.PartialFormat {
		return nil, usageError{fmt.Errorf("%s: format %q, want %q", name, p.Format, sweep.PartialFormat)}
	}
	if p.Study != study {
		return nil, usageError{fmt.Errorf("%s: partial of study %s, want %s (the study file or its base changed)", name, p.Study, study)}
	}
	return p.Tallies, nil
}
