package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
)

// complaintWorld is a server with two agencies, an officer of each, an
// admin, the reporting citizen and another citizen, all signed in.
type complaintWorld struct {
	*fixture
	roles            map[string]*http.Client
	agencyA, agencyB int64
}

func newComplaintWorld(t *testing.T) *complaintWorld {
	t.Helper()
	w := &complaintWorld{fixture: newFixture(t), roles: map[string]*http.Client{}}
	users := map[string]*forum.User{}
	for _, r := range []struct{ name, role string }{{"admin", forum.RoleAdmin}, {"owner", forum.RoleParticipant},
		{"other citizen", forum.RoleParticipant}, {"officer routed", forum.RoleParticipant}, {"officer other", forum.RoleParticipant}} {
		m := fpSignIn(t, w.fixture, strings.ReplaceAll(r.name, " ", "-"), r.role)
		w.roles[r.name], users[r.name] = m.c, m.user
	}
	guest := browser(t)
	get(t, guest, w.url+"/pengaduan/baru")
	w.roles["guest"] = guest
	w.agencyA, w.agencyB = addAgencies(t, w.db, users["admin"], users["officer routed"], users["officer other"])
	return w
}

// addAgencies adds two agencies as admin, with officerA an officer of the
// first and officerB of the second, and returns their ids.
func addAgencies(t *testing.T, db *bun.DB, admin, officerA, officerB *forum.User) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := complaint.NewStore(ctx, db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a := st.Actor(ok(forum.LoadViewer(ctx, db, admin, 0)), "")
	agencyA := ok(st.AddAgency(ctx, a, "Dinas Pekerjaan Umum"))
	agencyB := ok(st.AddAgency(ctx, a, "Dinas Kesehatan"))
	if err := st.SetOfficer(ctx, a, officerA.ID, agencyA, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOfficer(ctx, a, officerB.ID, agencyB, true); err != nil {
		t.Fatal(err)
	}
	return agencyA, agencyB
}

func ok[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var secretRE = regexp.MustCompile(`class="secret">([a-z0-9]+)<`)

// file submits the intake form as role and returns the complaint's page
// path and the secret shown once.
func (w *complaintWorld) file(t *testing.T, role string, form url.Values) (string, string) {
	t.Helper()
	return fileComplaint(t, w.roles[role], w.url, form)
}

// fileComplaint submits the intake form from c on the server at base and
// returns the complaint's page path and the secret shown once.
func fileComplaint(t *testing.T, c *http.Client, base string, form url.Values) (string, string) {
	t.Helper()
	res, _ := post(t, c, base, "/pengaduan/baru", "/pengaduan", form, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("file: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	code, body := get(t, c, base+loc)
	m := secretRE.FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("receipt page %s: %d, secret %v", loc, code, m)
	}
	return strings.TrimSuffix(loc, "?baru=1"), m[1]
}

// act posts a form on a complaint page as role and expects the redirect.
func (w *complaintWorld) act(t *testing.T, role, page, who string, form url.Values) {
	t.Helper()
	actOn(t, w.roles[role], w.url, page, who, form)
}

// actOn posts a form from c on complaint page's handler who ("petugas",
// "warga") and expects the redirect.
func actOn(t *testing.T, c *http.Client, base, page, who string, form url.Values) {
	t.Helper()
	res, body := post(t, c, base, page, page+"/"+who, form, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %v: %d %s", who, form, res.StatusCode, body)
	}
}

// TestComplaintPagesRate: the reporter closes an answered complaint with a
// rating; a rating outside 1–4 is refused with 400 and changes nothing;
// others may not close it.
func TestComplaintPagesRate(t *testing.T) {
	w := newComplaintWorld(t)
	page, _ := w.file(t, "owner", url.Values{"text": {"Lampu jalan Darmo mati tiga malam"}, "email": {"warga@contoh.test"}})
	w.act(t, "admin", page, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	w.act(t, "officer routed", page, "petugas", url.Values{"do": {"answer"}, "text": {"Lampu sudah diganti."}})
	var sent []struct {
		Channel, To, Body string
	}
	if err := w.db.NewSelect().Table("message_outbox").ColumnExpr("channel, recipient AS \"to\", body").Scan(context.Background(), &sent); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || sent[1].To != "warga@contoh.test" || sent[1].Channel != "email" ||
		!strings.Contains(sent[1].Body, "Lampu sudah diganti.") || !strings.Contains(sent[1].Body, "1–4") {
		t.Fatalf("citizen's messages (routing, then the answer with the rating prompt): %+v", sent)
	}
	if res, _ := post(t, w.roles["owner"], w.url, page, page+"/warga", url.Values{"do": {"close"}, "rating": {"5"}}, ""); res.StatusCode != http.StatusBadRequest {
		t.Errorf("rating 5: %d, want 400", res.StatusCode)
	}
	if res, _ := post(t, w.roles["officer routed"], w.url, page, page+"/warga", url.Values{"do": {"close"}, "rating": {"4"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer closes for the citizen: %d, want 403", res.StatusCode)
	}
	w.act(t, "owner", page, "warga", url.Values{"do": {"close"}, "rating": {"3"}, "comment": {"Cepat"}})
	_, body := get(t, w.roles["owner"], w.url+page)
	if !strings.Contains(body, "3 dari 4") || !strings.Contains(body, "Selesai") {
		t.Errorf("closed page lacks the rating or status:\n%s", body)
	}
}

// TestComplaintPagesZone: the complaint page (receipt line, timeline) and
// the desk's inbox show times in the reader's zone with its label (WIB by
// default, WIT with ?tz=Asia/Jayapura), never in UTC.
func TestComplaintPagesZone(t *testing.T) {
	w := newComplaintWorld(t)
	page, _ := w.file(t, "owner", url.Values{"text": {"Lampu jalan Darmo mati tiga malam"}})
	for _, c := range []struct{ role, path, label string }{
		{"owner", page, "WIB"}, {"admin", page, "WIB"}, {"admin", "/admin/pengaduan", "WIB"},
		{"owner", page + "?tz=Asia/Jayapura", "WIT"}, {"admin", "/admin/pengaduan?tz=Asia/Jayapura", "WIT"},
	} {
		code, body := get(t, w.roles[c.role], w.url+c.path)
		if code != 200 || strings.Contains(body, " UTC") || !strings.Contains(body, " "+c.label) {
			t.Errorf("%s %s: %d, want times in %s and none in UTC", c.role, c.path, code, c.label)
		}
	}
}

// TestComplaintFormRefusalsApart: on the intake form too, a guest's
// submissions refused for bad input (a text too short) leave the hourly
// quota of accepted ones whole: after 25 refusals the guest still files
// 20, and the 21st is limited.
func TestComplaintFormRefusalsApart(t *testing.T) {
	w := newComplaintWorld(t)
	g := w.roles["guest"]
	for i := 0; i < 25; i++ {
		if res, _ := post(t, g, w.url, "/pengaduan/baru", "/pengaduan", url.Values{"text": {"x"}}, ""); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("refused form %d: %d", i, res.StatusCode)
		}
	}
	good := url.Values{"text": {"Lampu jalan Darmo mati tiga malam"}}
	for i := 0; i < 20; i++ {
		if res, _ := post(t, g, w.url, "/pengaduan/baru", "/pengaduan", good, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form %d after 25 refusals: %d", i, res.StatusCode)
		}
	}
	if res, _ := post(t, g, w.url, "/pengaduan/baru", "/pengaduan", good, ""); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("21st accepted form in an hour: %d", res.StatusCode)
	}
}
