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
	// The whole browser gets a deadline, so a hung page fails the test
	// instead of hanging CI.
	base, cancel0 := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel0)
	actx, cancel := chromedp.NewExecAllocator(base, opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	return ctx
}

// TestBrowserVoteChangesResults opens the consultation page in a real
// browser, votes with the plain form buttons, and sees the results change.
func TestBrowserVoteChangesResults(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	page := f.url + "/k/" + f.c.Slug
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	// submit clicks a form button and waits for the page the form's
	// redirect leads to, so the next step never races the navigation.
	submit := func(sel string) {
		t.Helper()
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("submit %s: %v", sel, err)
		}
		if res.Status != 200 {
			t.Fatalf("submit %s: status %d", sel, res.Status)
		}
	}
	do(chromedp.Navigate(page + "/results?sort=agree"))
	before := text("table.results tbody")
	do(chromedp.Navigate(page))
	statement := text("section.statement h2")
	submit(`button[value="agree"]`)
	heading := text("section.statement h2")
	do(chromedp.Navigate(page + "/results?sort=agree"))
	after := text("table.results tbody")
	if statement != "Perbanyak pohon peneduh" || heading != "Tambah bangku taman" {
		t.Fatalf("statements shown: %q then %q", statement, heading)
	}
	if !strings.Contains(before, "0 (0%)") || !strings.Contains(after, "1 (100%)") {
		t.Fatalf("results did not change:\nbefore %q\nafter %q", before, after)
	}
	if !strings.HasPrefix(strings.TrimSpace(after), "Perbanyak pohon peneduh") {
		t.Fatalf("sort by agree did not put the agreed statement first: %q", after)
	}

	// The list view votes too, and the language switch is remembered.
	do(chromedp.Navigate(page + "?view=list&lang=en"))
	submit(`li:nth-child(2) button[value="disagree"]`)
	mine := text(`li:nth-child(2) .mine`)
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	lang := attr.Value
	if lang != "en" || !strings.Contains(mine, "Disagree") {
		t.Fatalf("list view vote: lang %q, mine %q", lang, mine)
	}
}
