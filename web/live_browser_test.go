package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// liveTab is one browser context (its own cookies) showing one live page.
type liveTab struct {
	t    *testing.T
	name string
	ctx  context.Context
}

func (b liveTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", b.name, err)
	}
}

// submit clicks a plain form's button and waits for the page its redirect
// leads to.
func (b liveTab) submit(sel string) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: submit %s: %v", b.name, sel, err)
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("%s: submit %s: status %d", b.name, sel, res.Status)
	}
}

// await waits (up to 20 s) until the JavaScript predicate pred holds in
// the page: DOM conditions, never fixed sleeps.
func (b liveTab) await(what, pred string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](pred,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		html, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.getElementById("live-body") || document.body).innerText`))
		b.t.Fatalf("%s: waiting for %s: %v\npage text:\n%s", b.name, what, err, html)
	}
}

// mark tags the loaded document; stillMarked proves later updates came
// over the websocket, without a navigation or reload.
func (b liveTab) mark() { b.do(chromedp.Evaluate[chromedp.Void](`window.rembugNoReload = true`)) }

func (b liveTab) stillMarked() {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.rembugNoReload === true`))
	if err != nil || !ok {
		b.t.Fatalf("%s: the page was reloaded (%v); updates must arrive over the websocket", b.name, err)
	}
}

// textHas is a predicate: the text of the first element matching sel
// contains want.
func textHas(sel, want string) string {
	return `(function(){var e=document.querySelector(` + strconv.Quote(sel) + `);return !!e && e.textContent.indexOf(` + strconv.Quote(want) + `) >= 0;})()`
}

// TestBrowserLiveThreeViews runs a session in three browser contexts: a
// participant asks, the moderator approves and highlights, the presenter
// view and the participant page show it on stage without reloading; a live
// poll is launched and shown, and its result updates on all three.
func TestBrowserLiveThreeViews(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, url.Values{"premoderate": {"1"}})
	page := f.url + "/live/" + code
	first := newBrowser(t)
	if err := chromedp.Do(first, chromedp.Navigate(f.url+"/live")); err != nil { // starts the browser
		t.Fatal(err)
	}
	newTab := func(name string) liveTab {
		ctx, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		return liveTab{t: t, name: name, ctx: ctx}
	}
	part := liveTab{t: t, name: "participant", ctx: first}
	mod, present := newTab("moderator"), newTab("presenter")

	base, _ := url.Parse(f.url)
	tok := ""
	for _, c := range f.mod.Jar.Cookies(base) {
		if c.Name == "rembug_s" {
			tok = c.Value
		}
	}
	mod.do(chromedp.Navigate(f.url+"/live"),
		chromedp.Evaluate[chromedp.Void](`document.cookie = "rembug_s=`+tok+`; path=/"`),
		chromedp.Navigate(page+"/mod"))
	mod.await("the moderator page", textHas("#live-body", code))
	present.do(chromedp.Navigate(page + "/present"))
	present.await("the presenter page", textHas("#stage", "Belum ada"))
	present.mark()

	const question = "Kapan lampu jalan di RT 05 diperbaiki?"
	part.do(chromedp.Navigate(page), chromedp.SetValue(chromedp.CSS("#ask-text"), question),
		chromedp.SetValue(chromedp.CSS(`input[name="name"]`), "Sari"))
	part.submit("form.ask button[type=submit]")
	part.mark()

	// Pre-moderation: only the moderator sees the question, live.
	mod.await("the pending question", textHas("#questions li.q-pending .q-text", question))
	mod.submit(`#questions li.q-pending button[value="approve"]`)
	part.await("the approved question", textHas("#questions", question))
	mod.submit(`#questions li.q-approved button[value="highlight"]`)
	present.await("the question on stage", textHas("#stage .stage-text", question))
	part.await("the question on stage", textHas("#stage .stage-text", question))

	// A live poll: created, launched and shown by the moderator.
	mod.do(chromedp.SetValue(chromedp.CSS(`form.poll-new input[name="question"]`), "Setuju lampu diganti LED?"),
		chromedp.SetValue(chromedp.CSS(`form.poll-new textarea[name="options"]`), "Ya\nTidak"))
	mod.submit(`form.poll-new button[value="create"]`)
	mod.submit(`ol.polls li:first-child button[value="launch"]`)
	mod.submit(`ol.polls li:first-child button[value="show"]`)
	part.await("the open poll with its result box", `!!document.querySelector("form.poll-form input[name=option]") && !!document.querySelector(".live-result")`)
	present.await("the shown result", textHas(".live-result .counts", "0 jawaban"))
	part.do(chromedp.Click(chromedp.CSS(`form.poll-form input[name="option"][value="0"]`)))
	part.submit("form.poll-form button[type=submit]")
	part.mark()
	present.await("one answer", textHas(".live-result .bars li:first-child .bar-n", "1 · 100"))

	// A second participant answers over plain HTTP: every view updates.
	other := browser(t)
	if res, body := post(t, other, f.url, "/live/"+code, "/live/"+code+"/answer", url.Values{"poll": {"1"}, "option": {"1"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second answer: %d\n%s", res.StatusCode, body)
	}
	for _, b := range []liveTab{part, present} {
		b.await("two answers, split", textHas(".live-result .bars li:first-child .bar-n", "1 · 50"))
		b.await("two answers counted", textHas(".live-result .counts", "2 jawaban"))
		b.stillMarked()
	}
	mod.await("two answers at the moderator", textHas("ol.polls li:first-child .bar-n", "1 · 1"))
	mod.await("two answers counted at the moderator", textHas("ol.polls li:first-child", "2 jawaban"))
}
