package scenario

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// TestReferenceTreeShared checks the parsed reference that every load
// reuses: loads that override its values (plain and as mappings), merge
// into its nested mappings and add entries leave it exactly as a fresh
// parse of the reference, and the reference decoded from it is the one
// decoded from a fresh parse.
func TestReferenceTreeShared(t *testing.T) {
	for _, src := range []string{
		"base: reference\nproject: {size: 500 MW}\n",
		"base: reference\nproject:\n  stages:\n    construction:\n      duration: 40 weeks\n      needs: {cooling: 1.2 MWt/MW}\n",
		"base: reference\nresources:\n  cooling: {capacity: {value: 900 MWt/week, source: mine}, share: 50%}\n",
		"base: reference\nresources:\n  cooling: {capacity: {dist: uniform, min: 800 MWt/week, max: 900 MWt/week}}\n",
	} {
		if _, err := Parse("mine.yaml", []byte(src), nil); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
	}
	referenceTrees.Lock()
	shared := referenceTrees.byFile[ReferenceName]
	referenceTrees.Unlock()
	if shared == nil {
		t.Fatal("no shared tree of the reference after loading it")
	}
	fresh, err := parseTree(ReferenceName, ReferenceSource())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shared, fresh) {
		t.Fatal("the shared reference tree changed under the loads that merged into it")
	}
	got, err := Reference()
	if err != nil {
		t.Fatal(err)
	}
	// Under another name the same text is parsed apart: its positions
	// name that file.
	want, err := Parse("copy.yaml", ReferenceSource(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := entriesAt(got), entriesAt(want); !reflect.DeepEqual(g, w) {
		t.Errorf("the reference decoded from the shared tree differs from a fresh parse")
	}
	if f := want.Project.Size.Pos.File; f != "copy.yaml" {
		t.Errorf("the reference's text loaded as copy.yaml has positions in %q", f)
	}
	// Names are kept up to a bound: a server loads under names it is sent.
	for i := range 3 * maxReferenceTrees {
		s, err := Parse(fmt.Sprintf("name%d.yaml", i), ReferenceSource(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if f := s.Project.Size.Pos.File; f != fmt.Sprintf("name%d.yaml", i) {
			t.Fatalf("loaded as name%d.yaml, positions in %q", i, f)
		}
	}
	referenceTrees.Lock()
	kept := len(referenceTrees.byFile)
	referenceTrees.Unlock()
	if kept > maxReferenceTrees {
		t.Errorf("%d trees of the reference kept, want at most %d", kept, maxReferenceTrees)
	}
}

// entriesAt lists a scenario's values with their positions' lines and
// columns (the file name left out).
func entriesAt(s *Scenario) []string {
	var out []string
	for _, e := range s.Entries() {
		if e.Value != nil {
			v := *e.Value
			out = append(out, fmt.Sprintf("%s=%v %q @%d:%d %q %q", e.Path, v.V, v.Text, v.Pos.Line, v.Pos.Col, v.Source, v.Confidence))
		}
	}
	return out
}

// TestReferenceTreeSharedConcurrently loads scenarios built on the
// reference from many goroutines at once, as the server does, and checks
// each against the same load made alone (run it with -race too).
func TestReferenceTreeSharedConcurrently(t *testing.T) {
	srcs := make([][]byte, 8)
	want := make([][]string, len(srcs))
	for i := range srcs {
		srcs[i] = fmt.Appendf(nil, "base: reference\nproject: {size: %d MW}\n", 100+50*i)
		s, err := Parse("mine.yaml", srcs[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = entriesAt(s)
	}
	// Forget the kept trees, so the goroutines race to parse and keep it.
	referenceTrees.Lock()
	referenceTrees.byFile = nil
	referenceTrees.Unlock()
	got := make([][]string, len(srcs))
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	for i := range srcs {
		wg.Go(func() {
			s, err := Parse("mine.yaml", srcs[i], nil)
			if errs[i] = err; err == nil {
				got[i] = entriesAt(s)
			}
		})
	}
	wg.Wait()
	for i := range srcs {
		if errs[i] != nil || !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("load %d at once with the others: error %v, or values unlike the same load alone", i, errs[i])
		}
	}
}
