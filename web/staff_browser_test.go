package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// signInTab makes the browser of b act as member m: every cookie of the
// previous person is cleared and m's session cookie set HttpOnly, as the
// server would set it, then checked. (Writing document.cookie cannot
// replace an HttpOnly cookie, so a switch could silently leave the browser
// signed in as the person before.)
func signInTab(t *testing.T, b tab, f *fixture, m *fpMember) {
	t.Helper()
	tok := sessionCookie(m.c, f.url)
	httpOnly := true
	var got []*network.Cookie
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			Name: "rembug_s", Value: tok, URL: f.url, Path: "/", HTTPOnly: &httpOnly}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{f.url}})
		got = res.Cookies
		return err
	}))
	if len(got) != 1 || got[0].Name != "rembug_s" || got[0].Value != tok {
		t.Fatalf("browser cookies after switching to %s: %+v", m.user.Email, got)
	}
	b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
}

// TestBrowserFocusGroupLiveSession: from the admin home an admin reaches
// a focus group's page, creates a members-only live session there and
// lands on its moderator page; a member of the group finds it on the
// group page and opens it; a signed-in non-member gets "not found" for
// the same address.
func TestBrowserFocusGroupLiveSession(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	member := fpSignIn(t, f, "anggota", forum.RoleParticipant)
	outsider := fpSignIn(t, f, "orangluar", forum.RoleParticipant)
	ctx := context.Background()
	staff, err := forum.LoadViewer(ctx, f.db, admin.user, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Forum RW 05"}
	if err := f.store.CreateFocusGroup(ctx, staff, g); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetMember(ctx, staff, g, member.user.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	b := tab{t: t, ctx: newBrowser(t)}
	signInTab(t, b, f, admin)
	b.do(chromedp.Navigate(f.url + "/admin"))
	b.submit(`a[href="/k/` + f.c.Slug + `/kelompok"]`)
	b.submit(`ul.group-list a`)
	b.do(chromedp.SendKeys(chromedp.CSS(`#group-live input[name="title"]`), "Tanya jawab RW 05"))
	b.submit(`#group-live button[type="submit"]`)
	path := eval[string](b, `location.pathname`)
	if !strings.HasPrefix(path, "/live/") || !strings.HasSuffix(path, "/mod") {
		t.Fatalf("after creating: %s", path)
	}
	session := strings.TrimSuffix(path, "/mod")

	signInTab(t, b, f, member)
	b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug + "/kelompok"))
	b.submit(`ul.group-list a`)
	b.submit(`#group-live a[href="` + session + `"]`)
	if s := b.text("main"); !strings.Contains(s, "Tanya jawab RW 05") {
		t.Fatalf("member's session page: %q", s)
	}

	signInTab(t, b, f, outsider)
	b.do(chromedp.Navigate(f.url + session))
	if s := b.text("main"); strings.Contains(s, "Tanya jawab RW 05") || !strings.Contains(s, "tidak ditemukan") {
		t.Fatalf("non-member's session page: %q", s)
	}
	if code, _ := get(t, outsider.c, f.url+session); code != 404 {
		t.Fatalf("non-member GET %s: %d", session, code)
	}
}
