package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLivePresenterAndShortcuts: the presenter view fills a
// 1280×800 projector without the site's header and footer and shows the
// join address with host, its QR code and the participant count within
// the first screen; on the moderator page, with focus in the question
// list, "j" selects a question and "s" puts it on stage, which the
// presenter view then shows; ending the session asks for confirmation
// first.
func TestBrowserLivePresenterAndShortcuts(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, nil)
	page := "/live/" + code
	if res, body := post(t, browser(t), f.url, page, page+"/ask", url.Values{"text": {"Kapan jalan diperbaiki?"}}, ""); res.StatusCode >= 400 {
		t.Fatalf("ask: %d\n%s", res.StatusCode, body)
	}
	b := tab{t: t, ctx: newBrowser(t)}
	errs := watchConsole(b)
	b.do(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(f.url+page+"/present"))
	b.settle()
	if eval[bool](b, `!!document.querySelector("header.site, footer.site")`) {
		t.Error("the presenter view shows the site's header or footer")
	}
	if u := b.text(".join-url"); u != f.url+page {
		t.Errorf("join address %q, want %q", u, f.url+page)
	}
	for _, sel := range []string{".join-qr", "#connected", "#stage"} {
		if !eval[bool](b, `(function(e){ if (!e) return false; const r = e.getBoundingClientRect(); return r.height > 0 && r.bottom <= innerHeight && r.right <= innerWidth })(document.querySelector("`+sel+`"))`) {
			t.Errorf("%s is not within the first screen", sel)
		}
	}
	if src := eval[string](b, `document.querySelector(".join-qr").src`); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR code %.40s", src)
	}

	// The moderator, by keyboard.
	mod := tab{t: t, ctx: newBrowser(t), name: "moderator"}
	mod.do(chromedp.Navigate(f.url + page))
	mod.do(chromedp.Evaluate[chromedp.Void](`document.cookie = "rembug_s=` + sessionCookie(f.mod, f.url) + `; path=/"`))
	mod.do(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(f.url+page+"/mod"))
	mod.settle()
	mod.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#questions li").focus()`))
	mod.do(chromedp.KeyEvent("j"))
	mod.await("a selected question", `!!document.querySelector("#questions li.q-selected")`)
	mod.do(chromedp.KeyEvent("s"))
	mod.await("the question on stage", textHas("#stage", "Kapan jalan diperbaiki?"))
	b.await("the presenter's stage", textHas("#stage .stage-text", "Kapan jalan diperbaiki?"))

	if eval[bool](mod, `(function(b){ return !!b && b.checkVisibility() })(document.querySelector('button[value="close"]'))`) {
		t.Errorf("the end button is visible before the confirmation is opened: %s", eval[string](mod, `document.querySelector('button[value="close"]').outerHTML + " in " + document.querySelector('button[value="close"]').parentElement.outerHTML.slice(0, 300)`))
	}
	mod.do(chromedp.Click(chromedp.CSS(".confirm-end summary")))
	mod.submit(`button[value="close"]`)
	if !eval[bool](mod, `!!document.querySelector('button[value="open"]')`) {
		t.Error("the session did not end after the confirmation")
	}
	for _, e := range errs.take() {
		t.Errorf("presenter console: %s", e)
	}
}
