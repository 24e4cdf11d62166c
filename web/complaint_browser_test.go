package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
)

// phoneTab is a fresh browser as a small phone without JavaScript: a
// 360×800 viewport and page scripts switched off. The test still reads the
// page through the protocol's own evaluation.
func phoneTab(t *testing.T, name string) tab {
	t.Helper()
	b := tab{t: t, name: name, ctx: newBrowser(t)}
	b.do(chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile, chromedp.EmulatePortrait),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	return b
}

// noSideScroll fails when the page in b is wider than a 360 px screen.
func noSideScroll(b tab, page string) {
	b.t.Helper()
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 360 {
		b.fail("%s scrolls sideways at 360 px: scrollWidth %d", page, w)
	}
}

var numberRE = regexp.MustCompile(`ADU-\d{4}-\d{6}`)

// TestBrowserComplaintFiledAnsweredRated: a guest on a 360 px phone without
// JavaScript files a complaint with a kelurahan and a contact email, reads
// the number and secret from the receipt, and in another browser opens the
// tracking page with them and sees the timeline. The desk verifies and
// routes it from the inbox, the agency's officer answers it; the citizen
// reloads, reads the answer and closes it with a rating of 3 and a comment,
// which the officer then sees on the complaint's page.
func TestBrowserComplaintFiledAnsweredRated(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	desk := fpSignIn(t, f, "admin", forum.RoleAdmin)
	officer := fpSignIn(t, f, "petugas-pu", forum.RoleParticipant)
	st, err := complaint.NewStore(ctx, f.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, f.db, desk.user, 0)), "")
	agency := ok(st.AddAgency(ctx, admin, "Dinas Pekerjaan Umum"))
	if err := st.SetOfficer(ctx, admin, officer.user.ID, agency, true); err != nil {
		t.Fatal(err)
	}
	area := ok(st.AddArea(ctx, admin, "Tegalsari", "Keputran"))

	// Filing, as a guest.
	citizen := phoneTab(t, "citizen")
	citizen.do(chromedp.Navigate(f.url + "/pengaduan/baru"))
	// An inline handler is a page script: it must not run.
	if ran := eval[bool](citizen, `(function(){ var d = document.createElement("div"); d.setAttribute("onclick", "window.ranJS = 1"); d.click(); return !!window.ranJS; })()`); ran {
		citizen.fail("page scripts still run")
	}
	noSideScroll(citizen, "intake form")
	const text = "Saluran air di Jalan Keputran tersumbat sejak Senin, air meluap ke rumah warga."
	citizen.do(chromedp.SendKeys(chromedp.CSS(`textarea[name="text"]`), text),
		chromedp.SetValue(chromedp.CSS(`select[name="kecamatan"]`), "Tegalsari"),
		chromedp.SetValue(chromedp.CSS(`select[name="kelurahan"]`), strconv.FormatInt(area, 10)),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "warga@contoh.test"))
	citizen.submit(`form[action="/pengaduan"] button[type="submit"]`)
	number := citizen.text("strong.number")
	secret := citizen.text("strong.secret")
	if !numberRE.MatchString(number) || len(secret) < 16 {
		citizen.fail("receipt: number %q, secret %q", number, secret)
	}
	page := "/pengaduan/" + number

	// Tracking, in a browser that never saw the form.
	tracker := phoneTab(t, "tracker")
	tracker.do(chromedp.Navigate(f.url + page))
	if s := tracker.text("main"); strings.Contains(s, "tersumbat") {
		tracker.fail("complaint shown without the secret: %q", s)
	}
	tracker.do(chromedp.SendKeys(chromedp.CSS(`input[name="secret"]`), secret))
	tracker.submit(`form[action$="/kode"] button[type="submit"]`)
	if s := tracker.text("article.complaint"); !strings.Contains(s, text) || !strings.Contains(s, "Keputran") {
		tracker.fail("tracking page lacks the text or kelurahan: %q", s)
	}
	if n := eval[int](tracker, `document.querySelectorAll("ol.timeline li").length`); n < 1 {
		tracker.fail("no timeline entries")
	}
	noSideScroll(tracker, "tracking page")

	// The desk verifies and routes it from the inbox; the agency's officer answers.
	staff := tab{t: t, name: "staff", ctx: newBrowser(t)}
	signInTab(t, staff, f, desk)
	staff.do(chromedp.Navigate(f.url + "/admin/pengaduan"))
	staff.submit(`a[href="` + page + `"]`)
	staff.submit(`input[name="do"][value="verify"] ~ button[type="submit"]`)
	staff.do(chromedp.SetValue(chromedp.CSS(`select[name="agency"]`), strconv.FormatInt(agency, 10)))
	staff.submit(`form:has(input[name="do"][value="route"]) button[type="submit"]`)
	signInTab(t, staff, f, officer)
	staff.do(chromedp.Navigate(f.url + "/admin/pengaduan"))
	staff.submit(`a[href="` + page + `"]`)
	const answer = "Saluran sudah dibersihkan petugas pada Rabu pagi."
	staff.do(chromedp.SendKeys(chromedp.CSS(`section.staff textarea[name="text"]`), answer))
	staff.submit(`button[name="do"][value="answer"]`)

	// The citizen reloads, reads the answer, and closes it with a rating.
	tracker.do(chromedp.Reload())
	if s := tracker.text("ol.timeline"); !strings.Contains(s, answer) {
		tracker.fail("answer not on the tracking page: %q", s)
	}
	const comment = "Cepat, tapi perlu dicek lagi saat hujan."
	tracker.do(chromedp.Click(chromedp.CSS(`input[name="rating"][value="3"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="comment"]`), comment))
	tracker.submit(`form:has(input[name="do"][value="close"]) button[type="submit"]`)
	if s := tracker.text("article.complaint"); !strings.Contains(s, "3 dari 4") {
		tracker.fail("closed page lacks the rating: %q", s)
	}

	staff.do(chromedp.Reload())
	if s := staff.text("article.complaint"); !strings.Contains(s, "3 dari 4") || !strings.Contains(s, comment) {
		staff.fail("officer's page lacks the rating or comment: %q", s)
	}
}
