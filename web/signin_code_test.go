package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestCodeSigninErrorsAndMagicLink checks the forms over HTTP: bad
// numbers get a translated message and keep what was typed, the answer
// for a staff address looks like any other, the magic link's GET does not
// use it up and its POST signs in and returns to next, and the outbox page
// is for admins only.
func TestCodeSigninErrorsAndMagicLink(t *testing.T) {
	f := newFixture(t)
	fpSignIn(t, f, "staf", forum.RoleModerator)
	c := browser(t)
	csrf := fpGuestCSRF(t, f, c)
	start := func(channel, address string) (int, string, string) {
		return fpPost(t, c, f, "/masuk/kode", url.Values{"csrf": {csrf}, "channel": {channel}, "address": {address}, "next": {"/k/" + f.c.Slug}})
	}
	for _, tc := range []struct{ in, want string }{
		{"0812", "Nomor HP tidak valid"},
		{"021 5550 123", "bukan nomor HP"},
	} {
		code, _, page := start("sms", tc.in)
		if code != http.StatusBadRequest || !strings.Contains(page, tc.want) || !strings.Contains(page, `value="`+tc.in+`"`) {
			t.Errorf("%q: %d, page lacks %q or the typed number", tc.in, code, tc.want)
		}
	}
	if code, _, page := start("fax", "1"); code != http.StatusBadRequest || !strings.Contains(page, "tidak tersedia") {
		t.Errorf("unknown channel: %d", code)
	}
	// A staff address gets the same answer as anyone: a code page.
	code, staffLoc, _ := start("email", "staf@contoh.test")
	code2, citizenLoc, _ := start("email", "warga@contoh.test")
	if code != http.StatusSeeOther || code2 != http.StatusSeeOther || !strings.HasPrefix(staffLoc, "/masuk/kode/") || !strings.HasPrefix(citizenLoc, "/masuk/kode/") {
		t.Fatalf("start: %d %q, %d %q", code, staffLoc, code2, citizenLoc)
	}
	if code, page := get(t, c, f.url+citizenLoc); code != 200 || !strings.Contains(page, "warga@contoh.test") || !strings.Contains(page, `autocomplete="one-time-code"`) {
		t.Fatalf("code page %d:\n%s", code, page)
	}
	if code, page := get(t, browser(t), f.url+citizenLoc); code != http.StatusNotFound || strings.Contains(page, "warga@contoh.test") {
		t.Fatalf("code page in another browser: %d", code)
	}
	if code, _, page := fpPost(t, c, f, citizenLoc, url.Values{"csrf": {csrf}, "code": {"12345x"}}); code != http.StatusBadRequest || !strings.Contains(page, "Kode salah. Sisa 4") {
		t.Fatalf("wrong code: %d", code)
	}

	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	if code, _ := get(t, c, f.url+"/admin/kotak-keluar"); code != http.StatusSeeOther {
		t.Fatalf("outbox page for a guest: %d", code)
	}
	_, outbox := get(t, admin.c, f.url+"/admin/kotak-keluar")
	m := regexp.MustCompile(`/masuk/email/([A-Za-z0-9_-]{43})`).FindStringSubmatch(outbox)
	if m == nil {
		t.Fatalf("no magic link in the outbox:\n%s", outbox)
	}
	link := "/masuk/email/" + m[1]
	other := browser(t) // the link may be opened on another device
	otherCSRF := fpGuestCSRF(t, f, other)
	if code, page := get(t, other, f.url+link); code != 200 || !strings.Contains(page, `action="`+link+`"`) {
		t.Fatalf("magic link page %d:\n%s", code, page)
	}
	code, loc, _ := fpPost(t, other, f, link, url.Values{"csrf": {otherCSRF}})
	if code != http.StatusSeeOther || loc != "/k/"+f.c.Slug {
		t.Fatalf("magic link: %d %q", code, loc)
	}
	otherCSRF = fpGuestCSRF(t, f, other) // signing in gave the browser a new visitor id
	if code, _, page := fpPost(t, other, f, link, url.Values{"csrf": {otherCSRF}}); code != http.StatusBadRequest || !strings.Contains(page, "tidak berlaku") {
		t.Fatalf("magic link reused: %d", code)
	}
	if code, _ := get(t, other, f.url+"/admin/kotak-keluar"); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Fatalf("outbox page for a citizen: %d", code)
	}
}
