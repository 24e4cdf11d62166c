package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserProposalModeration clicks through the plain forms in a real
// browser on a phone-sized window: a participant proposes, supports,
// comments and reports; a moderator hides the comment from the queue.
func TestBrowserProposalModeration(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	cookieOf := func(m *fpMember) string {
		u, _ := url.Parse(f.url)
		for _, c := range m.c.Jar.Cookies(u) {
			if c.Name == "rembug_s" {
				return c.Value
			}
		}
		t.Fatal("no session cookie")
		return ""
	}
	// setSession puts the session cookie in the browser the way the
	// sign-in page would, from a page of the site that has already given
	// the browser its visitor cookie.
	setSession := func(tok string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/k/"+f.c.Slug)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie = "rembug_s=`+tok+`; path=/"`)); err != nil {
			t.Fatal(err)
		}
	}
	b := tab{t: t, ctx: ctx}
	do, text, submit := b.do, b.text, b.submit
	setSession(cookieOf(ani))
	do(chromedp.Navigate(f.url + "/k/" + f.c.Slug + "/proposals/new"))
	do(chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), "Taman 🌳 untuk RW 03"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), "Tambah **pohon**"))
	submit(`form.stack button[type="submit"]`)
	if h := text("h1"); h != "Taman 🌳 untuk RW 03" {
		t.Fatalf("proposal page heading %q", h)
	}
	submit(`form.support button`)
	if s := text("#support"); !strings.Contains(s, "1 dukungan") {
		t.Fatalf("after support: %q", s)
	}
	do(chromedp.SendKeys(chromedp.CSS(`form.comment-form textarea`), "Lihat https://jahat.test/x"))
	submit(`form.comment-form button[type="submit"]`)
	if s := text("li.comment .text"); !strings.Contains(s, "jahat.test") {
		t.Fatalf("comment not shown: %q", s)
	}
	do(chromedp.Click(chromedp.CSS(`li.comment details.flag summary`)),
		chromedp.SendKeys(chromedp.CSS(`li.comment details.flag input[name="reason"]`), "tautan mencurigakan"))
	submit(`li.comment details.flag button`)

	setSession(cookieOf(mod))
	do(chromedp.Navigate(f.url + "/k/" + f.c.Slug + "/moderation"))
	if q := text("ol.queue"); !strings.Contains(q, "tautan mencurigakan") {
		t.Fatalf("queue lacks the report: %q", q)
	}
	do(chromedp.SendKeys(chromedp.CSS(`form.moderate input[name="reason"]`), "spam"))
	submit(`form.moderate button[value="hide"]`)
	if q := text("ol.queue"); !strings.Contains(q, "Disembunyikan") {
		t.Fatalf("queue after hiding: %q", q)
	}
	do(chromedp.Navigate(f.url + "/k/" + f.c.Slug + "/proposals"))
	if s := text("li.card .comments"); s != "0 komentar" {
		t.Fatalf("card count after hiding: %q", s)
	}
}
