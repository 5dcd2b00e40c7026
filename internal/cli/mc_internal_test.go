package cli

import (
	"bytes"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	p := &progressBar{total: 1000, unit: "runs"}
	p.set(250)
	want := "250/1000 runs  25% [#######-----------------------]  125 runs/s  6s left"
	if got := p.line(2 * time.Second); got != want {
		t.Errorf("line:\n got %q\nwant %q", got, want)
	}
	p.set(0)
	if got, want := p.line(0), "0/1000 runs   0% [------------------------------]"; got != want {
		t.Errorf("line at start:\n got %q\nwant %q", got, want)
	}
}

// Off a terminal the bar draws nothing at all.
func TestProgressOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	e := &env{stderr: &buf}
	p := e.progress(10, "runs")
	p.set(5)
	p.finish()
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a buffer, want nothing", buf.String())
	}
}
