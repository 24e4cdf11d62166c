package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// TestBrowserParticipantStatement: an admin turns on participants'
// statements with pre-moderation on the consultation's settings page; a
// citizen on a 360 px phone without JavaScript writes a statement and sees
// it waiting; another citizen does not see it; a moderator named for the
// consultation approves it from the moderation queue; the other citizen
// then finds it in the list and agrees with it.
func TestBrowserParticipantStatement(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	mod := fpSignIn(t, f, "modlokal", forum.RoleParticipant)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	budi := fpSignIn(t, f, "budi", forum.RoleParticipant)
	if err := forum.NewStore(f.db, nil).AddModerator(t.Context(), f.c.ID, mod.user.ID); err != nil {
		t.Fatal(err)
	}
	k := "/k/" + f.c.Slug
	text := "Sediakan tempat sampah terpilah di setiap pintu taman"

	b := tab{t: t, name: "admin", ctx: newBrowser(t)}
	signInTab(t, b, f, admin)
	b.do(chromedp.Navigate(f.url + "/admin/konsultasi/" + f.c.Slug))
	b.do(chromedp.Click(chromedp.CSS(`form.rules input[name="premoderation"]`)),
		chromedp.Click(chromedp.CSS(`form.rules input[name="participant_statements"]`)))
	b.submit(`form.rules button[type="submit"]`)
	if !eval[bool](b, `document.querySelector('form.rules input[name="participant_statements"]').checked`) {
		t.Fatal("the setting did not stick")
	}

	a := phoneTab(t, "ani")
	signInTab(t, a, f, ani)
	a.do(chromedp.Navigate(f.url + k + "?view=list"))
	a.do(chromedp.SendKeys(chromedp.CSS(`section.write textarea[name="text"]`), text))
	if s := a.text("section.write p.hint"); !strings.Contains(s, "setelah disetujui moderator") {
		a.fail("no word on pre-moderation: %q", s)
	}
	a.submit(`section.write button[type="submit"]`)
	noSideScroll(a, "the statement list")
	if s := a.text("section.own"); !strings.Contains(s, text) || !strings.Contains(s, "Menunggu persetujuan moderator") {
		a.fail("own pending statement: %q", s)
	}

	o := phoneTab(t, "budi")
	signInTab(t, o, f, budi)
	o.do(chromedp.Navigate(f.url + k + "?view=list"))
	if s := o.text("main"); strings.Contains(s, text) {
		o.fail("another citizen sees the pending statement")
	}

	m := tab{t: t, name: "moderator", ctx: newBrowser(t)}
	signInTab(t, m, f, mod)
	m.do(chromedp.Navigate(f.url + k + "/moderation"))
	if s := m.text(`li[id^="q-statement-"] p.text`); s != text {
		m.fail("queue shows %q", s)
	}
	m.submit(`li[id^="q-statement-"] button[value="approve"]`)
	if n := eval[int](m, `document.querySelectorAll('li[id^="q-statement-"] button[value="approve"]').length`); n != 0 {
		m.fail("%d statements still wait for approval", n)
	}

	o.do(chromedp.Navigate(f.url + k + "?view=list"))
	var st polls.Statement
	if err := f.db.NewSelect().Model(&st).Where("text = ?", text).Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	row := `#s` + itoa(st.ID)
	if s := o.text(row + " p"); s != text {
		o.fail("approved statement in the list: %q", s)
	}
	o.submit(row + ` button[value="agree"]`)
	if s := o.text(row + " p.mine"); !strings.Contains(s, "Setuju") {
		o.fail("vote not recorded on the page: %q", s)
	}
	if err := f.db.NewSelect().Model(&st).WherePK().Scan(t.Context()); err != nil || st.AgreeCount != 1 || st.Origin != polls.OriginSubmitted {
		t.Fatalf("statement after the vote: agree %d origin %q (%v)", st.AgreeCount, st.Origin, err)
	}
}
