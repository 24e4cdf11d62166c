package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserAdminGroupsNotifications clicks through the plain forms on a
// phone-sized window: an admin creates and opens a consultation with a
// phase; a moderator creates a focus group and an invitation link; a
// participant accepts it, follows the consultation, and sees the bell
// count a new group proposal.
func TestBrowserAdminGroupsNotifications(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
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
	do, text, submit := b.do, b.text, b.submit
	as(admin)
	do(chromedp.Navigate(f.url + "/admin/konsultasi/baru"))
	do(chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), "Raperda Sampah"),
		chromedp.SendKeys(chromedp.CSS(`input[name="organizer"]`), "DLH Kota"),
		chromedp.SetValue(chromedp.CSS(`select[name="status"]`), "open"))
	submit(`form.details button[type="submit"]`)
	do(chromedp.SetValue(chromedp.CSS(`input[name="starts_at"]`), "2026-11-29T08:00"),
		chromedp.SetValue(chromedp.CSS(`input[name="ends_at"]`), "2026-12-31T08:00"),
		chromedp.SetValue(chromedp.CSS(`form.phase select[name="kind"]`), "proposals"),
		chromedp.Click(chromedp.CSS(`input[name="features"][value="proposals"]`)),
		chromedp.Click(chromedp.CSS(`input[name="features"][value="comments"]`)))
	submit(`form.phase button[type="submit"]`)
	if s := text("ol.phases"); !strings.Contains(s, "usulan") || !strings.Contains(s, "berkomentar") {
		t.Fatalf("phase list: %q", s)
	}
	do(chromedp.Navigate(f.url + "/k/raperda-sampah"))
	if s := text(".stage"); !strings.Contains(s, "usulan") || !strings.Contains(s, "mengirim usulan") {
		t.Fatalf("public page stage: %q", s)
	}
	do(chromedp.Navigate(f.url + "/k/raperda-sampah/kelompok"))
	do(chromedp.SendKeys(chromedp.CSS(`form.group-new input[name="name"]`), "Warga RW 03"))
	submit(`form.group-new button`)
	submit(`form.invite button`)
	link := eval[string](b, `document.querySelector("input.invite-link").value`)
	if !strings.HasPrefix(link, f.url+"/undangan/") {
		t.Fatalf("invitation link %q is not the full URL", link)
	}
	if !eval[bool](b, `document.querySelector("img.qr").complete && document.querySelector("img.qr").naturalWidth === 256`) {
		t.Fatal("no QR code of the invitation")
	}

	as(ani)
	do(chromedp.Navigate(link))
	submit(`form.accept button`)
	if s := text("main"); !strings.Contains(s, "Buka diskusi kelompok") {
		t.Fatalf("group page after accepting: %q", s)
	}
	do(chromedp.Navigate(f.url + "/k/raperda-sampah"))
	submit(`form.follow button`)
	if s := text("form.follow button"); !strings.Contains(s, "Diikuti") {
		t.Fatalf("follow button: %q", s)
	}
	// The admin posts in the group; Ani's bell counts it.
	as(admin)
	do(chromedp.Navigate(f.url + "/k/raperda-sampah/kelompok"))
	submit(`ul.group-list a`)
	submit(`main a.button`)
	submit(`main a.button[href*="/new"]`)
	do(chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), "Jadwal angkut sampah"))
	submit(`form.stack button[type="submit"]`)
	as(ani)
	do(chromedp.Navigate(f.url + "/k/raperda-sampah"))
	if s := text("a.bell .badge"); s != "1" {
		t.Fatalf("bell %q", s)
	}
	submit(`a.bell`)
	if s := text("ol.notification-list"); !strings.Contains(s, "Usulan baru: Jadwal angkut sampah") {
		t.Fatalf("notifications: %q", s)
	}
}
