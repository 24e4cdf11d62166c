package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/polls"
)

// TestBrowserPollResultsLive: an open results page on a phone-sized window
// shows a vote cast elsewhere without reloading (poll_live.js).
func TestBrowserPollResultsLive(t *testing.T) {
	ps := newPollSite(t)
	s := ps.survey(t, polls.Survey{}, polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Lokasi taman", Required: true,
		Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}})
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ps.path(s)+"/results")); err != nil {
		t.Fatal(err)
	}
	counts := func() string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#poll-live p.counts")||{}).textContent||""`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	marker := func() bool { // set on the page's DOM: gone if the page reloads
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__kept === true`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__kept = true`)); err != nil {
		t.Fatal(err)
	}
	if got := counts(); !strings.Contains(got, "0 responden") {
		t.Fatalf("before: %q", got)
	}
	time.Sleep(300 * time.Millisecond) // let the socket connect
	for _, choice := range []string{"1", "1", "0"} {
		if code, _ := ps.pollPost(t, pollClient(t), s, url.Values{"a_s": {choice}}); code != http.StatusSeeOther {
			t.Fatalf("vote: %d", code)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(counts(), "3 responden") {
		if time.Now().After(deadline) {
			t.Fatalf("the page did not update: %q", counts())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !marker() {
		t.Fatal("the page reloaded instead of updating in place")
	}
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#r-s .outcome`)))
	if err != nil || !strings.Contains(v, "Selatan") {
		t.Fatalf("outcome after the update: %q, %v", v, err)
	}
}
