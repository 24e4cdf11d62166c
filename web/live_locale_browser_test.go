package web_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLiveCountsInLocale: a count that changes over the websocket is
// written by live.js in the page's language, as the server writes it: the
// participant page and the presenter view show 12.345 in Indonesian and
// 12,345 in English once a new upvote arrives (the server rendered 12.344
// and 12,344). TestLiveCountsInLocale checks the server's side.
func TestBrowserLiveCountsInLocale(t *testing.T) {
	f := newLiveFixture(t)
	ctx := context.Background()
	code := f.createSession(t, nil)
	page := "/live/" + code
	if res, body := post(t, browser(t), f.url, page, page+"/ask", url.Values{"text": {"Kapan jalan diperbaiki?"}}, ""); res.StatusCode >= 400 {
		t.Fatalf("ask: %d\n%s", res.StatusCode, body)
	}
	var qid int64
	if err := f.db.NewRaw(`SELECT id FROM live_questions`).Scan(ctx, &qid); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.NewRaw(`UPDATE live_questions SET upvotes = 12344, version = version + 1`).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	type view struct {
		tab
		before, after string
	}
	var views []view
	for _, v := range []struct{ lang, path, before, after string }{
		{"id", page, "12.344", "12.345"}, {"en", page, "12,344", "12,345"},
		{"id", page + "/present", "12.344", "12.345"}, {"en", page + "/present", "12,344", "12,345"},
	} {
		b := tab{t: t, ctx: newBrowser(t), name: v.lang + " " + v.path}
		b.do(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(f.url+v.path+"?lang="+v.lang))
		b.settle()
		b.await("the server's count "+v.before, textHas(".q-count", v.before))
		views = append(views, view{b, v.before, v.after})
	}
	if res, body := post(t, browser(t), f.url, page, page+"/upvote", url.Values{"question": {strconv.FormatInt(qid, 10)}}, ""); res.StatusCode >= 400 {
		t.Fatalf("upvote: %d\n%s", res.StatusCode, body)
	}
	for _, v := range views {
		v.await("the live count "+v.after, textHas(".q-count", v.after))
	}
}
