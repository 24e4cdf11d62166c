package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// signInTab makes the browser of b act as member m (their session cookie,
// set on a page of the site).
func signInTab(t *testing.T, b tab, f *fixture, m *fpMember) {
	t.Helper()
	b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
	b.do(chromedp.Evaluate[chromedp.Void](`document.cookie = "rembug_s=` + sessionCookie(m.c, f.url) + `; path=/"`))
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
