package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rembug/rembug/forum"
)

// TestBrowserLinkPhone: a signed-in citizen on a 360 px phone without
// JavaScript links a phone number from /akun, typing it in a local format
// and the WhatsApp code read from the development outbox; the account page
// then lists the number in E.164 and offers no second one; in a fresh
// browser the same number signs in to the same account. A second citizen
// who tries the same number is told it belongs to another account.
func TestBrowserLinkPhone(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	sari := fpSignIn(t, f, "sari", forum.RoleParticipant)
	tono := fpSignIn(t, f, "tono", forum.RoleParticipant)
	number := "+6281322223333"

	// linkNumber asks for a code from /akun as m and types it; a refused
	// number answers 409, so only an accepted one goes through submit
	// (which wants a 200 page); a refused one waits for the error.
	linkNumber := func(b tab, m *fpMember, accepted bool) {
		signInTab(t, b, f, m)
		b.do(chromedp.Navigate(f.url + "/akun"))
		b.do(chromedp.SendKeys(chromedp.CSS(`#link-phone`), "0813-2222-3333"),
			chromedp.Click(chromedp.CSS(`form.phone-link input[name="channel"][value="whatsapp"]`)))
		b.submit(`form.phone-link button[type="submit"]`)
		if s := b.text("main p"); !strings.Contains(s, number) {
			b.fail("code page: %q", s)
		}
		b.do(chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), outboxCode(t, f, admin, number)))
		if accepted {
			b.submit(`form.stack button[type="submit"]`)
			return
		}
		b.do(chromedp.Click(chromedp.CSS(`form.stack button[type="submit"]`)))
		b.await("the error page", `document.querySelector("p.error") !== null`)
	}

	b := phoneTab(t, "sari")
	linkNumber(b, sari, true)
	noSideScroll(b, "the account page")
	if s := b.text("p.ok"); !strings.Contains(s, "Nomor HP sudah ditautkan") {
		b.fail("no confirmation: %q", s)
	}
	if s := b.text("ul.identities"); !strings.Contains(s, "Nomor HP ("+number+")") {
		b.fail("identities: %q", s)
	}
	if n := eval[int](b, `document.querySelectorAll("form.phone-link").length`); n != 0 {
		b.fail("a second number is offered")
	}

	o := phoneTab(t, "tono")
	linkNumber(o, tono, false)
	if s := o.text("p.error"); !strings.Contains(s, "akun lain") {
		o.fail("another account's number: %q", s)
	}

	n := phoneTab(t, "sari again")
	n.do(chromedp.Navigate(f.url + "/masuk"))
	n.do(chromedp.SendKeys(chromedp.CSS(`#code-phone`), "+62 813 2222 3333"),
		chromedp.Click(chromedp.CSS(`input[name="channel"][value="sms"]`)))
	n.submit(`form:has(#code-phone) button[type="submit"]`)
	n.do(chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), outboxCode(t, f, admin, number)))
	n.submit(`form.stack button[type="submit"]`)
	n.do(chromedp.Navigate(f.url + "/akun"))
	if v := eval[string](n, `document.querySelector("#display_name").value`); v != "sari" {
		n.fail("signed in by phone as %q, want sari", v)
	}
}
