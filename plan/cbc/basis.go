package cbc

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gwf-project/gwf/plan/lp"
)

// cbc reads and writes a basis as an MPS basis file (-basisI, -basisO):
// a NAME line, then one line per change from the slack basis (every row
// basic, every column at its lower bound), and ENDATA:
//
//	XU col row   col basic, row nonbasic with its activity at its upper bound
//	XL col row   col basic, row nonbasic at its lower bound
//	UL col       col nonbasic at its upper bound
//	LL col       col nonbasic at its lower bound (the default)
//
// cbc's -basisO also writes the values of the columns it names (its NAME
// line then ends "VALUES"); formatBasis writes none and parseBasis skips
// them. cbc matches the names to its model and ignores what it cannot
// match: a basis that does not fit only costs iterations.

// naming is how a model file names m's columns and rows: by m's names
// (the LP file), or numbered by their index, C0, C1, … and R0, R1, …
// (the MPS file lp.WriteMPS writes, for warm starts).
type naming struct {
	m        *lp.Model
	numbered bool
}

func (n naming) col(j int) string {
	if n.numbered {
		return "C" + strconv.Itoa(j)
	}
	return n.m.Vars[j].Name
}

func (n naming) row(i int) string {
	if n.numbered {
		return "R" + strconv.Itoa(i)
	}
	return n.m.Rows[i].Name
}

// numberedIndex is the index in a numbered name (prefix and digits, the
// index below n).
func numberedIndex(name string, prefix byte, n int) (int, bool) {
	if len(name) < 2 || name[0] != prefix || name[1] == '+' || name[1] == '-' {
		return 0, false
	}
	i, err := strconv.Atoi(name[1:])
	return i, err == nil && i >= 0 && i < n
}

// formatBasis writes b, a basis of m, as an MPS basis file naming m's
// columns and rows as nm does. A valid basis has as many basic columns
// as nonbasic rows; each pair is a line. Should b not be valid, what
// cannot be paired is left as in the slack basis (cbc repairs a basis
// with too few basics).
func formatBasis(w io.Writer, nm naming, b *lp.Basis) error {
	m := nm.m
	if !b.Fits(m) {
		return fmt.Errorf("a basis of %d columns and %d rows for a model of %d and %d", len(b.Vars), len(b.Rows), len(m.Vars), len(m.Rows))
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("NAME          gwf\n")
	r := 0 // the next nonbasic row to pair
	nextRow := func() int {
		for ; r < len(b.Rows); r++ {
			if b.Rows[r] != lp.Basic {
				r++
				return r - 1
			}
		}
		return -1
	}
	for j, st := range b.Vars {
		switch st {
		case lp.Basic:
			i := nextRow()
			if i < 0 {
				continue
			}
			kind := " XL "
			if b.Rows[i] == lp.AtUpper {
				kind = " XU "
			}
			bw.WriteString(kind + nm.col(j) + " " + nm.row(i) + "\n")
		case lp.AtUpper:
			bw.WriteString(" UL " + nm.col(j) + "\n")
		}
	}
	bw.WriteString("ENDATA\n")
	return bw.Flush()
}

// parseBasis reads an MPS basis file of m (as cbc's -basisO writes it),
// its columns and rows named as nm names them. A name that is not m's, or
// a line of another kind, is an error. cbc writes the columns in order,
// each paired with the next nonbasic row, so a name is looked for a
// little way past the last one found before it is looked up.
func parseBasis(r io.Reader, nm naming) (*lp.Basis, error) {
	m := nm.m
	b := &lp.Basis{Vars: make([]lp.BasisStatus, len(m.Vars)), Rows: make([]lp.BasisStatus, len(m.Rows))}
	for i := range b.Rows {
		b.Rows[i] = lp.Basic
	}
	cols, rows := nm.finders()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	ended := false
	var f [3]string
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '*' || strings.HasPrefix(line, "NAME") {
			continue
		}
		if strings.HasPrefix(line, "ENDATA") {
			ended = true
			break
		}
		k := fields(line, f[:])
		bad := func(why string) error {
			return fmt.Errorf("cbc: basis line %d %q: %s", n, line, why)
		}
		if k < 2 {
			return nil, bad("want a kind and a column")
		}
		j, ok := cols.find(f[1])
		if !ok {
			return nil, bad("no such column")
		}
		switch f[0] {
		case "XU", "XL":
			if k < 3 {
				return nil, bad("want a row")
			}
			i, ok := rows.find(f[2])
			if !ok {
				return nil, bad("no such row")
			}
			b.Vars[j] = lp.Basic
			b.Rows[i] = lp.AtLower
			if f[0] == "XU" {
				b.Rows[i] = lp.AtUpper
			}
		case "UL":
			b.Vars[j] = lp.AtUpper
		case "LL":
			b.Vars[j] = lp.AtLower
		default:
			return nil, bad("unknown kind")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cbc: basis: %w", err)
	}
	if !ended {
		return nil, fmt.Errorf("cbc: basis: no ENDATA (cut short?)")
	}
	return b, nil
}

// finders find the model's columns and rows by the names the file gives
// them.
func (n naming) finders() (cols, rows *finder) {
	m := n.m
	if n.numbered {
		return &finder{n: len(m.Vars), prefix: 'C'}, &finder{n: len(m.Rows), prefix: 'R'}
	}
	return &finder{n: len(m.Vars), name: func(j int) string { return m.Vars[j].Name }},
		&finder{n: len(m.Rows), name: func(i int) string { return m.Rows[i].Name }}
}

// finder finds names among n, name(i) the i-th: first in the few after
// the last found, then in a map built when first needed. Numbered names
// (prefix set, name nil) are read.
type finder struct {
	n      int
	name   func(int) string
	prefix byte
	next   int
	index  map[string]int
}

// finderReach is how far past the last name found finder looks before
// it builds its map.
const finderReach = 64

func (f *finder) find(name string) (int, bool) {
	if f.name == nil {
		return numberedIndex(name, f.prefix, f.n)
	}
	for i := f.next; i < f.n && i < f.next+finderReach; i++ {
		if f.name(i) == name {
			f.next = i + 1
			return i, true
		}
	}
	if f.index == nil {
		f.index = make(map[string]int, f.n)
		for i := range f.n {
			f.index[f.name(i)] = i
		}
	}
	i, ok := f.index[name]
	if ok {
		f.next = i + 1
	}
	return i, ok
}
