package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"github.com/gwf-project/gwf/internal/browsertest"
	"github.com/gwf-project/gwf/mc"
	"github.com/gwf-project/gwf/sensitivity"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var screenshotDir = flag.String("screenshots", "", "write PNG screenshots of the report into `DIR` (e.g. ../docs/screenshots)")

func chromiumPath(t *testing.T) string { return browsertest.Chromium(t) }

// browser starts headless Chromium for one tab whose events go to listen.
func browser(t *testing.T, exe string, listen func(ev any)) (context.Context, context.CancelFunc) {
	return browsertest.Start(t, exe, 1280, 900, listen)
}

// chartState is what the page says about one chart once drawn.
type chartState struct {
	ID      string `json:"id"`
	Canvas  int    `json:"canvas"`  // canvases in the chart's container
	Width   int    `json:"width"`   // of the first, in device pixels
	Height  int    `json:"height"`  //
	Painted int    `json:"painted"` // sampled pixels that are not transparent
	Sampled int    `json:"sampled"`
	Series  int    `json:"series"`
	Error   string `json:"error"`
	// Misaligned lists the x of week 0 in each panel when they differ.
	Misaligned string `json:"misaligned"`
}

const chartStateJS = `Array.from(document.querySelectorAll('.chart')).map(function (el) {
  var c = el.querySelector('canvas');
  var s = {id: el.id, canvas: el.querySelectorAll('canvas').length, width: 0, height: 0, painted: 0, sampled: 0, series: 0,
    error: el.getAttribute('data-error') || ''};
  if (c) {
    s.width = c.width; s.height = c.height;
    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < d.length; i += 4 * 61) { s.sampled++; if (d[i] > 0) s.painted++; }
  }
  var inst = window.echarts && echarts.getInstanceByDom(el);
  if (inst) {
    var opt = inst.getOption() || {};
    s.series = (opt.series || []).length;
    // Panels that share the week axis must line up: the same week at the
    // same x in every panel.
    var xs = (opt.xAxis || []).map(function (a, i) {
      return a.type === 'time' ? Math.round(inst.convertToPixel({xAxisIndex: i}, a.min)) : null;
    }).filter(function (x) { return x !== null; });
    s.misaligned = xs.some(function (x) { return x !== xs[0]; }) ? xs.join(',') : '';
  }
  return s;
})`

// showTipsJS shows a tooltip on every chart: for charts with an axis
// tooltip, as if the pointer were at 60% of the width in the middle of the
// last plot; for the others, on the first data item of their last series.
const showTipsJS = `document.querySelectorAll('.chart').forEach(function (el) {
  var ch = window.echarts && echarts.getInstanceByDom(el);
  if (!ch) return;
  var opt = ch.getOption();
  if (!opt || !opt.series) return;
  if (opt.tooltip[0].trigger === 'axis') {
    var g = opt.grid[opt.grid.length - 1];
    ch.dispatchAction({type: 'showTip', x: Math.round(el.clientWidth * 0.6), y: Math.round(g.top + g.height / 2)});
    return;
  }
  for (var i = opt.series.length - 1; i >= 0; i--) {
    if ((opt.series[i].data || []).length > 0) { ch.dispatchAction({type: 'showTip', seriesIndex: i, dataIndex: 0}); return; }
  }
})`

const readTipsJS = `(function () {
  var out = {};
  document.querySelectorAll('.chart').forEach(function (el) {
    var tip = el.querySelector('.gwf-tooltip');
    out[el.id] = tip ? tip.innerText : '';
  });
  return out;
})()`

// TestReportInBrowser opens the reference report in headless Chromium and
// checks that the page loads nothing from the network, logs no error, and
// draws every chart.
func TestReportInBrowser(t *testing.T) {
	checkInBrowser(t, referenceHTML(t), *screenshotDir)
}

// The Monte Carlo report (fan chart, histograms) and the backtest report
// (recorded against simulated) draw in the browser too.
func TestStudyAndComparisonReportsInBrowser(t *testing.T) {
	chromiumPath(t) // skip early without Chromium
	sc, r, s := referenceRun(t)
	st, err := mc.Run(context.Background(), sc, mc.Config{Runs: 20, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := HTMLWithStudy(&b, sc, r, s, st); err != nil {
		t.Fatal(err)
	}
	t.Run("study", func(t *testing.T) { checkInBrowser(t, b.Bytes(), "") })
	var c bytes.Buffer
	comps := []Comparison{{Name: "accelerators_shipped", Unit: "accelerators", Weeks: []int{52, 104, 156}, Recorded: []float64{1e6, 2e6, 3e6}, Simulated: []float64{1.2e6, 2.1e6, 2.5e6}}}
	if err := HTMLWithComparisons(&c, sc, r, s, "a test comparison", comps); err != nil {
		t.Fatal(err)
	}
	t.Run("comparison", func(t *testing.T) { checkInBrowser(t, c.Bytes(), "") })
	tor := &sensitivity.Result{Scenario: sc.Name, Start: sc.StartDate.Time, Weeks: r.Model.Weeks, Base: sensitivity.Outcome{Week: -1, OnlineMW: 99e3},
		Inputs: []sensitivity.Input{{Path: "resources.grid.lead_time", Low: 130, High: 340, AtLow: sensitivity.Outcome{Week: -1, OnlineMW: 103e3}, AtHigh: sensitivity.Outcome{Week: -1, OnlineMW: 79e3}}}}
	var d bytes.Buffer
	if err := HTMLWithTornado(&d, sc, r, s, tor); err != nil {
		t.Fatal(err)
	}
	t.Run("tornado", func(t *testing.T) { checkInBrowser(t, d.Bytes(), "") })
}

// checkInBrowser opens page in headless Chromium and fails on any console
// error, uncaught exception or network request, and on any chart that did
// not draw or show a tooltip; with shots set it saves screenshots there.
func checkInBrowser(t *testing.T, page []byte, shots string) {
	exe := chromiumPath(t)
	start := time.Now()
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	wantIDs := chartIDs(page)
	if len(wantIDs) < 4 {
		t.Fatalf("the report has %d chart containers, want at least 4", len(wantIDs))
	}

	var mu sync.Mutex
	var problems, notes []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	// The listener runs on the tab's reading goroutine: it only records.
	ctx, cancel := browser(t, exe, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			switch ev.Type {
			case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
				var args []string
				for _, a := range ev.Args {
					if a.Description != "" {
						args = append(args, a.Description)
					} else {
						args = append(args, string(a.Value))
					}
				}
				report("console.%s: %s", ev.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			report("uncaught exception at %d:%d: %s", d.LineNumber+1, d.ColumnNumber+1, msg)
		case *cdplog.EventEntryAdded:
			// Errors fail the test; the browser's own warnings (deprecations,
			// interventions) change between Chromium versions and are logged.
			switch ev.Entry.Level {
			case cdplog.EntryLevelError:
				report("browser log (%s, %s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			case cdplog.EntryLevelWarning:
				mu.Lock()
				notes = append(notes, fmt.Sprintf("browser log (%s, %s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
				mu.Unlock()
			}
		case *network.EventRequestWillBeSent:
			if u := ev.Request.URL; !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
				report("the page asked the network for %s", u)
			}
		}
	})
	defer cancel()

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate("file://"+file),
		chromedp.WaitReady(chromedp.CSS(`body[data-rendered="ok"]`)),
	)
	var states []chartState
	if err == nil {
		states, err = chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartStateJS))
	}
	if err != nil {
		mu.Lock()
		t.Fatalf("opening the report in Chromium: %v (problems so far: %v)", err, problems)
	}
	t.Logf("Chromium opened and drew the report in %v", time.Since(start).Round(time.Millisecond))

	got := map[string]chartState{}
	for _, s := range states {
		got[s.ID] = s
	}
	for _, id := range wantIDs {
		s, ok := got[id]
		switch {
		case !ok:
			t.Errorf("chart %s: no container in the page", id)
		case s.Error != "":
			t.Errorf("chart %s: %s", id, s.Error)
		case s.Canvas == 0 || s.Width == 0 || s.Height == 0:
			t.Errorf("chart %s: no canvas drawn (%+v)", id, s)
		case s.Series == 0:
			t.Errorf("chart %s: no series", id)
		case s.Misaligned != "":
			t.Errorf("chart %s: its panels do not line up: week 0 at x = %s", id, s.Misaligned)
		case s.Painted*100 < s.Sampled: // less than 1% of the canvas painted
			t.Errorf("chart %s: canvas nearly empty: %d of %d sampled pixels painted", id, s.Painted, s.Sampled)
		default:
			t.Logf("chart %s: %dx%d canvas, %d series, %d%% painted", id, s.Width, s.Height, s.Series, 100*s.Painted/max(1, s.Sampled))
		}
	}
	// Show a tooltip on every chart, so the tooltip formatters run too.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](showTipsJS), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatalf("showing tooltips: %v", err)
	}
	tips, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](readTipsJS))
	if err != nil {
		t.Fatalf("reading tooltips: %v", err)
	}
	for _, id := range wantIDs {
		if tip := strings.TrimSpace(tips[id]); tip == "" {
			t.Errorf("chart %s: no tooltip shown", id)
		} else {
			t.Logf("chart %s tooltip: %q", id, strings.Join(strings.Fields(tip), " "))
		}
	}

	mu.Lock()
	for _, p := range problems {
		t.Error(p)
	}
	for _, n := range notes {
		t.Log(n)
	}
	mu.Unlock()

	if shots != "" {
		saveScreenshots(t, ctx, shots)
	}
}

var chartIDPattern = regexp.MustCompile(`<div class="chart" id="([^"]+)"`)

func chartIDs(page []byte) []string {
	var ids []string
	for _, m := range chartIDPattern.FindAllSubmatch(page, -1) {
		ids = append(ids, string(m[1]))
	}
	return ids
}

// saveScreenshots writes the top of the page and each section as PNGs.
func saveScreenshots(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, png []byte) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d kB)", p, len(png)/1000)
	}
	// Hide the tooltips the test showed; after the top of the page, hide the
	// sticky contents bar too, so it does not cover the sections.
	const hideTips = `document.querySelectorAll('.chart').forEach(function (el) {
  var ch = echarts.getInstanceByDom(el);
  if (!ch) return;
  ch.dispatchAction({type: 'hideTip'});
  ch.dispatchAction({type: 'updateAxisPointer', currTrigger: 'leave'});
})`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](hideTips)); err != nil {
		t.Fatal(err)
	}
	top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	write("report-top.png", top)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.toc').style.display = 'none'`)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"summary", "ramp", "bottlenecks", "supply", "projects", "money", "missions", "scenario"} {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#%s').length`, id)))
		if err != nil || n == 0 {
			continue
		}
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#"+id)))
		if err != nil {
			t.Fatalf("screenshot of #%s: %v", id, err)
		}
		write("report-"+id+".png", png)
	}
}
