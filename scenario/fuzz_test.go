package scenario_test

import (
	"errors"
	"testing"

	"github.com/gwf-project/gwf/scenario"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and any
// error must be a scenario problem with a file name, never an I/O error or
// an unpositioned surprise.
func FuzzParse(f *testing.F) {
	f.Add(scenario.ReferenceSource())
	f.Add(scenario.InitTemplate())
	f.Add([]byte("base: reference\nproject: {size: 500 MW}\n"))
	f.Add([]byte("base: other.yaml\n"))
	f.Add([]byte("name: [a\n"))
	f.Add([]byte("a: &x 1\nb: *x\n"))
	f.Add([]byte("---\na: 1\n---\nb: 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.yaml", data, nil)
		if err == nil {
			if s == nil {
				t.Fatal("Parse returned neither a scenario nor an error")
			}
			return
		}
		if !scenario.IsInvalid(err) {
			t.Fatalf("error is not a scenario problem: %v", err)
		}
		var list scenario.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty ErrorList: %#v", err)
		}
		for _, e := range list {
			if e.Pos.File == "" || e.Msg == "" {
				t.Fatalf("error without a file or message: %#v", e)
			}
		}
	})
}
