package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// tree is a YAML document reduced to what scenarios use: mappings with
// ordered keys, sequences and scalars, each remembering where it was
// written. Scenarios inherit by merging trees before decoding, so every
// value keeps the position of the file that set it.
type tree struct {
	kind  treeKind
	text  string  // scalar text as written (unquoted)
	keys  []*tree // mapping keys (scalars), parallel to vals
	vals  []*tree
	items []*tree // sequence items
	pos   Pos
}

type treeKind int

const (
	nullNode treeKind = iota
	scalarNode
	mappingNode
	sequenceNode
)

func (k treeKind) String() string {
	switch k {
	case scalarNode:
		return "a value"
	case mappingNode:
		return "a mapping"
	case sequenceNode:
		return "a list"
	}
	return "nothing"
}

// maxTreeDepth bounds nesting so hostile input cannot exhaust the stack.
const maxTreeDepth = 64

// maxKeys bounds the mapping keys in one file. go-yaml takes time
// quadratic in the keys of one block mapping, and in the depth of flow
// nesting, so both are checked on the tokens before it parses them. The
// reference scenario has about a thousand keys.
const maxKeys = 20000

// parseTree parses one YAML document.
func parseTree(file string, src []byte) (t *tree, err error) {
	f, err := parseYAML(file, src)
	if err != nil {
		return nil, err
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return &tree{kind: mappingNode, pos: Pos{File: file, Line: 1, Col: 1}}, nil
	}
	if len(docs) > 1 {
		return nil, ErrorList{{Pos: startPos(file, docs[1].Body), Msg: fmt.Sprintf("a scenario file holds one YAML document (got %d, want 1)", len(docs))}}
	}
	var errs ErrorList
	t = convert(file, docs[0].Body, 0, &errs)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// parseYAML runs the go-yaml lexer and parser. It refuses input that
// would make the parser slow before parsing it, and turns a panic inside
// go-yaml into an error, so that no input, however malformed, can hang or
// crash a load.
func parseYAML(file string, src []byte) (f *ast.File, err error) {
	var last *token.Token
	defer func() {
		if r := recover(); r != nil {
			pos := Pos{File: file}
			if last != nil && last.Position != nil {
				pos.Line, pos.Col = last.Position.Line, last.Position.Column
			}
			f, err = nil, ErrorList{{Pos: pos, Msg: fmt.Sprintf("YAML syntax: the YAML parser failed here (%v)", r)}}
		}
	}()
	tokens := lexer.Tokenize(string(src))
	depth, keys := 0, 0
	for _, tk := range tokens {
		last = tk
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
			if depth > maxTreeDepth {
				return nil, ErrorList{{Pos: tokenPos(file, tk), Msg: fmt.Sprintf("nested too deeply (got more than %d levels, want at most %d)", maxTreeDepth, maxTreeDepth)}}
			}
		case token.SequenceEndType, token.MappingEndType:
			depth = max(depth-1, 0)
		case token.SequenceEntryType:
			// Block nesting shows in the column: "- - - x" is three lists deep.
			if tk.Position != nil && tk.Position.Column > 4*maxTreeDepth {
				return nil, ErrorList{{Pos: tokenPos(file, tk), Msg: fmt.Sprintf("nested too deeply (got a list item at column %d, want at most %d levels)", tk.Position.Column, maxTreeDepth)}}
			}
		case token.MappingValueType:
			keys++
			if keys > maxKeys {
				return nil, ErrorList{{Pos: tokenPos(file, tk), Msg: fmt.Sprintf("too many fields (got more than %d, want at most %d)", maxKeys, maxKeys)}}
			}
		}
	}
	last = nil
	// Duplicate keys are refused by addPair, with a message in our own form.
	f, err = parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, yamlSyntaxError(file, err)
	}
	return f, nil
}

func tokenPos(file string, tk *token.Token) Pos {
	if tk == nil || tk.Position == nil {
		return Pos{File: file}
	}
	return Pos{File: file, Line: tk.Position.Line, Col: tk.Position.Column}
}

func posOf(file string, n ast.Node) Pos {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return Pos{File: file}
	}
	p := n.GetToken().Position
	return Pos{File: file, Line: p.Line, Col: p.Column}
}

// startPos is where a node starts: a block mapping at its first key, not
// at its first colon as go-yaml records it.
func startPos(file string, n ast.Node) Pos {
	switch v := n.(type) {
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 && v.Values[0] != nil && v.Values[0].Key != nil {
			return posOf(file, v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		if v.Key != nil {
			return posOf(file, v.Key)
		}
	}
	return posOf(file, n)
}

// nodeText is the text of a node's token, for messages.
func nodeText(n ast.Node) string {
	if n == nil || n.GetToken() == nil {
		return ""
	}
	return n.GetToken().Value
}

func convert(file string, n ast.Node, depth int, errs *ErrorList) *tree {
	if depth > maxTreeDepth {
		errs.add(posOf(file, n), "", "nested too deeply (got more than %d levels, want at most %d)", maxTreeDepth, maxTreeDepth)
		return &tree{kind: nullNode, pos: posOf(file, n)}
	}
	switch v := n.(type) {
	case nil:
		return &tree{kind: nullNode, pos: Pos{File: file}}
	case *ast.NullNode:
		return &tree{kind: nullNode, pos: posOf(file, n)}
	case *ast.CommentGroupNode:
		return &tree{kind: nullNode, pos: posOf(file, n)}
	case *ast.DocumentNode:
		return convert(file, v.Body, depth+1, errs)
	case *ast.TagNode:
		errs.add(posOf(file, n), "", "YAML tags are not used in scenarios (got %s, want a plain value)", v.Start.Value)
		return &tree{kind: nullNode, pos: posOf(file, n)}
	case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
		got := "<<"
		switch v := n.(type) {
		case *ast.AnchorNode:
			got = "&" + nodeText(v.Name)
		case *ast.AliasNode:
			got = "*" + nodeText(v.Value)
		}
		errs.add(posOf(file, n), "", "YAML anchors, aliases and merge keys are not used in scenarios (got %s, want the value written out, or base: to inherit)", got)
		return &tree{kind: nullNode, pos: posOf(file, n)}
	case *ast.MappingNode:
		t := &tree{kind: mappingNode, pos: startPos(file, n)}
		seen := make(map[string]*tree, len(v.Values))
		for _, mv := range v.Values {
			addPair(file, t, mv, depth, errs, seen)
		}
		return t
	case *ast.MappingValueNode:
		t := &tree{kind: mappingNode, pos: startPos(file, n)}
		addPair(file, t, v, depth, errs, map[string]*tree{})
		return t
	case *ast.SequenceNode:
		t := &tree{kind: sequenceNode, pos: posOf(file, n)}
		for _, it := range v.Values {
			t.items = append(t.items, convert(file, it, depth+1, errs))
		}
		return t
	case *ast.MappingKeyNode:
		// An explicit key ("? name") is the key itself.
		return convert(file, v.Value, depth+1, errs)
	case *ast.LiteralNode:
		return &tree{kind: scalarNode, text: v.Value.Value, pos: posOf(file, n)}
	case ast.ScalarNode:
		tk := n.GetToken()
		text := ""
		if tk != nil {
			text = tk.Value
		}
		return &tree{kind: scalarNode, text: text, pos: posOf(file, n)}
	}
	errs.add(posOf(file, n), "", "unsupported YAML construct (got %s, want a mapping, a list or a value)", n.Type())
	return &tree{kind: nullNode, pos: posOf(file, n)}
}

// addPair adds one key and value to the mapping t; seen indexes the keys
// already added, so that a mapping of many keys is read in linear time.
func addPair(file string, t *tree, mv *ast.MappingValueNode, depth int, errs *ErrorList, seen map[string]*tree) {
	if mv == nil || mv.Key == nil {
		return
	}
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		errs.add(posOf(file, mv.Key), "", "YAML merge keys are not used in scenarios (got <<, want the fields written out, or base: to inherit)")
		return
	}
	nerr := len(*errs)
	k := convert(file, mv.Key, depth+1, errs)
	if k.kind == nullNode && mv.Key.GetToken() != nil && mv.Key.GetToken().Value != "" {
		// "null:" or "~:" is a key like any other name.
		k = &tree{kind: scalarNode, text: mv.Key.GetToken().Value, pos: k.pos}
	}
	if k.kind != scalarNode {
		if len(*errs) == nerr {
			errs.add(k.pos, "", "a mapping key must be a plain name (got %s)", k.kind)
		}
		return
	}
	if prev, ok := seen[k.text]; ok {
		errs.add(k.pos, "", "duplicate key (got %q again, want each key once; first at line %d)", k.text, prev.pos.Line)
		return
	}
	seen[k.text] = k
	t.keys = append(t.keys, k)
	t.vals = append(t.vals, convert(file, mv.Value, depth+1, errs))
}

// get returns the value of key in a mapping, or nil.
func (t *tree) get(key string) *tree {
	if t == nil || t.kind != mappingNode {
		return nil
	}
	for i, k := range t.keys {
		if k.text == key {
			return t.vals[i]
		}
	}
	return nil
}

// key returns the key node named key in a mapping, or nil.
func (t *tree) key(key string) *tree {
	if t == nil || t.kind != mappingNode {
		return nil
	}
	for _, k := range t.keys {
		if k.text == key {
			return k
		}
	}
	return nil
}

// at follows a path of keys down from a mapping and returns the value
// found, or nil.
func (t *tree) at(keys ...string) *tree {
	for _, k := range keys {
		t = t.get(k)
	}
	return t
}

// keyAt is like at but returns the last key rather than its value.
func (t *tree) keyAt(keys ...string) *tree {
	if len(keys) == 0 {
		return nil
	}
	return t.at(keys[:len(keys)-1]...).key(keys[len(keys)-1])
}

// merge lays over on top of base: mappings merge key by key, anything else
// in over replaces what base had. Neither input is modified.
func merge(base, over *tree) *tree {
	if over == nil {
		return base
	}
	if base == nil || base.kind != mappingNode || over.kind != mappingNode || isValueMapping(over) {
		return over
	}
	out := &tree{kind: mappingNode, pos: over.pos}
	out.keys = append(out.keys, base.keys...)
	out.vals = append(out.vals, base.vals...)
	index := make(map[string]int, len(out.keys))
	for j, k := range out.keys {
		index[k.text] = j
	}
	for i, k := range over.keys {
		if j, ok := index[k.text]; ok {
			out.keys[j] = k // the file that last wrote the key
			out.vals[j] = merge(out.vals[j], over.vals[i])
			continue
		}
		index[k.text] = len(out.keys)
		out.keys = append(out.keys, k)
		out.vals = append(out.vals, over.vals[i])
	}
	return out
}

// isValueMapping reports whether t is a value written as a mapping with its
// number ({value: 500 MW, source: ...}) or as a distribution ({dist:
// triangular, ...}). Such a mapping replaces the one it
// overrides as a whole, so that a new number never inherits the old
// number's source and confidence; a mapping without value (only a source
// or confidence) still merges into the base's.
func isValueMapping(t *tree) bool {
	if t.get("value") == nil && t.get("dist") == nil {
		return false
	}
	for _, k := range t.keys {
		if !slices.Contains(valueFields, k.text) && !slices.Contains(distFields, k.text) {
			return false
		}
	}
	return true
}

// yamlSyntaxError turns a go-yaml parse error into a positioned Error.
func yamlSyntaxError(file string, err error) error {
	type tokenError interface{ GetToken() *token.Token }
	type messageError interface{ GetMessage() string }
	pos := Pos{File: file}
	msg := err.Error()
	var te tokenError
	if errors.As(err, &te) && te.GetToken() != nil && te.GetToken().Position != nil {
		p := te.GetToken().Position
		pos.Line, pos.Col = p.Line, p.Column
	}
	var me messageError
	if errors.As(err, &me) {
		msg = me.GetMessage()
	} else if i := strings.Index(msg, "\n"); i > 0 {
		msg = msg[:i]
	}
	return ErrorList{{Pos: pos, Msg: fmt.Sprintf("YAML syntax: %s", msg)}}
}
