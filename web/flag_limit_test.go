package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestGuestFlagFloodLimited: guests reporting from one address are refused
// with a 429 and a translated message after ten reports in an hour, and
// their reports never hide the comment; an account holder at the same
// address is not limited.
func TestGuestFlagFloodLimited(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	_, id := fpPropose(t, f, ani, "Taman", "")
	_, loc, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Kritik untuk dinas"}})
	cid := loc[strings.Index(loc, "#c")+2:]
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "kind": {"comment"}, "id": {cid}, "reason": {"spam"}, "back": {"/p/" + id}}
	}
	for i := 0; i < 10; i++ {
		guest := browser(t) // a new visitor each time, as a cookie-less flood looks
		tok := fpGuestCSRF(t, f, guest)
		flGuestTakesPart(t, f, guest)
		if code, _, body := fpPost(t, guest, f, "/flag", form(tok)); code != http.StatusSeeOther {
			t.Fatalf("guest report %d: %d %s", i+1, code, body)
		}
	}
	guest := browser(t)
	code, _, body := fpPost(t, guest, f, "/flag", form(fpGuestCSRF(t, f, guest)))
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Terlalu banyak laporan dari alamat ini") {
		t.Fatalf("11th guest report in an hour: %d\n%s", code, body)
	}
	_, page := get(t, http.DefaultClient, f.url+"/p/"+id)
	if !strings.Contains(page, "Kritik untuk dinas") {
		t.Fatal("guests' reports hid the comment")
	}
	m := fpSignIn(t, f, "r1", forum.RoleParticipant)
	for i := 0; i < 2; i++ { // the second report is a no-op, not an error page
		if code, _, body := fpPost(t, m.c, f, "/flag", form(m.csrf)); code != http.StatusSeeOther {
			t.Fatalf("account report %d: %d %s", i+1, code, body)
		}
	}
}

// flGuestTakesPart makes the participant of c's visitor cookie, as the
// visitor's first vote or comment would.
func flGuestTakesPart(t *testing.T, f *fixture, c *http.Client) {
	t.Helper()
	base, _ := url.Parse(f.url)
	for _, ck := range c.Jar.Cookies(base) {
		if id, _, ok := strings.Cut(ck.Value, "."); ok && ck.Name == "rembug_v" {
			if _, err := forum.EnsureParticipant(context.Background(), f.db, forum.ParticipantGuest, forum.ParticipantGuest, id, now); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no visitor cookie")
}

// TestGuestReportsWithoutEarlierAction: a guest whose only action is the
// report (no vote or comment before it) gets it into the moderation queue,
// for a comment and for its author; the report is theirs, so a second one
// is a no-op.
func TestGuestReportsWithoutEarlierAction(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	_, id := fpPropose(t, f, ani, "Taman", "")
	_, loc, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Komentar kasar"}})
	cid := loc[strings.Index(loc, "#c")+2:]
	guest := browser(t)
	tok := fpGuestCSRF(t, f, guest)
	form := url.Values{"csrf": {tok}, "kind": {"comment"}, "id": {cid}, "reason": {"kasar"}, "back": {"/p/" + id}}
	for i := 0; i < 2; i++ {
		if code, _, body := fpPost(t, guest, f, "/flag", form); code != http.StatusSeeOther {
			t.Fatalf("guest report %d: %d\n%s", i+1, code, body)
		}
	}
	if code, _, body := fpPost(t, guest, f, "/flag/author", form); code != http.StatusSeeOther {
		t.Fatalf("guest report of the author: %d\n%s", code, body)
	}
	var kinds []string
	if err := f.db.NewRaw(`SELECT f.target_kind FROM flags f JOIN participants p ON p.id = f.reporter_id
		WHERE p.source = ? ORDER BY f.target_kind`, forum.ParticipantGuest).Scan(context.Background(), &kinds); err != nil {
		t.Fatal(err)
	}
	if strings.Join(kinds, ",") != "comment,participant" {
		t.Fatalf("guest's reports stored: %q, want one of the comment and one of its author", kinds)
	}
}
