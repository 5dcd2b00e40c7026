// Package jsonout writes JSON documents in the one form every gwf output
// takes: encoding/json's encoding (HTML-safe), indented by two spaces, one
// document ending in a newline — byte for byte what a json.Encoder with
// SetIndent("", "  ") writes, several times faster on large documents.
package jsonout

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// Indent is the indentation of one level.
const Indent = "  "

// buffers holds encoding buffers for reuse between documents.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Write encodes v and writes it to w, indented, ending in a newline.
// Nothing is written if v cannot be encoded.
func Write(w io.Writer, v any) error {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		return err
	}
	compact := buf.Bytes()
	out := AppendIndent(make([]byte, 0, len(compact)+len(compact)/2), compact)
	_, err := w.Write(out)
	return err
}

// AppendIndent appends src, compact JSON as encoding/json writes it
// (no space outside strings but a final newline), to dst indented by
// Indent, as json.Indent(dst, src, "", Indent) would: each element of a
// non-empty array or object on its own line, a space after each colon, empty
// arrays and objects as [] and {}. It scans for strings and punctuation
// only: src must be valid JSON without whitespace outside strings.
func AppendIndent(dst, src []byte) []byte {
	depth := 0
	open := false // an array or object just opened: indent unless it closes at once
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			// Copy the string through its closing quote: nothing in it is
			// punctuation.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j, len(src)-1)
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = newline(dst, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// newline starts a line at depth.
func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, Indent...)
	}
	return dst
}
