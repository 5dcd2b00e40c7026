package sweep

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/gwf-project/gwf/scenario"
)

// node is a YAML value of a study file with the position it was written
// at: a mapping (keys and vals), a list (items) or a scalar (text).
type node struct {
	kind  nodeKind
	text  string
	keys  []*node
	vals  []*node
	items []*node
	pos   scenario.Pos
}

type nodeKind int

const (
	nullKind nodeKind = iota
	scalarKind
	mappingKind
	listKind
)

func (k nodeKind) String() string {
	switch k {
	case scalarKind:
		return "a value"
	case mappingKind:
		return "a mapping"
	case listKind:
		return "a list"
	}
	return "nothing"
}

// maxDepth bounds nesting; a study is three levels deep.
const maxDepth = 16

// parseYAML parses one study document into a node tree. A panic inside the
// YAML parser becomes an error, as in the scenario loader.
func parseYAML(file string, src []byte) (n *node, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, errAt(scenario.Pos{File: file}, "", "YAML syntax: the YAML parser failed (%v)", r)
		}
	}()
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, errAt(scenario.Pos{File: file, Line: 1, Col: 1}, "", "YAML syntax: %v", err)
	}
	var body ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			if body != nil {
				return nil, errAt(posOf(file, d.Body), "", "a study file holds one YAML document")
			}
			body = d.Body
		}
	}
	if body == nil {
		return &node{kind: mappingKind, pos: scenario.Pos{File: file, Line: 1, Col: 1}}, nil
	}
	var errs scenario.ErrorList
	n = convert(file, body, 0, &errs)
	if len(errs) > 0 {
		return nil, errs
	}
	return n, nil
}

func posOf(file string, n ast.Node) scenario.Pos {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return scenario.Pos{File: file}
	}
	p := n.GetToken().Position
	return scenario.Pos{File: file, Line: p.Line, Col: p.Column}
}

func convert(file string, n ast.Node, depth int, errs *scenario.ErrorList) *node {
	pos := posOf(file, n)
	if depth > maxDepth {
		*errs = append(*errs, &scenario.Error{Pos: pos, Msg: "nested too deeply"})
		return &node{pos: pos}
	}
	switch v := n.(type) {
	case nil, *ast.NullNode, *ast.CommentGroupNode:
		return &node{pos: pos}
	case *ast.MappingNode:
		t := &node{kind: mappingKind, pos: pos}
		if !v.IsFlowStyle && len(v.Values) > 0 && v.Values[0].Key != nil {
			t.pos = posOf(file, v.Values[0].Key)
		}
		for _, mv := range v.Values {
			addPair(file, t, mv, depth, errs)
		}
		return t
	case *ast.MappingValueNode:
		t := &node{kind: mappingKind, pos: posOf(file, v.Key)}
		addPair(file, t, v, depth, errs)
		return t
	case *ast.SequenceNode:
		t := &node{kind: listKind, pos: pos}
		for _, it := range v.Values {
			t.items = append(t.items, convert(file, it, depth+1, errs))
		}
		return t
	case ast.ScalarNode:
		if _, ok := n.(*ast.NullNode); ok {
			return &node{pos: pos}
		}
		text := ""
		if tk := n.GetToken(); tk != nil {
			text = tk.Value
		}
		return &node{kind: scalarKind, text: text, pos: pos}
	}
	*errs = append(*errs, &scenario.Error{Pos: pos, Msg: fmt.Sprintf("unsupported YAML construct (got %s, want a mapping, a list or a value)", n.Type())})
	return &node{pos: pos}
}

func addPair(file string, t *node, mv *ast.MappingValueNode, depth int, errs *scenario.ErrorList) {
	if mv == nil || mv.Key == nil {
		return
	}
	k := convert(file, mv.Key, depth+1, errs)
	if k.kind != scalarKind {
		*errs = append(*errs, &scenario.Error{Pos: k.pos, Msg: "a mapping key must be a plain name"})
		return
	}
	for _, prev := range t.keys {
		if prev.text == k.text {
			*errs = append(*errs, &scenario.Error{Pos: k.pos, Msg: fmt.Sprintf("duplicate key (got %q again, first at line %d)", k.text, prev.pos.Line)})
			return
		}
	}
	t.keys = append(t.keys, k)
	t.vals = append(t.vals, convert(file, mv.Value, depth+1, errs))
}

// get returns the value of key in a mapping, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mappingKind {
		return nil
	}
	for i, k := range n.keys {
		if k.text == key {
			return n.vals[i]
		}
	}
	return nil
}

// errAt is a one-problem scenario error: file:line:col: path: message.
func errAt(pos scenario.Pos, path, format string, args ...any) error {
	return scenario.ErrorList{{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)}}
}
