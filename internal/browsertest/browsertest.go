// Package browsertest starts Debian's headless Chromium for gwf's browser
// tests (the report and the web app), with the flags this machine needs: no
// sandbox, no GPU, no background networking, a fresh profile.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds one browser session.
const Timeout = 90 * time.Second

// Chromium returns the path of Debian's chromium ($GWF_CHROMIUM first), or
// skips the test saying how to install it.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("GWF_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("headless Chromium not found at /usr/bin/chromium (or $GWF_CHROMIUM): install Debian's chromium package (apt-get install chromium) to run the browser test; .ci/run installs it")
	return ""
}

// Start starts a fresh headless Chromium at exe with a window of width ×
// height and returns a context for one tab whose events go to listen, and
// the function that closes it all.
func Start(t testing.TB, exe string, width, height int, listen func(ev any)) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(width, height),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), Timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(actx, chromedp.WithListener(listen))
	return tab, func() { cancelTab(); cancelAlloc(); cancelTimeout() }
}
