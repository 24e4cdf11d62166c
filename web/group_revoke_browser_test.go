package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserGroupLinkRevoke clicks through the revoke on a phone-sized
// window: a moderator makes an invitation link, sees it listed as still
// valid, revokes it with the button, and a citizen who opens the link is
// told in words that it was revoked.
func TestBrowserGroupLinkRevoke(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	warga := fpSignIn(t, f, "warga", forum.RoleParticipant)
	_, gpath, _ := fpPost(t, mod.c, f, "/k/"+f.c.Slug+"/kelompok", url.Values{"csrf": {mod.csrf}, "name": {"Warga RW 05"}})
	as := func(m *fpMember) {
		t.Helper()
		tok := sessionCookie(m.c, f.url)
		if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/k/"+f.c.Slug)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie = "rembug_s=`+tok+`; path=/"`)); err != nil {
			t.Fatal(err)
		}
	}
	b := tab{t: t, ctx: ctx}
	as(mod)
	b.do(chromedp.Navigate(f.url + gpath))
	if s := b.text("#invites"); !strings.Contains(s, "Tidak ada undangan yang masih berlaku") {
		t.Fatalf("invitations before any: %q", s)
	}
	b.submit(`form.invite button`)
	link := eval[string](b, `document.querySelector("input.invite-link").value`)
	b.do(chromedp.Navigate(f.url + gpath))
	if s := b.text("#invites"); !strings.Contains(s, "Tautan untuk siapa saja yang masuk") || !strings.Contains(s, "berlaku sampai") {
		t.Fatalf("the new link is not listed: %q", s)
	}
	b.submit(`#invites form button`)
	if s := b.text("#invites"); !strings.Contains(s, "Tidak ada undangan yang masih berlaku") {
		t.Fatalf("the revoked link is still listed: %q", s)
	}
	as(warga)
	b.do(chromedp.Navigate(link))
	if s := b.text("main"); !strings.Contains(s, "sudah dicabut oleh moderator kelompok") {
		t.Fatalf("revoked link page: %q", s)
	}
}

// TestBrowserReportQuietStretch opens a report whose votes are a year
// apart on a phone-sized window: the bars stand at the two ends of the
// time axis, and the opened data table names the quiet stretch between.
func TestBrowserReportQuietStretch(t *testing.T) {
	f := newFixture(t)
	seedCamps(t, f, 24)
	if _, err := f.db.NewRaw("UPDATE statement_votes SET voted_at = ? WHERE voted_at < ?", now.AddDate(-1, 0, 0), now.Add(-36*time.Hour)).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	publish(t, f)
	b := tab{t: t, ctx: newBrowser(t)}
	b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug + "/report"))
	xs := eval[[]float64](b, `Array.from(document.querySelectorAll("figure.report-bars svg"))[0].querySelectorAll("rect").length ?
		Array.from(document.querySelectorAll("figure.report-bars svg")[0].querySelectorAll("rect")).map(r => +r.getAttribute("x")) : []`)
	if len(xs) != 3 || xs[1]-xs[0] < 500 {
		t.Fatalf("bars at x = %v: the year between is not on the axis", xs)
	}
	b.do(chromedp.Click(chromedp.CSS(`details.report-data summary`)))
	if s := b.text("table.report-days tr.gap"); !strings.Contains(s, "Tidak ada kegiatan (363 hari, semua 0)") {
		t.Fatalf("gap row: %q", s)
	}
}
