package sweep_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gwf-project/gwf/internal/browsertest"
)

// The sweep's HTML report in headless Chromium: the heatmap has a square
// per pair of axis values (2 rates × 2 growths), each coloured and with
// its odds, and the table a row per cell.
func TestReportInChromium(t *testing.T) {
	exe := browsertest.Chromium(t)
	s := parse(t, small)
	tb := runTable(t, s, s.Chunks())
	path := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.WriteHTML(f, s, 1, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := browsertest.Start(t, exe, 1280, 900, func(ev any) {})
	defer cancel()
	type page struct {
		Title                   string
		Squares, Coloured, Rows int
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({
  Title: document.title,
  Squares: document.querySelectorAll('#heatmap td.cell').length,
  Coloured: Array.from(document.querySelectorAll('#heatmap td.cell')).filter(function (td) {
    return getComputedStyle(td).backgroundColor !== 'rgba(0, 0, 0, 0)' && /%/.test(td.textContent); }).length,
  Rows: document.querySelectorAll('#cells tr').length - 1})`))
	if err != nil {
		t.Fatal(err)
	}
	title, squares, coloured, rows := got.Title, got.Squares, got.Coloured, got.Rows
	if title != "gwf sweep — small" || squares != 4 || coloured != 4 || rows != 4 {
		t.Errorf("title %q, %d heatmap squares (%d coloured with odds), %d table rows; want \"gwf sweep — small\", 4, 4, 4", title, squares, coloured, rows)
	}
}
