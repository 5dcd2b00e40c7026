package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
)

// overlaySource writes a scenario file that starts from the study's base
// and sets each override, as nested mappings from the dotted paths (the
// server's override mechanism). lines maps each line that sets a value to
// its path, so that errors can point back into the study file.
func (s *Study) overlaySource(overrides map[string]string) ([]byte, map[int]string) {
	paths := make([]string, 0, len(overrides))
	for p := range overrides {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var b strings.Builder
	q, _ := json.Marshal(s.Base)
	fmt.Fprintf(&b, "base: %s\n", q)
	lines := map[int]string{}
	line := 2
	var open []string // the mappings the last path opened
	for _, p := range paths {
		parts := strings.Split(p, ".")
		common := 0
		for common < len(open) && common < len(parts)-1 && open[common] == parts[common] {
			common++
		}
		open = open[:common]
		for _, k := range parts[common : len(parts)-1] {
			fmt.Fprintf(&b, "%s%s:\n", strings.Repeat("  ", len(open)), k)
			open = append(open, k)
			line++
		}
		v, _ := json.Marshal(overrides[p]) // a JSON string is a YAML double-quoted scalar
		fmt.Fprintf(&b, "%s%s: %s\n", strings.Repeat("  ", len(open)), parts[len(parts)-1], v)
		lines[line] = p
		line++
	}
	return []byte(b.String()), lines
}

// remap moves errors found in a cell overlay to the study lines that wrote
// the values: where(path) is the position of the value set at path.
func (s *Study) remap(err error, lines map[int]string, where func(path string) scenario.Pos, axis int) error {
	var l scenario.ErrorList
	var one *scenario.Error
	switch {
	case errors.As(err, &l):
	case errors.As(err, &one):
		l = scenario.ErrorList{one}
	default:
		return err
	}
	out := make(scenario.ErrorList, 0, len(l))
	for _, e := range l {
		c := *e
		if c.Pos.File == s.overlay {
			if p, ok := lines[c.Pos.Line]; ok {
				c.Pos = where(p)
			} else {
				c.Pos = s.Axes[axis].pos
			}
			if c.Path == "" {
				c.Path = s.Axes[axis].Path
			}
		}
		out = append(out, &c)
	}
	return out
}

// cellFrame is a cell's scenario, compiled once per process.
type cellFrame struct {
	sc *scenario.Scenario
	m  *sim.Model
}

// Scenario returns cell's scenario: the base with the cell's values set.
func (s *Study) Scenario(cell int) (*scenario.Scenario, error) {
	f, err := s.frame(cell)
	if err != nil {
		return nil, err
	}
	return f.sc, nil
}

func (s *Study) frame(cell int) (*cellFrame, error) {
	if cell < 0 || cell >= len(s.Cells) {
		return nil, fmt.Errorf("study %s has no cell %d", s.Name, cell)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.prepared[cell]; ok {
		return f, nil
	}
	c := s.Cells[cell]
	src, lines := s.overlaySource(s.Overrides(c))
	sc, err := scenario.Parse(s.overlay, src, s.read)
	if err == nil {
		var m *sim.Model
		if m, err = sim.Compile(sc); err == nil {
			f := &cellFrame{sc: sc, m: m}
			if s.prepared == nil {
				s.prepared = map[int]*cellFrame{}
			}
			s.prepared[cell] = f
			return f, nil
		}
	}
	where := func(p string) scenario.Pos {
		for i, a := range s.Axes {
			if a.Path == p {
				return a.valPos[max(0, slices.Index(a.Values, c.Values[i]))]
			}
		}
		return s.Axes[0].pos
	}
	if scenario.IsInvalid(err) {
		return nil, s.remap(err, lines, where, 0)
	}
	return nil, fmt.Errorf("cell %d: %w", cell, err)
}
