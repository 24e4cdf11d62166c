package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// mark tags the loaded document; stillMarked proves later updates came
// over the websocket, without a navigation or reload.
func (b tab) mark() { b.do(chromedp.Evaluate[chromedp.Void](`window.rembugNoReload = true`)) }

func (b tab) stillMarked() {
	b.t.Helper()
	if !eval[bool](b, `window.rembugNoReload === true`) {
		b.fail("the page was reloaded; updates must arrive over the websocket")
	}
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
	newTab := func(name string) tab {
		ctx, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx); err != nil { // opens the tab
			t.Fatalf("%s: %v", name, err)
		}
		return tab{t: t, name: name, ctx: ctx}
	}
	part := tab{t: t, name: "participant", ctx: first}
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
	// The asker sees their own question while it waits ("Pertanyaan saya").
	part.await("my pending question", textHas("#my-questions", question))
	part.await("my question's status", textHas("#my-questions", "Menunggu persetujuan moderator"))

	// Pre-moderation: only the moderator sees the question, live.
	mod.await("the pending question", textHas("#questions li.q-pending .q-text", question))
	mod.submit(`#questions li.q-pending button[value="approve"]`)
	part.await("the approved question", textHas("#questions", question))
	part.await("my question approved, live", textHas("#my-questions", "Tampil untuk semua"))
	part.stillMarked()
	mod.submit(`#questions li.q-approved button[value="highlight"]`)
	present.await("the question on stage", textHas("#stage .stage-text", question))
	part.await("the question on stage", textHas("#stage .stage-text", question))

	// A live poll: created, launched and shown by the moderator.
	// A question arriving meanwhile shows up live and leaves the half-filled
	// form as it is: the same node, still holding what was typed.
	const pollQuestion, second = "Setuju lampu diganti LED?", "Bagaimana dengan RT 06?"
	mod.mark()
	mod.do(chromedp.SetValue(chromedp.CSS(`form.poll-new input[name="question"]`), pollQuestion),
		chromedp.SetValue(chromedp.CSS(`form.poll-new textarea[name="options"]`), "Ya\nTidak"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("form.poll-new").rembugKept = true`))
	other := browser(t)
	if res, body := post(t, other, f.url, "/live/"+code, "/live/"+code+"/ask", url.Values{"text": {second}, "name": {"Budi"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second question: %d\n%s", res.StatusCode, body)
	}
	mod.await("the second question", textHas("#questions", second))
	mod.stillMarked()
	if !eval[bool](mod, `document.querySelector("form.poll-new").rembugKept === true && document.querySelector('form.poll-new input[name="question"]').value === `+strconv.Quote(pollQuestion)) {
		t.Fatal("moderator: an update replaced the poll form being filled in, or emptied it")
	}
	mod.submit(`form.poll-new button[value="create"]`)
	mod.submit(`ol.polls li:first-child button[value="launch"]`)
	// Launched is shown: no second click.
	part.await("the open poll with its result box", `!!document.querySelector("form.poll-form input[name=option]") && !!document.querySelector(".live-result")`)
	present.await("the shown result", textHas(".live-result .counts", "0 jawaban"))
	part.do(chromedp.Click(chromedp.CSS(`form.poll-form input[name="option"][value="0"]`)))
	part.submit("form.poll-form button[type=submit]")
	if !eval[bool](part, `document.querySelector('form.poll-form input[name="option"][value="0"]').checked`) {
		t.Error("participant: the page does not show the option they chose")
	}
	part.mark()
	present.await("one answer", textHas(".live-result .bars tbody tr:first-child .bar-count", "1"))
	present.await("one answer's share", textHas(".live-result .bars tbody tr:first-child .bar-share", "100"))

	// A second participant answers over plain HTTP: every view updates.
	if res, body := post(t, other, f.url, "/live/"+code, "/live/"+code+"/answer", url.Values{"poll": {"1"}, "option": {"1"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second answer: %d\n%s", res.StatusCode, body)
	}
	for _, b := range []tab{part, present} {
		b.await("two answers, split", textHas(".live-result .bars tbody tr:first-child .bar-share", "50"))
		b.await("two answers counted", textHas(".live-result .counts", "2 jawaban"))
		b.stillMarked()
	}
	mod.await("two answers at the moderator", textHas("ol.polls li:first-child .bars tbody tr:first-child .bar-share", "50%"))
	mod.await("the moderator's result labelled with its options", textHas("ol.polls li:first-child .bars tbody tr:first-child th", "Ya"))
	mod.await("two answers counted at the moderator", textHas("ol.polls li:first-child", "2 jawaban"))
}
