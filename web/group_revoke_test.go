package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

var revokeKeyRE = regexp.MustCompile(`name="key" value="([0-9a-f]{64})"`)

// TestGroupLinkRevoke: the moderator's group page lists the live
// invitation link with a revoke button; after revoking, the link's page
// and its join form answer 404 with the reason in the reader's language,
// the list no longer shows it, and nobody joins. A participant cannot
// revoke.
func TestGroupLinkRevoke(t *testing.T) {
	f := newFixture(t)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	warga := fpSignIn(t, f, "warga", forum.RoleParticipant)
	base := "/k/" + f.c.Slug + "/kelompok"
	_, gpath, _ := fpPost(t, mod.c, f, base, url.Values{"csrf": {mod.csrf}, "name": {"Kelompok RW"}})
	_, _, page := fpPost(t, mod.c, f, gpath+"/undangan", url.Values{"csrf": {mod.csrf}, "days": {"7"}})
	link := inviteRE.FindString(page)
	if link == "" {
		t.Fatalf("no link:\n%s", page)
	}
	_, _, page = get3(t, mod.c, f.url+gpath)
	keys := revokeKeyRE.FindAllStringSubmatch(page, -1)
	if len(keys) != 1 || !strings.Contains(page, "Tautan untuk siapa saja yang masuk") {
		t.Fatalf("live invitations on the group page: %v\n%s", keys, page)
	}
	if strings.Contains(page, link) {
		t.Fatal("the group page shows the link's token again")
	}
	form := url.Values{"csrf": {warga.csrf}, "key": {keys[0][1]}}
	if code, _, _ := fpPost(t, warga.c, f, gpath+"/undangan/cabut", form); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Fatalf("a participant revokes: %d", code)
	}
	form.Set("csrf", mod.csrf)
	if code, loc, body := fpPost(t, mod.c, f, gpath+"/undangan/cabut", form); code != http.StatusSeeOther || loc != gpath+"#invites" {
		t.Fatalf("revoke: %d %q\n%s", code, loc, body)
	}
	if _, _, page = get3(t, mod.c, f.url+gpath); revokeKeyRE.MatchString(page) || !strings.Contains(page, "Tidak ada undangan yang masih berlaku.") {
		t.Fatalf("the revoked link is still listed:\n%s", page)
	}
	if code, body := get(t, warga.c, f.url+link); code != http.StatusNotFound || !strings.Contains(body, "sudah dicabut oleh moderator") {
		t.Fatalf("revoked link page: %d\n%s", code, body)
	}
	if code, body := get(t, warga.c, f.url+link+"?lang=en"); code != http.StatusNotFound || !strings.Contains(body, "revoked by the group") {
		t.Fatalf("revoked link page in English: %d\n%s", code, body)
	}
	if code, _, body := fpPost(t, warga.c, f, link, url.Values{"csrf": {warga.csrf}}); code != http.StatusNotFound || !strings.Contains(body, "was revoked") { // English since ?lang=en above
		t.Fatalf("join with a revoked link: %d\n%s", code, body)
	}
	if code, _ := get(t, warga.c, f.url+gpath); code != http.StatusNotFound {
		t.Fatalf("the group is open to someone who used a revoked link: %d", code)
	}
}
