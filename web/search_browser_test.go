package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHeaderSearch types words into the header's search box on the
// home page, submits with Enter and filters the results with a checkbox
// and the plain form button — no JavaScript of ours involved.
func TestBrowserHeaderSearch(t *testing.T) {
	w := newSearchWorld(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(w.url+"/")); err != nil {
		t.Fatal(err)
	}
	res, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS(`header form.search-box input[name="q"]`), "perbaikan dermaga\n"))
	if err != nil {
		t.Fatalf("submit the header search: %v", err)
	}
	if res.Status != 200 {
		t.Fatalf("search page status %d", res.Status)
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	// "perbaikan dermaga" needs both words: nothing, and the empty state
	// says what to do.
	if got := text("section.search-results"); !strings.Contains(got, "Tidak ada hasil") {
		t.Fatalf("empty state: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#q`), "dermaga")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.search-words button`))); err != nil {
		t.Fatal(err)
	}
	got := text("ol.hits")
	if !strings.Contains(got, "Usulan dermaga umum") || strings.Contains(got, "rahasia") {
		t.Fatalf("results for an anonymous visitor: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="kind"][value="proposal"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.search-filters button`))); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "kind=proposal") || !strings.Contains(text("ol.hits"), "Usulan dermaga umum") {
		t.Fatalf("after the kind filter: %s %q", loc, text("ol.hits"))
	}
}
