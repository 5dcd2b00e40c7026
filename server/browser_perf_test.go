package server_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gwf-project/gwf/internal/browsertest"
	"github.com/gwf-project/gwf/server"
)

// TestBrowserRunToCharts measures what a what-if costs the person asking:
// from pressing Run to the run's charts drawn in the page, in headless
// Chromium on loopback, over 20 runs each with a different campus size (after one warm-up run).
// It logs p50 and p95 and asserts only that every run drew its charts
// (timings depend on the machine; docs/performance.md has the figures):
//
//	go test ./server -run TestBrowserRunToCharts -v -count=1
func TestBrowserRunToCharts(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	exe := browsertest.Chromium(t)
	ts := newServer(t, server.Config{})
	ctx, cancel := browsertest.Start(t, exe, 1400, 1000, func(any) {})
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#run-form`))); err != nil {
		t.Fatal(err)
	}
	// Run 0 warms the browser's JIT and the server up (a first what-if on
	// an empty database); it is logged, not counted.
	const runs = 20
	var took, tookAll []time.Duration // to the charts on screen drawn; to all drawn
	for i := 1; i <= runs+1; i++ {
		// Press Run with campus size 200 + 10·i MW, then wait for run i's charts.
		start := fmt.Sprintf(`(function () {
			var el = document.getElementById('key-project.size');
			el.value = '%d';
			el.dispatchEvent(new Event('input'));
			window.runPressedAt = performance.now();
			document.getElementById('run-button').click();
			return true;
		})()`, 200+10*i)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](start)); err != nil {
			t.Fatal(err)
		}
		drawn := fmt.Sprintf(`document.getElementById('charts').dataset.allDrawn === '%d'`, i)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](drawn, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
			t.Fatalf("run %d: charts not drawn: %v", i, err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`+document.getElementById('charts').dataset.drawnAt - window.runPressedAt`))
		if err != nil {
			t.Fatal(err)
		}
		steps, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
			var d = document.getElementById('charts').dataset, t0 = window.runPressedAt;
			return [d.createdAt, d.fetchedAt, d.laidOutAt, d.drawnAt, d.allDrawnAt].map(function (x) { return Math.round(x - t0); }).join(' / ');
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("run %2d (1: warm-up): created / charts fetched / laid out / on-screen drawn / all drawn at %s ms", i, steps)
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll('#charts .chart canvas').length`)); err != nil || n == 0 {
			t.Fatalf("run %d: %v canvases drawn (%v)", i, n, err)
		}
		all, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`+document.getElementById('charts').dataset.allDrawnAt - window.runPressedAt`))
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			continue // the warm-up
		}
		took = append(took, time.Duration(ms*float64(time.Millisecond)))
		tookAll = append(tookAll, time.Duration(all*float64(time.Millisecond)))
	}
	for _, m := range []struct {
		what string
		d    []time.Duration
	}{{"charts on screen drawn", took}, {"all charts drawn", tookAll}} {
		sorted := slices.Clone(m.d)
		slices.Sort(sorted)
		pct := func(p float64) time.Duration {
			return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))].Round(time.Millisecond)
		}
		t.Logf("Run → %s, %d runs: p50 %v, p95 %v, max %v", m.what, runs, pct(0.50), pct(0.95), sorted[len(sorted)-1].Round(time.Millisecond))
	}
}
