package server_test

import (
	"context"
	"flag"
	"fmt"
	"github.com/gwf-project/gwf/internal/browsertest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gwf-project/gwf/server"
)

var screenshotDir = flag.String("screenshots", "", "write PNG screenshots of the app into `DIR` (e.g. ../docs/screenshots)")

// TestBrowserMainFlow does in headless Chromium what a planner would do by
// hand: open the app, run the reference, change one key number, see the
// 10 GW date move, and compare the two runs.
func TestBrowserMainFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	exe := browsertest.Chromium(t)
	ts := newServer(t, server.Config{})

	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, "console.error: "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		}
	}
	ctx, cancel := browsertest.Start(t, exe, 1400, 1000, listen)
	defer cancel()

	shot := func(name string) {
		t.Helper()
		if *screenshotDir == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(*screenshotDir, "app-"+name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("%s: %v (page problems: %v)", what, err, problems)
		}
	}
	text := func(id string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q).textContent`, id)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wait := func(expr string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))(ctx, tg)
			return chromedp.Void{}, err
		}
	}
	js := func(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }
	// The run's charts have drawn in the page.
	const reportDrawn = `document.getElementById('charts').dataset.drawn !== '' && document.querySelectorAll('#charts .chart canvas').length > 0`

	start := time.Now()
	step("open the app and run the reference",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#run-form`)),
		chromedp.Click(chromedp.CSS(`#run-button`)),
		wait(`document.getElementById('run-label').textContent.startsWith('#1 ')`),
		wait(reportDrawn),
		wait(`document.querySelectorAll('#run-downloads a[href$=".parquet"]').length > 0`))
	firstTenGW := text("tengw-date")
	if d := text("run-downloads"); !strings.Contains(d, "Excel workbook") || !strings.Contains(d, "weekly CSV Parquet") {
		t.Errorf("run downloads: %q", d)
	}
	shot("run")
	step("change the campus size to 500 MW and run again",
		js(`(function () {
			var el = document.getElementById('key-project.size');
			el.value = '500';
			el.dispatchEvent(new Event('input'));
		})()`),
		chromedp.Click(chromedp.CSS(`#run-button`)),
		wait(`document.getElementById('run-label').textContent.startsWith('#2 ')`),
		wait(reportDrawn))
	secondTenGW := text("tengw-date")
	shot("changed")
	step("compare the two runs",
		wait(`document.querySelectorAll('.pick').length === 2`),
		js(`document.querySelectorAll('.pick').forEach(function (c) { c.click(); })`),
		chromedp.Click(chromedp.CSS(`#compare-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare-table`)),
		chromedp.ScrollIntoView(chromedp.CSS(`#compare-table`)))
	compareText := text("compare")
	shot("compare")
	step("run a Monte Carlo study and see it finish",
		js(`document.getElementById('mc-runs').value = '200'`),
		chromedp.Click(chromedp.CSS(`#mc-button`)),
		wait(`document.getElementById('mc-status').textContent.includes(' done: 200 of 200')`),
		chromedp.WaitVisible(chromedp.CSS(`#mc-table`)),
		wait(`document.querySelectorAll('#mc-downloads a[href$="bands.parquet"]').length === 1`),
		chromedp.ScrollIntoView(chromedp.CSS(`#mc-table`)))
	mcText := text("mc-result")
	shot("mc")
	if !strings.Contains(mcText, "10 GW online") || !strings.Contains(mcText, "P50") {
		t.Errorf("Monte Carlo table lacks milestones: %s", mcText)
	}
	t.Logf("browser flow took %v", time.Since(start).Round(time.Millisecond))
	t.Logf("10 GW online: reference %s, 500 MW campuses %s", firstTenGW, secondTenGW)
	if firstTenGW == "" || firstTenGW == "—" || firstTenGW == secondTenGW {
		t.Errorf("10 GW date did not change: %q then %q", firstTenGW, secondTenGW)
	}
	for _, want := range []string{"project.size", "250 MW", "500 MW", firstTenGW, secondTenGW} {
		if !strings.Contains(compareText, want) {
			t.Errorf("comparison lacks %q: %s", want, compareText)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("page reported %s", p)
	}
}

// TestBrowserPhone opens the app at 390 px wide, as on a phone (then at
// 360 px and on a 1920 px screen), with runs
// already stored: the newest run is shown at once with the target rate set
// (0.5 GW/week, not a fixed 1 GW/week), the layout is one column without
// sideways scrolling, controls are at least 24 px tall, the controls have
// accessible names, and deleting the run on screen clears its headline.
func TestBrowserPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	exe := browsertest.Chromium(t)
	ts := newServer(t, server.Config{})
	if status, m := call(t, ts, "POST", "/api/runs", `{"overrides":{"target.rate":"0.5 GW/week"}}`); status != 201 {
		t.Fatalf("seed run: %d %v", status, m)
	}
	ctx, cancel := browsertest.Start(t, exe, 390, 844, func(any) {})
	defer cancel()
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	wait := func(expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
			t.Fatalf("waiting for %s: %v", expr, err)
		}
	}
	// A headless window is at least 500 px wide: emulate the phone's viewport.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#run-form`))); err != nil {
		t.Fatal(err)
	}
	wait(`document.getElementById('run-label').textContent.startsWith('#1 ')`)
	if got := eval(`document.getElementById('gw-label').textContent`); got != "0.5 GW/week sustained" {
		t.Errorf("headline label = %q, want the scenario's target rate, 0.5 GW/week", got)
	}
	for _, id := range []string{"answer", "capex", "best-rate", "binds-now", "quarter-date"} {
		if got := eval(`document.getElementById('` + id + `').textContent`); got == "" || got == "—" {
			t.Errorf("#%s empty on load: %q", id, got)
		}
	}
	if got := eval(`document.getElementById('answer').textContent`); !strings.Contains(got, "0.5 GW/week") || !strings.Contains(got, "Capex $") {
		t.Errorf("answer = %q, want the target rate and the cost", got)
	}
	// Layout: no sideways scrolling, the result as wide as the screen.
	num := func(expr string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	if w := num(`window.innerWidth`); w != 390 {
		t.Fatalf("viewport is %v px wide, want 390", w)
	}
	if w := num(`document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %v px wide at a 390 px viewport: sideways scrolling (widest: %s)", w, eval(`Array.from(document.querySelectorAll('body *')).filter(function (e) { return e.getBoundingClientRect().right > 390; }).slice(0, 5).map(function (e) { return e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right); }).join(' ')`))
	}
	if w := num(`document.getElementById('result').getBoundingClientRect().width`); w < 300 {
		t.Errorf("result column is %v px wide, want at least 300", w)
	}
	small := eval(`Array.from(document.querySelectorAll('button, input:not([type=range]):not([type=hidden]), select, summary'))
		.filter(function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height < 24; })
		.map(function (e) { return (e.id || e.className || e.tagName) + ':' + Math.round(e.getBoundingClientRect().height); }).join(' ')`)
	if small != "" {
		t.Errorf("controls under 24 px tall: %s", small)
	}
	// Accessible names.
	unnamed := eval(`(function () {
		var out = [];
		function named(e) {
			if (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')) return true;
			if (e.id && document.querySelector('label[for="' + e.id + '"]')) return true;
			return !!e.closest('label');
		}
		['upload-file', 'upload-source', 'mc-progress', 'mc-runs', 'scenario'].forEach(function (id) {
			if (!named(document.getElementById(id))) out.push(id);
		});
		document.querySelectorAll('.pick').forEach(function (c) { if (!named(c)) out.push('pick ' + c.value); });
		if (!document.querySelector('[aria-live]#announce')) out.push('announce (aria-live)');
		return out.join(' ');
	})()`)
	if unnamed != "" {
		t.Errorf("without accessible names: %s", unnamed)
	}
	// The smallest phone and a wide screen: one column without sideways
	// scrolling at 360 px; side by side at 1920 px. Either way the run's
	// charts are drawn as wide as their column.
	for _, width := range []int{360, 1920} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 1000), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#run-form`))); err != nil {
			t.Fatal(err)
		}
		wait(`document.getElementById('charts').dataset.drawn === '1'`)
		if w := num(`document.documentElement.scrollWidth`); w > float64(width) {
			t.Errorf("at %d px the page is %v px wide: sideways scrolling", width, w)
		}
		result := num(`document.getElementById('result').getBoundingClientRect().width`)
		chart := num(`document.querySelector('#charts .chart').getBoundingClientRect().width`)
		if chart < result-60 || chart > result {
			t.Errorf("at %d px the first chart is %v px wide in a %v px result column", width, chart, result)
		}
		sideBySide := num(`document.getElementById('result').getBoundingClientRect().left - document.getElementById('inputs').getBoundingClientRect().right`) >= 0
		switch {
		case width < 760 && sideBySide:
			t.Errorf("at %d px inputs and result are side by side, want one column", width)
		case width < 760 && result < float64(width)-40:
			t.Errorf("at %d px the result column is %v px wide, want the screen's width", width, result)
		case width >= 760 && !sideBySide:
			t.Errorf("at %d px inputs and result are not side by side", width)
		case width >= 760 && result < 1200:
			t.Errorf("at %d px the result column is only %v px wide", width, result)
		}
		if width < 760 {
			if small := eval(`Array.from(document.querySelectorAll('button, input:not([type=range]):not([type=hidden]), select, summary'))
				.filter(function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height < 24; })
				.map(function (e) { return e.id || e.className || e.tagName; }).join(' ')`); small != "" {
				t.Errorf("at %d px controls under 24 px tall: %s", width, small)
			}
		}
	}
	// Reload keeps the run on screen; deleting it clears the headline.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#run-form`))); err != nil {
		t.Fatal(err)
	}
	wait(`document.getElementById('run-label').textContent.startsWith('#1 ')`)
	eval(`(function () { window.confirm = function () { return true; }; document.querySelector('tr[data-id="1"] button.delete').click(); return ''; })()`)
	wait(`document.getElementById('run-label').textContent === 'none'`)
	if got := eval(`document.getElementById('gw-date').textContent + '|' + document.getElementById('charts').children.length + '|' + document.getElementById('report-link').textContent`); got != "—|0|" {
		t.Errorf("after deleting the run on screen: %q, want its headline, charts and report link cleared", got)
	}
	if got := eval(`document.getElementById('announce').textContent`); !strings.Contains(got, "deleted") {
		t.Errorf("live region = %q, want the delete announced", got)
	}
}

// TestBrowserFirstVisit opens the app on an empty database: it answers at
// once with the built-in reference's run (#0, not stored), headline and
// charts drawn, and the list of stored runs stays empty.
func TestBrowserFirstVisit(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	exe := browsertest.Chromium(t)
	ts := newServer(t, server.Config{})
	ctx, cancel := browsertest.Start(t, exe, 1280, 900, func(any) {})
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#run-form`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('run-label').textContent.startsWith('#0 ') && document.getElementById('charts').dataset.drawn === '0'`,
		chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("waiting for the reference's run and charts: %v", err)
	}
	type page struct {
		Answer, TenGW string
		Stored        int
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({Answer: document.getElementById('answer').textContent,
  TenGW: document.getElementById('tengw-date').textContent,
  Stored: document.querySelectorAll('#runs tbody tr').length})`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Answer == "" || got.TenGW == "" || got.TenGW == "—" || got.Stored != 0 {
		t.Errorf("first visit: answer %q, 10 GW %q, %d runs listed; want an answer, a date and none stored", got.Answer, got.TenGW, got.Stored)
	}
}
