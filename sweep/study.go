package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/units"
)

// Limits on a study's size.
const (
	MaxCells = 100_000
	MaxAxes  = 16
	// DefaultRuns is the runs per cell when a study does not say.
	DefaultRuns = 1000
	// DefaultChunkRuns is the runs in one chunk when a study does not say.
	DefaultChunkRuns = 250
)

// Axis kinds.
const (
	KindValues = "values" // an explicit list
	KindRange  = "range"  // from, to and step
	KindSample = "sample" // from and to, sampled by a Latin hypercube
)

// Study is a parsed study: a base scenario, the axes it varies and the
// cells they make.
type Study struct {
	Name string
	// File is the study file's name; Files holds it and every scenario file
	// it reads, so that a study can be rebuilt anywhere (see Bundle).
	File  string
	Files map[string][]byte
	// Base is the base scenario as the study names it ("reference" or a path
	// relative to the study file).
	Base string
	// Runs is the Monte Carlo runs per cell, Seed the study's seed (run i of
	// every cell uses gwf mc's stream for run i under Seed).
	Runs int
	Seed int64
	// ChunkRuns is the runs in one chunk, the unit of work and of merging.
	ChunkRuns int
	// LatinHypercube is the number of points drawn over the sample axes (0
	// when there are none).
	LatinHypercube int
	Axes           []Axis
	Cells          []Cell

	base     *scenario.Scenario
	read     scenario.ReadFunc
	overlay  string // the name cell overlays are parsed under
	mu       sync.Mutex
	prepared map[int]*cellFrame
}

// Axis is one scenario value the study varies.
type Axis struct {
	Path string
	Kind string
	// Values are the texts each cell may set, in order; for a sample axis
	// they are the Latin-hypercube draws, point by point.
	Values []string
	// From and To bound a range or sample axis, in the unit written (Unit).
	From, To float64
	Unit     string

	pos    scenario.Pos   // of the path
	valPos []scenario.Pos // of each value (a range's values share one)
}

// Cell is one combination of axis values.
type Cell struct {
	Index int
	// Values holds the value of each axis, in axis order.
	Values []string
}

// Overrides returns the cell's values by scenario path.
func (s *Study) Overrides(c Cell) map[string]string {
	out := make(map[string]string, len(s.Axes))
	for i, a := range s.Axes {
		out[a.Path] = c.Values[i]
	}
	return out
}

// ID identifies a study by its content: the study file and every scenario
// file it reads. Partials of different studies never merge.
func (s *Study) ID() string {
	names := make([]string, 0, len(s.Files))
	for n := range s.Files {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	fmt.Fprintf(h, "gwf-sweep/1\x00%s\x00", s.File)
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(s.Files[n]))
		h.Write(s.Files[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Bundle is a study's files, enough to rebuild it on another machine.
type Bundle struct {
	File  string            `json:"file"`
	Files map[string][]byte `json:"files"`
}

// Bundle returns the study's files.
func (s *Study) Bundle() Bundle { return Bundle{File: s.File, Files: s.Files} }

// Open rebuilds a study from its bundle, reading nothing else.
func Open(b Bundle) (*Study, error) {
	src, ok := b.Files[b.File]
	if !ok {
		return nil, fmt.Errorf("study bundle: no file %q", b.File)
	}
	return Parse(b.File, src, func(p string) ([]byte, error) {
		if f, ok := b.Files[path.Clean(p)]; ok {
			return f, nil
		}
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	})
}

var pathPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// Parse reads the study in src, named file in errors, reading its base
// scenario with read (relative to file's directory). Every problem is a
// scenario error carrying file:line:col and the field path.
func Parse(file string, src []byte, read scenario.ReadFunc) (*Study, error) {
	if len(src) > scenario.MaxFileSize {
		return nil, errAt(scenario.Pos{File: file}, "", "file too large (got %d bytes, want at most %d)", len(src), scenario.MaxFileSize)
	}
	root, err := parseYAML(file, src)
	if err != nil {
		return nil, err
	}
	if root.kind != mappingKind {
		return nil, errAt(root.pos, "", "a study is a mapping (got %s, want name:, base:, runs:, axes:)", root.kind)
	}
	s := &Study{File: path.Clean(file), Files: map[string][]byte{path.Clean(file): src}, Runs: DefaultRuns, ChunkRuns: DefaultChunkRuns, Base: scenario.ReferenceName}
	s.read = func(p string) ([]byte, error) {
		p = path.Clean(p)
		if read == nil {
			return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
		}
		b, err := read(p)
		if err == nil {
			s.Files[p] = b
		}
		return b, err
	}
	var errs scenario.ErrorList
	known := []string{"name", "base", "runs", "seed", "chunk_runs", "axes", "latin_hypercube"}
	for _, k := range root.keys {
		if !slices.Contains(known, k.text) {
			errs = append(errs, &scenario.Error{Pos: k.pos, Path: k.text, Msg: "unknown field (want one of " + strings.Join(known, ", ") + ")"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if n := root.get("name"); n != nil {
		s.Name = n.text
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(path.Base(file), path.Ext(file))
	}
	intField := func(key string, lo, hi int, dst *int) error {
		n := root.get(key)
		if n == nil {
			return nil
		}
		v, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(n.text, "_", ""), ",", ""))
		if n.kind != scalarKind || err != nil || v < lo || v > hi {
			return errAt(n.pos, key, "want a whole number from %d to %d (got %q)", lo, hi, n.text)
		}
		*dst = v
		return nil
	}
	if err := intField("runs", 1, mc.MaxRuns, &s.Runs); err != nil {
		return nil, err
	}
	if err := intField("chunk_runs", 1, mc.MaxRuns, &s.ChunkRuns); err != nil {
		return nil, err
	}
	if err := intField("latin_hypercube", 1, MaxCells, &s.LatinHypercube); err != nil {
		return nil, err
	}
	baseNode := root.get("base")
	if baseNode != nil {
		if baseNode.kind != scalarKind || baseNode.text == "" {
			return nil, errAt(baseNode.pos, "base", `want "reference" or the path of a scenario file`)
		}
		s.Base = baseNode.text
	}
	basePath := s.Base
	if basePath != scenario.ReferenceName && !path.IsAbs(basePath) {
		basePath = path.Join(path.Dir(file), basePath)
	}
	s.base, err = scenario.Load(basePath, s.read)
	if err != nil {
		var l scenario.ErrorList
		if errors.As(err, &l) && len(l) == 1 && l[0].Pos.Line == 0 && baseNode != nil {
			return nil, errAt(baseNode.pos, "base", "base scenario %q: %s", s.Base, l[0].Msg)
		}
		return nil, err
	}
	s.Seed = s.base.Seed
	if n := root.get("seed"); n != nil {
		v, err := strconv.ParseInt(n.text, 10, 64)
		if n.kind != scalarKind || err != nil {
			return nil, errAt(n.pos, "seed", "want a whole number (got %q)", n.text)
		}
		s.Seed = v
	}
	s.overlay = path.Join(path.Dir(s.File), "("+path.Base(s.File)+" cell)")
	if err := s.parseAxes(root); err != nil {
		return nil, err
	}
	if err := s.makeCells(root); err != nil {
		return nil, err
	}
	if err := s.checkValues(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Study) parseAxes(root *node) error {
	axes := root.get("axes")
	if axes == nil || axes.kind != listKind || len(axes.items) == 0 {
		pos := root.pos
		if axes != nil {
			pos = axes.pos
		}
		return errAt(pos, "axes", "want a list of axes, each with a path: and values:, range: or sample:")
	}
	if len(axes.items) > MaxAxes {
		return errAt(axes.pos, "axes", "too many axes (got %d, want at most %d)", len(axes.items), MaxAxes)
	}
	entries := map[string]scenario.Entry{}
	for _, e := range s.base.Entries() {
		entries[e.Path] = e
	}
	for i, it := range axes.items {
		field := fmt.Sprintf("axes[%d]", i)
		if it.kind != mappingKind {
			return errAt(it.pos, field, "want a mapping with path: and values:, range: or sample:")
		}
		for _, k := range it.keys {
			if !slices.Contains([]string{"path", KindValues, KindRange, KindSample}, k.text) {
				return errAt(k.pos, field+"."+k.text, "unknown field (want path, values, range or sample)")
			}
		}
		p := it.get("path")
		if p == nil || p.kind != scalarKind || !pathPattern.MatchString(p.text) || p.text == "base" || p.text == "name" {
			pos := it.pos
			if p != nil {
				pos = p.pos
			}
			return errAt(pos, field+".path", `want a scenario field path: lower-case names joined by dots, such as "target.rate"`)
		}
		a := Axis{Path: p.text, pos: p.pos}
		for _, b := range s.Axes {
			if b.Path == a.Path {
				return errAt(p.pos, field+".path", "%s is already an axis", a.Path)
			}
		}
		var kinds []string
		for _, k := range []string{KindValues, KindRange, KindSample} {
			if it.get(k) != nil {
				kinds = append(kinds, k)
			}
		}
		if len(kinds) != 1 {
			return errAt(it.pos, field, "want exactly one of values:, range: or sample: (got %d)", len(kinds))
		}
		a.Kind = kinds[0]
		v := it.get(a.Kind)
		switch a.Kind {
		case KindValues:
			if v.kind != listKind || len(v.items) == 0 {
				return errAt(v.pos, field+".values", "want a list of values, such as [26 weeks, 52 weeks]")
			}
			for j, x := range v.items {
				if x.kind != scalarKind || strings.TrimSpace(x.text) == "" || strings.ContainsAny(x.text, "\n\r") {
					return errAt(x.pos, fmt.Sprintf("%s.values[%d]", field, j), "want one value on one line, such as \"26 weeks\"")
				}
				a.Values = append(a.Values, strings.TrimSpace(x.text))
				a.valPos = append(a.valPos, x.pos)
			}
		case KindRange, KindSample:
			e, ok := entries[a.Path]
			if !ok || e.Value == nil {
				return errAt(p.pos, field+".path", "a %s needs a quantity the base scenario sets (got %s, which it does not set or is a date; list its values under values:)", a.Kind, a.Path)
			}
			if err := a.parseBounds(v, field+"."+a.Kind, e.Value.Q.Dim); err != nil {
				return err
			}
		}
		s.Axes = append(s.Axes, a)
	}
	return nil
}

var numberPattern = regexp.MustCompile(`^([^0-9+\-.]*)([+-]?(?:[0-9][0-9_,]*)?\.?[0-9]*(?:[eE][+-]?[0-9]+)?)(.*)$`)

// splitQuantity splits "$40B" into "$", 40 and "B", "26 weeks" into "",
// 26 and " weeks".
func splitQuantity(s string) (prefix string, v float64, suffix string, ok bool) {
	m := numberPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[2] == "" {
		return "", 0, "", false
	}
	v, err := strconv.ParseFloat(units.WithoutDigitSeparators(m[2]), 64)
	if err != nil || math.IsInf(v, 0) {
		return "", 0, "", false
	}
	return m[1], v, m[3], true
}

// parseBounds reads a range's or sample's from, to (and a range's step),
// checking each is a quantity of the field's dimension, all in one unit.
func (a *Axis) parseBounds(n *node, field string, dim units.Dim) error {
	if n.kind != mappingKind {
		return errAt(n.pos, field, "want a mapping such as {from: 26 weeks, to: 52 weeks%s}", map[bool]string{true: ", step: 13 weeks"}[a.Kind == KindRange])
	}
	want := []string{"from", "to"}
	if a.Kind == KindRange {
		want = append(want, "step")
	}
	for _, k := range n.keys {
		if !slices.Contains(want, k.text) {
			return errAt(k.pos, field+"."+k.text, "unknown field (want %s)", strings.Join(want, ", "))
		}
	}
	var vals []float64
	unit := ""
	for i, k := range want {
		x := n.get(k)
		if x == nil || x.kind != scalarKind {
			return errAt(n.pos, field+"."+k, "missing (want %s)", dim)
		}
		if _, err := units.Parse(x.text, dim); err != nil {
			return errAt(x.pos, field+"."+k, "%v", err)
		}
		pre, v, suf, ok := splitQuantity(x.text)
		if !ok {
			return errAt(x.pos, field+"."+k, "want a number and a unit, such as \"26 weeks\" (got %q)", x.text)
		}
		u := pre + "\x00" + strings.TrimSpace(suf)
		if i == 0 {
			unit = u
			a.Unit = pre + "\x00" + strings.TrimRightFunc(suf, unicode.IsSpace)
		} else if u != unit {
			return errAt(x.pos, field+"."+k, "write from, to and step in one unit (got %q, want the unit of from)", x.text)
		}
		vals = append(vals, v)
	}
	a.From, a.To = vals[0], vals[1]
	if a.To < a.From {
		return errAt(n.get("to").pos, field+".to", "want at least from (got %g < %g)", a.To, a.From)
	}
	if a.Kind == KindRange {
		step := vals[2]
		if step <= 0 {
			return errAt(n.get("step").pos, field+".step", "want a positive step (got %g)", step)
		}
		count := math.Floor((a.To-a.From)/step+1e-9) + 1
		if count > MaxCells {
			return errAt(n.get("step").pos, field+".step", "too many values (got %.0f, want at most %d)", count, MaxCells)
		}
		for i := range int(count) {
			a.Values = append(a.Values, a.format(a.From+float64(i)*step, 12))
			a.valPos = append(a.valPos, n.pos)
		}
	}
	return nil
}

// format writes v in the axis's unit, rounded to digits significant digits
// and without an exponent, so the scenario's unit parser reads it back.
func (a *Axis) format(v float64, digits int) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
	pre, suf, _ := strings.Cut(a.Unit, "\x00")
	return pre + strconv.FormatFloat(r, 'f', -1, 64) + suf
}

// makeCells builds the grid of the list and range axes and crosses it with
// the Latin-hypercube points over the sample axes (the fastest-varying).
func (s *Study) makeCells(root *node) error {
	var sampled []int
	for i, a := range s.Axes {
		if a.Kind == KindSample {
			sampled = append(sampled, i)
		}
	}
	lhs := root.get("latin_hypercube")
	switch {
	case len(sampled) > 0 && s.LatinHypercube == 0:
		return errAt(s.Axes[sampled[0]].pos, "latin_hypercube", "sample axes need latin_hypercube: the number of points to draw")
	case len(sampled) == 0 && lhs != nil:
		return errAt(lhs.pos, "latin_hypercube", "no axis has sample: to draw over")
	}
	if len(sampled) > 0 {
		r := rand.New(rand.NewChaCha8(lhsKey(s.Seed)))
		n := s.LatinHypercube
		for _, i := range sampled {
			a := &s.Axes[i]
			perm := r.Perm(n)
			for k := range n {
				u := (float64(perm[k]) + r.Float64()) / float64(n)
				a.Values = append(a.Values, a.format(a.From+(a.To-a.From)*u, 6))
				a.valPos = append(a.valPos, a.pos)
			}
		}
	}
	total := 1
	for _, a := range s.Axes {
		if a.Kind != KindSample {
			total *= len(a.Values)
			if total > MaxCells {
				return errAt(a.pos, "axes", "too many cells (more than %d)", MaxCells)
			}
		}
	}
	points := max(1, s.LatinHypercube)
	if total*points > MaxCells {
		return errAt(root.pos, "latin_hypercube", "too many cells (got %d, want at most %d)", total*points, MaxCells)
	}
	for g := range total {
		for p := range points {
			c := Cell{Index: len(s.Cells), Values: make([]string, len(s.Axes))}
			rest := g
			for i := len(s.Axes) - 1; i >= 0; i-- {
				a := s.Axes[i]
				if a.Kind == KindSample {
					c.Values[i] = a.Values[p]
					continue
				}
				c.Values[i] = a.Values[rest%len(a.Values)]
				rest /= len(a.Values)
			}
			s.Cells = append(s.Cells, c)
		}
	}
	return nil
}

func lhsKey(seed int64) [32]byte {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(uint64(seed) >> (8 * i))
	}
	copy(key[8:], "gwf-sweep/latin-hypercube")
	return key
}

// checkValues parses the base scenario with each axis value alone, so that
// a value with a wrong unit is reported at the study line that wrote it
// before anything runs.
func (s *Study) checkValues() error {
	seen := map[string]bool{}
	for i, a := range s.Axes {
		for j, v := range a.Values {
			if seen[a.Path+"\x00"+v] {
				continue
			}
			seen[a.Path+"\x00"+v] = true
			src, lines := s.overlaySource(map[string]string{a.Path: v})
			if _, err := scenario.Parse(s.overlay, src, s.read); err != nil {
				return s.remap(err, lines, func(string) scenario.Pos { return a.valPos[j] }, i)
			}
		}
	}
	return nil
}
