package scenario

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is where a value was written: file, line and column (1-based). A
// zero Line means the position is unknown (for example a value missing from
// the file altogether, reported at its parent).
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem with a scenario: where it is, which field, and what
// is wrong with it, in the form file:line:column: field.path: message.
type Error struct {
	Pos  Pos
	Path string
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	if e.Path != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Path)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a scenario, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxErrors bounds how many problems one load reports.
const maxErrors = 50

func (l *ErrorList) add(pos Pos, path, format string, args ...any) {
	if len(*l) >= maxErrors {
		return
	}
	for i, a := range args {
		switch a := a.(type) {
		case string:
			args[i] = excerpt(a)
		case error:
			args[i] = excerpt(a.Error())
		}
	}
	*l = append(*l, &Error{Pos: pos, Path: excerpt(path), Msg: fmt.Sprintf(format, args...)})
}

// maxExcerpt bounds the bytes of a value an error quotes: a 1 MB bad value
// gives a short message, not a 2 MB one.
const maxExcerpt = 400

// excerpt returns s, or when longer than maxExcerpt bytes its start and
// end (cut at character boundaries) around "…": a message keeps its "want
// …" tail.
func excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return s
	}
	head, tail := 3*maxExcerpt/4, len(s)-maxExcerpt/4
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	for tail < len(s) && !utf8.RuneStart(s[tail]) {
		tail++
	}
	return s[:head] + "…" + s[tail:]
}

// err returns the list sorted by position, or nil if it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return l
}

// IsInvalid reports whether err is a problem with the scenario itself (bad
// input), as opposed to an I/O failure.
func IsInvalid(err error) bool {
	var l ErrorList
	var e *Error
	return errors.As(err, &l) || errors.As(err, &e)
}
