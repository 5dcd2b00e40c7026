package lp

import (
	"io"
	"math"
	"strconv"
)

// numFormat appends numbers as the model files have them: to 15
// significant digits (strconv's 'g', 15). A model's numbers repeat (±1,
// a recipe's units, a period's discount factor), so the text of recent
// ones is kept in a small table by their bits; whole numbers below 1e15,
// which 'g' writes as plain digits, are appended as integers.
type numFormat struct {
	slot [1024]struct {
		bits uint64
		n    uint8
		text [24]byte
	}
}

func (f *numFormat) append(dst []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 && !(v == 0 && math.Signbit(v)) {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	bits := math.Float64bits(v)
	h := (bits ^ bits>>29 ^ bits>>41) * 0x9E3779B97F4A7C15 >> 54 // 10 bits
	s := &f.slot[h]
	if s.n > 0 && s.bits == bits {
		return append(dst, s.text[:s.n]...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'g', 15, 64)
	if n := len(dst) - start; n <= len(s.text) {
		s.bits, s.n = bits, uint8(n)
		copy(s.text[:], dst[start:])
	}
	return dst
}

// textWriter gathers a model file's text in a buffer, writing it out in
// large pieces; the first write error sticks.
type textWriter struct {
	w   io.Writer
	buf []byte
	err error
	num numFormat
}

func newTextWriter(w io.Writer) *textWriter {
	return &textWriter{w: w, buf: make([]byte, 0, 1<<16)}
}

func (t *textWriter) str(s string) {
	t.buf = append(t.buf, s...)
	if len(t.buf) >= 1<<16-512 {
		t.flush()
	}
}

func (t *textWriter) number(v float64) { t.buf = t.num.append(t.buf, v) }

// index writes a numbered name: prefix and i.
func (t *textWriter) index(prefix byte, i int) {
	t.buf = strconv.AppendInt(append(t.buf, prefix), int64(i), 10)
}

func (t *textWriter) flush() error {
	if t.err == nil && len(t.buf) > 0 {
		_, t.err = t.w.Write(t.buf)
	}
	t.buf = t.buf[:0]
	return t.err
}
