package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

var inviteRE = regexp.MustCompile(`/undangan/([A-Za-z0-9_-]{20,})`)

// TestFocusGroupPages creates an unlisted group through the pages, invites
// by link and by email, accepts, discusses inside, removes a member, and
// then reads every group path (pages, notifications, the header's count,
// reports) as a member, a non-member, a removed member, a guest and an
// admin.
func TestFocusGroupPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	in := fpSignIn(t, f, "anggota", forum.RoleParticipant)
	out := fpSignIn(t, f, "luar", forum.RoleParticipant)
	gone := fpSignIn(t, f, "keluar", forum.RoleParticipant)
	guest := &fpMember{c: browser(t)}
	guest.csrf = fpGuestCSRF(t, f, guest.c)
	base := "/k/" + f.c.Slug + "/kelompok"

	if code, _, _ := fpPost(t, in.c, f, base, url.Values{"csrf": {in.csrf}, "name": {"Liar"}}); code != http.StatusForbidden {
		t.Fatalf("participant creates a group: %d", code)
	}
	code, gpath, body := fpPost(t, mod.c, f, base, url.Values{"csrf": {mod.csrf}, "name": {"FG <i>Tertutup</i>"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(gpath, base+"/") {
		t.Fatalf("create group: %d %q %s", code, gpath, body)
	}
	code, _, page := fpPost(t, mod.c, f, gpath+"/undangan", url.Values{"csrf": {mod.csrf}, "days": {"7"}})
	link := inviteRE.FindString(page)
	if code != 200 || link == "" {
		t.Fatalf("invitation link: %d\n%s", code, page)
	}
	_, _, page = fpPost(t, mod.c, f, gpath+"/undangan", url.Values{"csrf": {mod.csrf}, "days": {"7"}, "emails": {"keluar@contoh.test"}})
	emailLink := inviteRE.FindString(page)
	if emailLink == "" || emailLink == link {
		t.Fatalf("email invitation: %s", page)
	}
	if code, _, _ := fpPost(t, out.c, f, emailLink, url.Values{"csrf": {out.csrf}}); code != http.StatusForbidden {
		t.Fatalf("someone else uses an emailed invitation: %d", code)
	}
	if code, _ := get(t, in.c, f.url+link); code != 200 {
		t.Fatalf("invitation page: %d", code)
	}
	for _, m := range []struct {
		who  *fpMember
		link string
	}{{in, link}, {gone, emailLink}} {
		if code, loc, _ := fpPost(t, m.who.c, f, m.link, url.Values{"csrf": {m.who.csrf}}); code != http.StatusSeeOther || loc != gpath {
			t.Fatalf("accept: %d %q", code, loc)
		}
	}
	gid := gpath[strings.LastIndex(gpath, "/")+1:]
	// Everyone who may follows the consultation: the new group proposal
	// must still reach members only.
	for _, m := range []*fpMember{in, out, gone, admin} {
		fpPost(t, m.c, f, "/k/"+f.c.Slug+"/ikuti", url.Values{"csrf": {m.csrf}})
	}
	code, ppath, _ := fpPost(t, mod.c, f, "/k/"+f.c.Slug+"/proposals", url.Values{"csrf": {mod.csrf}, "title": {"Rahasia kelompok"}, "group": {gid}})
	if code != http.StatusSeeOther {
		t.Fatalf("group proposal: %d", code)
	}
	id := proposalPathRE.FindStringSubmatch(ppath)[1]
	_, _, page = get3(t, mod.c, f.url+gpath)
	if !strings.Contains(page, "keluar@contoh.test") || !strings.Contains(page, "anggota@contoh.test") {
		t.Fatalf("member list:\n%s", page)
	}
	if _, body := get(t, gone.c, f.url+"/notifikasi"); !strings.Contains(body, "Rahasia kelompok") {
		t.Fatal("a member was not notified of the group's new proposal")
	}
	uid := itoa(gone.user.ID)
	if code, _, _ := fpPost(t, mod.c, f, gpath+"/anggota/"+uid+"/hapus", url.Values{"csrf": {mod.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("remove member: %d", code)
	}
	// A removed member cannot come back with a fresh link.
	if code, _, _ := fpPost(t, gone.c, f, link, url.Values{"csrf": {gone.csrf}}); code != http.StatusForbidden {
		t.Fatalf("removed member re-joins: %d", code)
	}

	cases := []struct {
		name         string
		m            *fpMember
		sees, notify bool
	}{
		{"member", in, true, true}, {"non-member", out, false, false}, {"removed member", gone, false, false},
		{"guest", guest, false, false}, {"admin", admin, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := get(t, c.m.c, f.url+gpath)
			if inside := code == 200 && strings.Contains(body, "?group="+gid); inside != c.sees || (!c.sees && code != 404) {
				t.Errorf("group page: %d, inside %v", code, inside)
			}
			if !c.sees && strings.Contains(body, "Tertutup") {
				t.Error("group page names an unlisted group")
			}
			_, body = get(t, c.m.c, f.url+base)
			if strings.Contains(body, "Tertutup") != c.sees {
				t.Errorf("group list names it: %v", !c.sees)
			}
			if strings.Contains(body, "<i>Tertutup") {
				t.Error("group name not escaped")
			}
			if c.m.user != nil {
				_, body = get(t, c.m.c, f.url+"/notifikasi")
				if strings.Contains(body, "Rahasia kelompok") != c.notify {
					t.Errorf("notifications show the group proposal: %v", !c.notify)
				}
				wantBell := `<span class="badge" aria-hidden="true">`
				if strings.Contains(body, wantBell) != c.notify {
					t.Errorf("header count shows it: %v", !c.notify)
				}
			}
			if c.m.user != nil && !c.sees {
				code, _, _ := fpPost(t, c.m.c, f, "/flag/author", url.Values{"csrf": {c.m.csrf}, "kind": {"proposal"}, "id": {id}, "reason": {"uji"}})
				if code != http.StatusNotFound {
					t.Errorf("report the author of group content: %d", code)
				}
			}
		})
	}

	// Listed: non-members see the name, nothing inside.
	if _, err := f.db.NewUpdate().Table("focus_groups").Set("listed = ?", true).Where("id = ?", gid).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	code, body = get(t, out.c, f.url+gpath)
	if code != 200 || !strings.Contains(body, "FG &lt;i&gt;Tertutup&lt;/i&gt;") || strings.Contains(body, "?group=") || strings.Contains(body, "anggota@") {
		t.Fatalf("listed group to a non-member: %d\n%s", code, body)
	}
	if code, _ := get(t, out.c, f.url+"/k/"+f.c.Slug+"/proposals?group="+gid); code != http.StatusNotFound {
		t.Fatalf("listed group's discussion to a non-member: %d", code)
	}
}

// get3 is get returning the status, an empty Location and the body.
func get3(t *testing.T, c *http.Client, u string) (int, string, string) {
	t.Helper()
	code, body := get(t, c, u)
	return code, "", body
}
