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
	// The report in the iframe has drawn its charts.
	const reportDrawn = `(function () {
		var d = document.getElementById('report').contentDocument;
		return !!d && d.readyState === 'complete' && d.querySelectorAll('.chart canvas').length > 0;
	})()`

	start := time.Now()
	step("open the app and run the reference",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#run-form`)),
		chromedp.Click(chromedp.CSS(`#run-button`)),
		wait(`document.getElementById('run-label').textContent.startsWith('#1 ')`),
		wait(reportDrawn))
	firstTenGW := text("tengw-date")
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
