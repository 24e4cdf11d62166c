package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
	ctx := context.Background()
	w := &complaintWorld{fixture: newFixture(t), roles: map[string]*http.Client{}}
	st, err := complaint.NewStore(ctx, w.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*forum.User{}
	for _, r := range []struct{ name, role string }{{"admin", forum.RoleAdmin}, {"owner", forum.RoleParticipant},
		{"other citizen", forum.RoleParticipant}, {"officer routed", forum.RoleParticipant}, {"officer other", forum.RoleParticipant}} {
		m := fpSignIn(t, w.fixture, strings.ReplaceAll(r.name, " ", "-"), r.role)
		w.roles[r.name], users[r.name] = m.c, m.user
	}
	guest := browser(t)
	get(t, guest, w.url+"/pengaduan/baru")
	w.roles["guest"] = guest
	admin := st.Actor(ok(forum.LoadViewer(ctx, w.db, users["admin"], 0)), "")
	w.agencyA = ok(st.AddAgency(ctx, admin, "Dinas Pekerjaan Umum"))
	w.agencyB = ok(st.AddAgency(ctx, admin, "Dinas Kesehatan"))
	if err := st.SetOfficer(ctx, admin, users["officer routed"].ID, w.agencyA, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOfficer(ctx, admin, users["officer other"].ID, w.agencyB, true); err != nil {
		t.Fatal(err)
	}
	return w
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
	res, _ := post(t, w.roles[role], w.url, "/pengaduan/baru", "/pengaduan", form, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("file as %s: %d", role, res.StatusCode)
	}
	loc := res.Header.Get("Location")
	code, body := get(t, w.roles[role], w.url+loc)
	m := secretRE.FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("receipt page %s: %d, secret %v", loc, code, m)
	}
	return strings.TrimSuffix(loc, "?baru=1"), m[1]
}

// act posts a form on a complaint page as role and expects the redirect.
func (w *complaintWorld) act(t *testing.T, role, page, who string, form url.Values) {
	t.Helper()
	res, body := post(t, w.roles[role], w.url, page, page+"/"+who, form, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s %v: %d %s", role, who, form, res.StatusCode, body)
	}
}

// TestComplaintPagesLeaks files a private complaint through the form, routes
// it, adds an internal note and answers it, then walks role × path: the
// complaint's text, its reporter and the internal note reach only those the
// access rule lets see them, on the page, the JSON API (one and list), the
// officer inbox, search and notifications. A confidential reporter is hidden
// from the routed agency's officer.
func TestComplaintPagesLeaks(t *testing.T) {
	w := newComplaintWorld(t)
	const text, reporter, note = "Jembatan Kalijudan retak parah sejak banjir", "Siti Rahayu", "CATATAN-INTERNAL-surveyor"
	page, secret := w.file(t, "owner", url.Values{"text": {text}, "name": {reporter}, "phone": {"081234567890"}, "public": {"0"}})
	number := strings.TrimPrefix(page, "/pengaduan/")
	w.act(t, "admin", page, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	w.act(t, "officer routed", page, "petugas", url.Values{"do": {"note"}, "text": {note}})
	w.act(t, "officer routed", page, "petugas", url.Values{"do": {"answer"}, "text": {"Perbaikan dijadwalkan pekan depan."}})

	withSecret := browser(t)
	post(t, withSecret, w.url, page, page+"/kode", url.Values{"secret": {secret}}, "")
	w.roles["guest with secret"] = withSecret
	wrong := browser(t)
	post(t, wrong, w.url, page, page+"/kode", url.Values{"secret": {"salah"}}, "")
	w.roles["guest wrong secret"] = wrong

	type row struct {
		role, path         string
		code               int
		text, person, note bool // whether each may show
	}
	api := "/api/v1/complaints/" + number
	rows := []row{
		// The page of a complaint one may not read is the secret form, the
		// same as for an unknown number.
		{"guest", page, 200, false, false, false},
		{"guest wrong secret", page, 200, false, false, false},
		{"guest with secret", page, 200, true, true, false},
		{"owner", page, 200, true, true, false},
		{"other citizen", page, 200, false, false, false},
		{"officer routed", page, 200, true, true, true},
		{"officer other", page, 200, false, false, false},
		{"admin", page, 200, true, true, true},
		{"guest", api, 404, false, false, false},
		{"owner", api, 200, true, true, false},
		{"other citizen", api, 404, false, false, false},
		{"officer routed", api, 200, true, true, true},
		{"officer other", api, 404, false, false, false},
		{"admin", api, 200, true, true, true},
		{"other citizen", "/api/v1/complaints", 200, false, false, false},
		{"officer other", "/api/v1/complaints", 200, false, false, false},
		{"owner", "/api/v1/complaints", 200, true, true, false},
		{"officer other", "/admin/pengaduan", 200, false, false, false},
		{"other citizen", "/admin/pengaduan", 403, false, false, false},
		{"officer routed", "/admin/pengaduan", 200, false, false, false},
		{"guest", "/cari?q=Kalijudan", 0, false, false, false},
		{"other citizen", "/cari?q=Kalijudan", 0, false, false, false},
		{"officer other", "/api/v1/search?q=Kalijudan", 0, false, false, false},
		{"owner", "/notifikasi", 200, false, false, false},
		// The LAPOR! export: the desk reads the text, an officer and a citizen are refused.
		{"admin", "/admin/pengaduan/lapor.csv", 200, true, false, false},
		{"officer routed", "/admin/pengaduan/lapor.csv", 403, false, false, false},
		{"owner", "/admin/pengaduan/lapor.csv", 403, false, false, false},
		{"officer other", "/notifikasi", 200, false, false, false},
	}
	for _, r := range rows {
		t.Run(r.role+" "+r.path, func(t *testing.T) {
			code, body := get(t, w.roles[r.role], w.url+r.path)
			if r.code != 0 && code != r.code {
				t.Errorf("status %d, want %d", code, r.code)
			}
			for _, c := range []struct {
				what string
				s    string
				may  bool
			}{{"text", "Kalijudan retak", r.text}, {"reporter", reporter, r.person}, {"internal note", note, r.note}} {
				if got := strings.Contains(body, c.s); got != c.may {
					t.Errorf("%s shown: %v, want %v", c.what, got, c.may)
				}
			}
		})
	}
	var bodies []string
	if err := w.db.NewSelect().Table("message_outbox").Column("body").Scan(context.Background(), &bodies); err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if strings.Contains(b, note) {
			t.Errorf("internal note in a message to the citizen: %q", b)
		}
	}
	if _, body := get(t, w.roles["officer routed"], w.url+"/admin/pengaduan"); !strings.Contains(body, number) {
		t.Error("the routed agency's inbox does not list the complaint")
	}

	conf, _ := w.file(t, "guest", url.Values{"text": {"Pungutan liar di puskesmas oleh oknum"}, "name": {"Pelapor Rahasia"}, "confidential": {"1"}})
	w.act(t, "admin", conf, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyB, 10)}})
	if _, body := get(t, w.roles["officer other"], w.url+conf); !strings.Contains(body, "Pungutan liar") || strings.Contains(body, "Pelapor Rahasia") {
		t.Error("officer of the routed agency: confidential complaint text missing or reporter shown")
	}
	if _, body := get(t, w.roles["admin"], w.url+conf); !strings.Contains(body, "Pelapor Rahasia") {
		t.Error("the complaint desk does not see the confidential reporter")
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
