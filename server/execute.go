package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/sim"
	"github.com/gwf-project/gwf/summary"
)

// Limits on overrides, so one request cannot build an unbounded scenario.
const (
	maxOverrides      = 64
	maxOverrideLength = 256
)

// baseFile is the name the scenario a run starts from has when overrides
// are laid over it; the overrides file says "base: base.yaml".
const (
	baseFile      = "base.yaml"
	overridesFile = "overrides"
)

var overridePath = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// inputError is a problem with a request's input that is not a scenario
// error: it maps to 400 with its message.
type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return inputError{fmt.Sprintf(format, args...)} }

// overlay returns a scenario file that starts from baseFile and sets each
// override, written as nested YAML mappings from the dotted paths.
func overlay(overrides map[string]string) ([]byte, error) {
	if len(overrides) > maxOverrides {
		return nil, badInput("too many overrides (got %d, want at most %d)", len(overrides), maxOverrides)
	}
	type node map[string]any
	root := node{}
	paths := make([]string, 0, len(overrides))
	for p := range overrides {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		v := overrides[p]
		if !overridePath.MatchString(p) || p == "base" || p == "name" {
			return nil, scenario.ErrorList{{Pos: scenario.Pos{File: overridesFile}, Path: p, Msg: `not a field path (want lower-case names joined by dots, such as "target.rate")`}}
		}
		if len(v) > maxOverrideLength || strings.ContainsAny(v, "\n\r") || strings.TrimSpace(v) == "" {
			return nil, scenario.ErrorList{{Pos: scenario.Pos{File: overridesFile}, Path: p, Msg: fmt.Sprintf("want one line of at most %d characters, such as \"2 GW/week\"", maxOverrideLength)}}
		}
		parts := strings.Split(p, ".")
		n := root
		for i, k := range parts {
			if i == len(parts)-1 {
				if _, ok := n[k]; ok {
					return nil, scenario.ErrorList{{Pos: scenario.Pos{File: overridesFile}, Path: p, Msg: "set both as a value and as a section"}}
				}
				n[k] = v
				break
			}
			child, ok := n[k]
			if !ok {
				child = node{}
				n[k] = child
			}
			c, ok := child.(node)
			if !ok {
				return nil, scenario.ErrorList{{Pos: scenario.Pos{File: overridesFile}, Path: p, Msg: "set both as a value and as a section"}}
			}
			n = c
		}
	}
	var b bytes.Buffer
	b.WriteString("base: " + baseFile + "\n")
	var write func(n node, indent string)
	write = func(n node, indent string) {
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch v := n[k].(type) {
			case string:
				q, _ := json.Marshal(v) // a JSON string is a YAML double-quoted scalar
				fmt.Fprintf(&b, "%s%s: %s\n", indent, k, q)
			case node:
				fmt.Fprintf(&b, "%s%s:\n", indent, k)
				write(v, indent+"  ")
			}
		}
	}
	write(root, "")
	return b.Bytes(), nil
}

// ParseScenario parses a scenario's source and applies overrides to it as
// the server does for runs and Monte Carlo jobs, reading no files: gwf
// worker parses Monte Carlo jobs with it (queue.Worker.ParseMC), so they
// are the server's scenarios exactly.
func ParseScenario(name string, source []byte, overrides map[string]string) (*scenario.Scenario, error) {
	return parse(name, source, overrides)
}

// parse reads source (named name) with overrides laid over it.
func parse(name string, source []byte, overrides map[string]string) (*scenario.Scenario, error) {
	if len(source) > scenario.MaxFileSize {
		return nil, badInput("scenario is %d bytes, larger than the limit of %d", len(source), scenario.MaxFileSize)
	}
	var refused error
	read := func(p string) ([]byte, error) {
		refused = badInput("base: %s: the server reads no files; start from \"base: reference\" or upload one complete scenario", p)
		return nil, refused
	}
	var sc *scenario.Scenario
	var err error
	if len(overrides) == 0 {
		sc, err = scenario.Parse(name, source, read)
	} else {
		var ov []byte
		if ov, err = overlay(overrides); err != nil {
			return nil, err
		}
		sc, err = scenario.Parse(overridesFile, ov, func(p string) ([]byte, error) {
			if p == baseFile {
				return source, nil
			}
			return read(p)
		})
	}
	if err != nil && refused != nil && !scenario.IsInvalid(err) {
		return nil, refused
	}
	return sc, err
}

// outcome is one executed run.
type outcome struct {
	sc  *scenario.Scenario
	res *sim.Result
	sum *summary.Summary
}

// execute parses and runs a scenario, refusing one estimated to take more
// than maxWork project-weeks before it starts.
func execute(name string, source []byte, overrides map[string]string, maxWork float64) (*outcome, error) {
	sc, err := parse(name, source, overrides)
	if err != nil {
		return nil, err
	}
	if err := budget.Check(sc, 1, maxWork); err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		if scenario.IsInvalid(err) {
			return nil, err
		}
		return nil, badInput("scenario cannot be simulated: %v", err)
	}
	res := sim.Run(m, sim.NewController())
	return &outcome{sc: sc, res: res, sum: summary.Of(res)}, nil
}

// inputs returns every effective value of sc by field path, as written.
func inputs(sc *scenario.Scenario) map[string]string {
	out := map[string]string{}
	for _, e := range sc.Entries() {
		switch {
		case e.Date != nil:
			out[e.Path] = e.Date.String()
		case e.Value != nil && e.Value.Text != "":
			out[e.Path] = e.Value.Text
		case e.Value != nil:
			out[e.Path] = strconv.FormatFloat(e.Value.V, 'g', -1, 64)
		}
	}
	return out
}

func milestoneDate(m *summary.Milestone) string {
	if m == nil {
		return ""
	}
	return m.Date.Format("2006-01-02")
}

// errorItem is one scenario problem in an API error.
type errorItem struct {
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// scenarioErrors lists the problems in a scenario error.
func scenarioErrors(err error) []errorItem {
	var list scenario.ErrorList
	var one *scenario.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = scenario.ErrorList{one}
	default:
		return []errorItem{{Message: err.Error()}}
	}
	out := make([]errorItem, 0, len(list))
	for _, e := range list {
		out = append(out, errorItem{Message: e.Error(), File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Col, Path: e.Path, Problem: e.Msg})
	}
	return out
}
