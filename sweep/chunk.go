package sweep

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Chunk is a unit of work: runs First to First+Count-1 of one cell.
type Chunk struct {
	Cell  int `json:"cell"`
	First int `json:"first"`
	Count int `json:"count"`
}

func (c Chunk) String() string {
	return fmt.Sprintf("cell %d runs %d–%d", c.Cell, c.First, c.First+c.Count-1)
}

// Key names the chunk uniquely within its study ("c3r250").
func (c Chunk) Key() string { return fmt.Sprintf("c%dr%d", c.Cell, c.First) }

// Chunks lists the study's chunks, cell by cell, ChunkRuns runs each (the
// last of a cell may be shorter). The list depends only on the study.
func (s *Study) Chunks() []Chunk {
	var out []Chunk
	for c := range s.Cells {
		for first := 0; first < s.Runs; first += s.ChunkRuns {
			out = append(out, Chunk{Cell: c, First: first, Count: min(s.ChunkRuns, s.Runs-first)})
		}
	}
	return out
}

// Shard returns shard i of n: a contiguous slice of Chunks, the n slices
// together covering every chunk once.
func (s *Study) Shard(i, n int) ([]Chunk, error) {
	if n < 1 || i < 0 || i >= n {
		return nil, fmt.Errorf("shard %d/%d: want 0 ≤ I < N", i, n)
	}
	all := s.Chunks()
	return all[i*len(all)/n : (i+1)*len(all)/n], nil
}

// ParseShard reads "I/N". An empty I ("/N") takes I from the batch
// system's environment: JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)
// or SLURM_ARRAY_TASK_ID (a Slurm array job); getenv is os.Getenv when nil.
func ParseShard(spec string, getenv func(string) string) (i, n int, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	is, ns, ok := strings.Cut(spec, "/")
	if !ok {
		return 0, 0, fmt.Errorf("--shard %q: want I/N, such as 3/50, or /N to take I from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID", spec)
	}
	if n, err = strconv.Atoi(ns); err != nil || n < 1 {
		return 0, 0, fmt.Errorf("--shard %q: N must be a whole number of at least 1", spec)
	}
	if is == "" {
		for _, name := range []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"} {
			if v := getenv(name); v != "" {
				is = v
				break
			}
		}
		if is == "" {
			return 0, 0, fmt.Errorf("--shard %q: no I given and neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set", spec)
		}
	}
	if i, err = strconv.Atoi(is); err != nil || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("--shard %q: I must be a whole number from 0 to %d (got %q)", spec, n-1, is)
	}
	return i, n, nil
}
