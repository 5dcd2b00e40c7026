package lp

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestWriteMPS(t *testing.T) {
	var m Model
	z := m.AddVar("z", 0, 2, 0)                      // first met in r2: written after x and y
	x := m.AddVar("x", math.Inf(-1), math.Inf(1), 1) // free
	y := m.AddVar("y", -1, 3.5, -2)                  // both bounds
	n := m.AddVar("n", 0, math.Inf(1), 0)            // integer, no upper bound
	m.Vars[n].Integer = true
	f := m.AddVar("f", 4, 4, 0)                               // fixed, in no row
	u := m.AddVar("u", math.Inf(-1), 7, 1e-5)                 // no lower bound
	m.AddRow("r1", GE, 4, Term{x, 1}, Term{y, 1}, Term{x, 1}) // x named twice: 2x
	m.AddRow("r2", LE, 0, Term{z, -1}, Term{n, 3}, Term{u, 1e15})
	m.AddRow("r3", EQ, -2.5, Term{y, 1}, Term{y, -1}) // sums to zero: an empty row
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	_ = f
	var b strings.Builder
	if err := WriteMPS(&b, &m); err != nil {
		t.Fatal(err)
	}
	want := `NAME gwf FREE
ROWS
 N obj
 G R0
 L R1
 E R2
COLUMNS
 C1 obj 1
 C1 R0 2
 C2 obj -2
 C2 R0 1
 C5 obj 1e-05
 C5 R1 1e+15
 C0 R1 -1
 MARKER 'MARKER' 'INTORG'
 C3 R1 3
 MARKER 'MARKER' 'INTEND'
 C4 obj 0
RHS
 RHS R0 4
 RHS R2 -2.5
BOUNDS
 UP BND C0 2
 FR BND C1
 LO BND C2 -1
 UP BND C2 3.5
 PL BND C3
 FX BND C4 4
 MI BND C5
 UP BND C5 7
ENDATA
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// The writers' numbers are strconv's 'g' with 15 digits, whatever path
// the number formatter takes (whole numbers, its table of recent ones).
func TestNumFormat(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 3, 1e9, -1e9, 1e14 + 1, 999999999999999, 1e15, -1e15, 1e16,
		1.2, 0.5, 1.5e-05, 1e-5, 54.567307692307696, 1.0 / 3, -2.5, 1e300, -1e-300, math.MaxFloat64,
		math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), 4503599627370496.5, 0.1 + 0.2}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		switch r.IntN(3) {
		case 0:
			vals = append(vals, math.Round(r.NormFloat64()*1e6))
		case 1:
			vals = append(vals, r.NormFloat64()*math.Pow(10, float64(r.IntN(40)-20)))
		default:
			vals = append(vals, vals[r.IntN(len(vals))]) // repeats: the table
		}
	}
	var f numFormat
	var buf []byte
	for _, v := range vals {
		buf = f.append(buf[:0], v)
		if want := strconv.FormatFloat(v, 'g', 15, 64); string(buf) != want {
			t.Fatalf("%v: got %q, want %q", v, buf, want)
		}
	}
}
