package scenario

// The embedded reference's tree is compiled into the program
// (reference_tree.go, written from reference.yaml by TestReferenceTreeFile
// with -update, and checked against it by the same test): parsing its
// YAML was over a third of a `gwf run` process, and every command, worker and
// server loads it. Any other text, or the reference read from a file whose
// text differs, is parsed as written.

// flatNode is one node of a tree written out in preorder (see flatten): a
// mapping is followed by its n keys, each followed by its value; a
// sequence by its n items.
type flatNode struct {
	kind      treeKind
	n         int32
	line, col int32
	text      string
}

// flatten writes t out in preorder.
func flatten(t *tree) []flatNode {
	var out []flatNode
	var walk func(t *tree)
	walk = func(t *tree) {
		n := len(t.items)
		if t.kind == mappingNode {
			n = len(t.keys)
		}
		out = append(out, flatNode{kind: t.kind, n: int32(n), line: int32(t.pos.Line), col: int32(t.pos.Col), text: t.text})
		for i, k := range t.keys {
			walk(k)
			walk(t.vals[i])
		}
		for _, it := range t.items {
			walk(it)
		}
	}
	walk(t)
	return out
}

// unflatten makes the tree nodes describes (flatten's), its positions in
// file: every node from one array, every list of children from another.
func unflatten(nodes []flatNode, file string) *tree {
	children := 0
	for _, fn := range nodes {
		children += int(fn.n)
		if fn.kind == mappingNode {
			children += int(fn.n) // values as well as keys
		}
	}
	slab := make([]tree, len(nodes))
	ptrs := make([]*tree, children)
	next := 0
	carve := func(n int) []*tree {
		if n == 0 {
			return nil
		}
		s := ptrs[next : next+n : next+n]
		next += n
		return s
	}
	at := 0
	var build func() *tree
	build = func() *tree {
		fn := &nodes[at]
		t := &slab[at]
		at++
		*t = tree{kind: fn.kind, text: fn.text, pos: Pos{File: file, Line: int(fn.line), Col: int(fn.col)}}
		switch fn.kind {
		case mappingNode:
			t.keys, t.vals = carve(int(fn.n)), carve(int(fn.n))
			for i := range t.keys {
				t.keys[i] = build()
				t.vals[i] = build()
			}
		case sequenceNode:
			t.items = carve(int(fn.n))
			for i := range t.items {
				t.items[i] = build()
			}
		}
		return t
	}
	return build()
}
