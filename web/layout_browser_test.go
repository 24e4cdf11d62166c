package web_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rembug/rembug/polls"
)

// TestBrowserNarrowLayout checks on a 360 px wide viewport that
// table captions inside horizontal scrollers wrap within the screen, and
// that the proposal list filters stack as labelled fields, each label
// above its full-width input.
func TestBrowserNarrowLayout(t *testing.T) {
	ps := newPollSite(t)
	// A ranked question: its rounds table has a column per option and
	// scrolls sideways on a phone.
	s := ps.survey(t, polls.Survey{}, polls.Question{Code: "r", Kind: polls.KindRanked, Text: "Urutkan lokasi", Required: true,
		Spec: polls.Spec{Options: []string{"Alun-alun utara", "Bantaran sungai", "Lapangan kelurahan", "Halaman masjid"}}})
	for _, b := range [][]string{{"0", "1"}, {"2"}, {"3", "1"}} {
		if code, body := ps.pollPost(t, pollClient(t), s, url.Values{"a_r": b}); code >= 400 {
			t.Fatalf("answer: %d\n%s", code, body)
		}
	}
	ctx := newBrowser(t)
	eval := func(js string) int {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	// Headless windows may not go below 500 px: emulate the phone's viewport.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(ps.path(s)+"/results")); err != nil {
		t.Fatal(err)
	}
	if w := eval(`window.innerWidth`); w != 360 {
		t.Fatalf("viewport %d px wide, want 360", w)
	}
	if n := eval(`document.querySelectorAll('.scroll caption:not(.sr)').length`); n == 0 {
		t.Fatal("no table caption on the results page")
	}
	if n := eval(`[...document.querySelectorAll('.scroll')].filter(s => s.scrollWidth > s.clientWidth).length`); n == 0 {
		t.Fatal("no table scrolls sideways at 360 px: the check below would prove nothing")
	}
	// Pixels of caption text outside the window, summed over the captions.
	if px := eval(`[...document.querySelectorAll('.scroll caption:not(.sr)')].reduce((n, c) => {
		const r = c.getBoundingClientRect(); return n + Math.max(0, Math.ceil(r.right - window.innerWidth)) + Math.max(0, Math.ceil(-r.left)) }, 0)`); px > 0 {
		t.Errorf("captions reach %d px outside the 360 px window", px)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(ps.url+"/k/"+ps.c.Slug+"/proposals")); err != nil {
		t.Fatal(err)
	}
	// The filters start folded on a page without a filter: a phone sees
	// the proposals first. Opened, they stack.
	if eval(`document.querySelector('details.filters-box').open ? 1 : 0`) != 0 {
		t.Error("the filters are open on a page without a filter")
	}
	eval(`(document.querySelector('details.filters-box').open = true, 0)`)
	cases := []struct{ name, js string }{
		{"input under its label text", `(() => { const i = document.querySelector('.filters input[name=topic]');
			const l = i.closest('label').getBoundingClientRect(), r = i.getBoundingClientRect();
			return r.left === l.left && r.top > l.top + 8 ? 0 : 1 })()`},
		{"select under its label text", `(() => { const i = document.querySelector('.filters select[name=status]');
			const l = i.closest('label').getBoundingClientRect(), r = i.getBoundingClientRect();
			return r.left === l.left && r.top > l.top + 8 ? 0 : 1 })()`},
		{"fields stacked with one width", `(() => { const a = document.querySelector('.filters input[name=topic]').getBoundingClientRect();
			const b = document.querySelector('.filters select[name=status]').getBoundingClientRect();
			return a.left === b.left && a.width === b.width && b.top >= a.bottom ? 0 : 1 })()`},
		{"button under the fields", `(() => { const b = document.querySelector('.filters button').getBoundingClientRect();
			const s = document.querySelector('.filters select[name=status]').getBoundingClientRect();
			return b.top >= s.bottom ? 0 : 1 })()`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if eval(c.js) != 0 {
				t.Error("layout check failed")
			}
		})
	}
}
