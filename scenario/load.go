package scenario

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"sync"
)

// referenceText is the embedded reference scenario's YAML, and initText
// the commented starting file `gwf scenario init` writes.
var (
	//go:embed reference/reference.yaml
	referenceText string
	//go:embed reference/init.yaml
	initText string
)

// ReferenceName is the name of the embedded reference scenario; a scenario
// inherits from it with "base: reference".
const ReferenceName = "reference"

// MaxFileSize bounds a scenario file; anything larger is refused unread.
const MaxFileSize = 4 << 20

// maxBaseDepth bounds chains of inheritance.
const maxBaseDepth = 16

// ReadFunc reads a scenario file by path. Load never touches the file
// system itself; callers pass os.ReadFile or a reader over an fs.FS.
type ReadFunc func(path string) ([]byte, error)

// ReferenceSource returns the YAML text of the embedded reference scenario.
func ReferenceSource() []byte { return []byte(referenceText) }

// InitTemplate returns the commented starting file `gwf scenario init` writes.
func InitTemplate() []byte { return []byte(initText) }

// Reference loads the embedded reference scenario.
func Reference() (*Scenario, error) {
	return Parse(ReferenceName, ReferenceSource(), nil)
}

// referenceTrees holds the embedded reference's tree by the file name it
// was loaded as (positions name the file): every scenario with "base:
// reference" loads the reference (the server loads it as the base of its
// overrides too). Trees are never changed once built (merge makes new
// nodes), so one serves every load at once. At most maxReferenceTrees
// names are kept.
var referenceTrees struct {
	sync.Mutex
	byFile map[string]*tree
}

const maxReferenceTrees = 8

// parseOrReuse parses src into its tree, or, when src is the embedded
// reference's text, returns its tree as compiled into the program
// (reftree.go), made once per file name.
func parseOrReuse(file string, src []byte) (*tree, error) {
	if string(src) != referenceText {
		return parseTree(file, src)
	}
	rt := &referenceTrees
	rt.Lock()
	t := rt.byFile[file]
	rt.Unlock()
	if t != nil {
		return t, nil
	}
	t = unflatten(referenceFlat[:], file)
	rt.Lock()
	if rt.byFile == nil {
		rt.byFile = map[string]*tree{}
	}
	if len(rt.byFile) < maxReferenceTrees {
		rt.byFile[file] = t
	}
	rt.Unlock()
	return t, nil
}

// Load reads, merges with its bases, decodes and validates the scenario at
// path. The name "reference" (or an empty path) loads the embedded
// reference.
func Load(p string, read ReadFunc) (*Scenario, error) {
	if p == "" || p == ReferenceName {
		return Reference()
	}
	src, err := readLimited(read, p)
	if err != nil {
		return nil, err
	}
	return Parse(p, src, read)
}

const msgNoSuchFile = "no such file"

func readLimited(read ReadFunc, p string) ([]byte, error) {
	if read == nil {
		return nil, fmt.Errorf("%s: no file system to read from", p)
	}
	src, err := read(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrorList{{Pos: Pos{File: p}, Msg: msgNoSuchFile}}
		}
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	if len(src) > MaxFileSize {
		return nil, ErrorList{{Pos: Pos{File: p}, Msg: fmt.Sprintf("file too large (got %d bytes, want at most %d)", len(src), MaxFileSize)}}
	}
	return src, nil
}

// Parse decodes and validates the scenario text src, named file in errors.
// Bases named in it are read with read (relative to file's directory).
func Parse(file string, src []byte, read ReadFunc) (*Scenario, error) {
	if len(src) > MaxFileSize {
		return nil, ErrorList{{Pos: Pos{File: file}, Msg: fmt.Sprintf("file too large (got %d bytes, want at most %d)", len(src), MaxFileSize)}}
	}
	t, origin, err := resolve(file, src, read, nil)
	if err != nil {
		return nil, err
	}
	s := &Scenario{Origin: origin}
	d := &decoder{}
	d.decodeStruct(t, reflect.ValueOf(s).Elem(), "", t.pos)
	if err := d.errs.err(); err != nil {
		return nil, err
	}
	if err := validate(s, t); err != nil {
		return nil, err
	}
	return s, nil
}

// looksLikeScenario refuses a mapping none of whose top-level keys is a
// scenario field: some other file (a password file named as a base, say),
// whose content the errors must not quote line by line.
func looksLikeScenario(t *tree) error {
	if len(t.keys) == 0 {
		return nil
	}
	known := fieldsOf(reflect.TypeFor[Scenario]()).byName
	for _, k := range t.keys {
		if _, ok := known[k.text]; ok {
			return nil
		}
	}
	return ErrorList{{Pos: Pos{File: t.pos.File}, Msg: fmt.Sprintf("not a scenario file (none of its %d top-level keys is a scenario field; want a gwf scenario with name:, base:, target: …)", len(t.keys))}}
}

// resolve parses file and every base beneath it, returning the merged tree
// and the files merged, base first. chain holds the files above this one,
// to refuse loops.
func resolve(file string, src []byte, read ReadFunc, chain []string) (*tree, []string, error) {
	t, err := parseOrReuse(file, src)
	if err != nil {
		return nil, nil, err
	}
	if t.kind != mappingNode {
		return nil, nil, ErrorList{{Pos: t.pos, Msg: fmt.Sprintf("a scenario is a mapping of fields (got %s, want lines of field: value)", t.kind)}}
	}
	if err := looksLikeScenario(t); err != nil {
		return nil, nil, err
	}
	chain = append(chain, path.Clean(file))
	b := t.get("base")
	if b == nil || b.kind == nullNode {
		return t, []string{file}, nil
	}
	if b.kind != scalarNode || b.text == "" {
		return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: `expected the name of a scenario (got ` + b.kind.String() + `, want "reference" or a file path)`}}
	}
	if len(b.text) > maxExcerpt {
		return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: fmt.Sprintf("file path too long (got %d bytes starting %q, want a path of a scenario file)", len(b.text), excerpt(b.text))}}
	}
	if len(chain) > maxBaseDepth {
		return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: fmt.Sprintf("inheritance too deep (got more than %d files, want at most %d)", maxBaseDepth, maxBaseDepth)}}
	}
	basePath := b.text
	var baseSrc []byte
	if basePath == ReferenceName {
		baseSrc = ReferenceSource()
	} else {
		if !path.IsAbs(basePath) {
			basePath = path.Join(path.Dir(file), basePath)
		}
		for _, c := range chain {
			if c == basePath {
				return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: fmt.Sprintf("inheritance loop (got %s, want a chain of bases that ends)", strings.Join(append(chain, basePath), " → "))}}
			}
		}
		if read == nil {
			return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: fmt.Sprintf("cannot read base scenario: no files to read from here (got %q, want \"reference\")", b.text)}}
		}
		baseSrc, err = readLimited(read, basePath)
		if err != nil {
			var l ErrorList
			if errors.As(err, &l) && len(l) == 1 && l[0].Pos.Line == 0 {
				msg := fmt.Sprintf("base scenario %q: %s", b.text, l[0].Msg)
				if l[0].Msg == msgNoSuchFile {
					msg = fmt.Sprintf("cannot read base scenario: no such file (got %q, want \"reference\" or the path of a scenario file)", b.text)
				}
				return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: msg}}
			}
			return nil, nil, err
		}
	}
	for _, c := range chain {
		if c == basePath {
			return nil, nil, ErrorList{{Pos: b.pos, Path: "base", Msg: fmt.Sprintf("inheritance loop (got %s, want a chain of bases that ends)", strings.Join(append(chain, basePath), " → "))}}
		}
	}
	bt, origin, err := resolve(basePath, baseSrc, read, chain)
	if err != nil {
		return nil, nil, err
	}
	merged := merge(bt, t)
	return merged, append(origin, file), nil
}
