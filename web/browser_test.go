package web_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Chromium for one test, or skips when it is not
// installed (CI sets REMBUG_TEST_BROWSER=required to make that a failure).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserWithin(t, browserDeadline)
}

// newBrowserWithin is newBrowser for a test that visits many pages, with
// its own deadline from start to the last step.
func newBrowserWithin(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("REMBUG_TEST_BROWSER") == "required" {
			t.Fatal("no Chromium found, and REMBUG_TEST_BROWSER=required")
		}
		t.Skip("no Chromium installed; the browser test needs it (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(360, 740), // a small phone
	)
	// The whole browser gets a deadline, generous for a loaded CI machine
	// running -race but inside the test binary's own -timeout, so a hung
	// page fails the test instead of hanging CI.
	if dl, ok := t.Deadline(); ok && time.Until(dl)-10*time.Second < limit {
		limit = time.Until(dl) - 10*time.Second
	}
	base, cancel0 := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel0)
	actx, cancel := chromedp.NewExecAllocator(base, opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// Start the browser and its tab now: a step may then run under a
	// shorter timeout without that timeout stopping the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// browserDeadline bounds one browser test, from start to the last step.
const browserDeadline = 120 * time.Second

// TestBrowserVoteChangesResults opens the consultation page in a real
// browser, votes with the plain form buttons, and sees the results change.
func TestBrowserVoteChangesResults(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	page := f.url + "/k/" + f.c.Slug
	b := tab{t: t, ctx: ctx}
	b.do(chromedp.Navigate(page + "/results?sort=agree"))
	before := b.text("table.results tbody")
	b.do(chromedp.Navigate(page))
	statement := b.text("section.statement h2")
	b.submit(`button[value="agree"]`)
	heading := b.text("section.statement h2")
	b.do(chromedp.Navigate(page + "/results?sort=agree"))
	after := b.text("table.results tbody")
	if statement != "Perbanyak pohon peneduh" || heading != "Tambah bangku taman" {
		t.Fatalf("statements shown: %q then %q", statement, heading)
	}
	if !strings.Contains(before, "0 (0%)") || !strings.Contains(after, "1 (100%)") {
		t.Fatalf("results did not change:\nbefore %q\nafter %q", before, after)
	}
	if w := eval[string](b, `document.querySelector("table.results tbody tr .stackbar rect.agree").getAttribute("width")`); w != "100.00" {
		t.Fatalf("the agreed statement's bar: agree segment %q wide, want the whole bar", w)
	}
	if !strings.HasPrefix(strings.TrimSpace(after), "Perbanyak pohon peneduh") {
		t.Fatalf("sort by agree did not put the agreed statement first: %q", after)
	}

	// The list view votes too, and the language switch is remembered.
	b.do(chromedp.Navigate(page + "?view=list&lang=en"))
	b.submit(`li:nth-child(2) button[value="disagree"]`)
	mine := b.text(`li:nth-child(2) .mine`)
	lang := eval[string](b, `document.documentElement.lang`)
	if lang != "en" || !strings.Contains(mine, "Disagree") {
		t.Fatalf("list view vote: lang %q, mine %q", lang, mine)
	}
}
