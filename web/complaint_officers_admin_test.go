package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestComplaintAgencyOfficers: on the agency page an admin makes a user an
// officer of an agency by email; that officer sees the agency's routed
// complaints in the inbox at once; after "Hapus" they no longer do. An
// unknown email is 400 with a translated message, and a citizen gets 403.
func TestComplaintAgencyOfficers(t *testing.T) {
	w := newComplaintWorld(t)
	m := fpSignIn(t, w.fixture, "petugas-baru", forum.RoleParticipant)
	if m.user.Email == "" {
		t.Fatal("the signed-in user has no email")
	}
	page, _ := w.file(t, "owner", url.Values{"text": {"Saluran air di Jalan Darmo tersumbat sampah"}})
	w.act(t, "admin", page, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	const path = "/admin/pengaduan/instansi/petugas"
	agency := strconv.FormatInt(w.agencyA, 10)
	sees := func() bool {
		t.Helper()
		_, body := get(t, m.c, w.url+"/admin/pengaduan")
		return strings.Contains(body, page)
	}
	if sees() {
		t.Fatal("a citizen sees a routed complaint before being made an officer")
	}
	if res, _ := post(t, w.roles["other citizen"], w.url, "/admin/pengaduan/instansi", path,
		url.Values{"agency": {agency}, "action": {"add"}, "email": {m.user.Email}}, ""); res.StatusCode != 403 {
		t.Errorf("a citizen adds an officer: %d, want 403", res.StatusCode)
	}
	res, body := post(t, w.roles["admin"], w.url, "/admin/pengaduan/instansi", path,
		url.Values{"agency": {agency}, "action": {"add"}, "email": {"tidak-ada@contoh.test"}}, "")
	if res.StatusCode != 400 || !strings.Contains(body, "Tidak ada pengguna dengan email itu") {
		t.Errorf("an unknown email: %d\n%s", res.StatusCode, body)
	}
	if res, body := post(t, w.roles["admin"], w.url, "/admin/pengaduan/instansi", path,
		url.Values{"agency": {agency}, "action": {"add"}, "email": {strings.ToUpper(m.user.Email)}}, ""); res.StatusCode != 303 {
		t.Fatalf("admin adds an officer: %d %s", res.StatusCode, body)
	}
	if _, body := get(t, w.roles["admin"], w.url+"/admin/pengaduan/instansi"); !strings.Contains(body, m.user.Email) {
		t.Error("the agency page does not list the new officer")
	}
	if !sees() {
		t.Fatal("the new officer does not see the agency's routed complaint")
	}
	var audits int
	if err := w.db.NewRaw("SELECT count(*) FROM audit_log WHERE action = 'complaint.officer_set'").Scan(t.Context(), &audits); err != nil {
		t.Fatal(err)
	} else if audits != 3 { // the two set up by the world and this one
		t.Errorf("officer audit rows: %d, want 3", audits)
	}
	if res, body := post(t, w.roles["admin"], w.url, "/admin/pengaduan/instansi", path,
		url.Values{"agency": {agency}, "action": {"remove"}, "user": {strconv.FormatInt(m.user.ID, 10)}}, ""); res.StatusCode != 303 {
		t.Fatalf("admin removes the officer: %d %s", res.StatusCode, body)
	}
	if sees() {
		t.Fatal("a removed officer still sees the agency's routed complaint")
	}
}

// TestComplaintBodyNUL: a complaint text with a NUL byte, from the form or
// the API, is refused with the invalid-characters message, not the length one.
func TestComplaintBodyNUL(t *testing.T) {
	w := newComplaintWorld(t)
	res, body := post(t, w.roles["owner"], w.url, "/pengaduan/baru", "/pengaduan",
		url.Values{"text": {"Lampu jalan Darmo\x00 mati tiga malam"}}, "")
	if res.StatusCode != 400 || !strings.Contains(body, "karakter yang tidak valid") || strings.Contains(body, "sampai") {
		t.Fatalf("a NUL byte in the form: %d\n%s", res.StatusCode, body)
	}
	a := newComplaintAPI(t)
	code, out := a.call(t, "POST", "/api/v1/complaints", "", map[string]any{"text": "Lampu jalan Darmo\x00 mati tiga malam"})
	if msg := fmt.Sprint(out["error"]); code != 400 || !strings.Contains(msg, "karakter yang tidak valid") {
		t.Fatalf("a NUL byte in the API: %d %s", code, msg)
	}
}

// TestComplaintAgencyForms: the agency page's create and edit forms answer
// a citizen and an officer with 403 and nothing created, an empty name with
// 400 and a name already taken with 409, each with a translated message,
// an unknown agency with 404; an admin's create, rename and deactivation
// redirect back to the page, which shows the agency as deactivated.
func TestComplaintAgencyForms(t *testing.T) {
	w := newComplaintWorld(t)
	const page, create, edit = "/admin/pengaduan/instansi", "/admin/pengaduan/instansi/baru", "/admin/pengaduan/instansi/ubah"
	for _, role := range []string{"other citizen", "officer routed"} {
		if res, _ := post(t, w.roles[role], w.url, page, create, url.Values{"name": {"Dinas Sosial"}}, ""); res.StatusCode != 403 {
			t.Errorf("%s creates an agency: %d, want 403", role, res.StatusCode)
		}
	}
	if res, body := post(t, w.roles["admin"], w.url, page, create, url.Values{"name": {"  "}}, ""); res.StatusCode != 400 || !strings.Contains(body, "Beri instansi nama") {
		t.Errorf("empty name: %d\n%s", res.StatusCode, body)
	}
	if res, body := post(t, w.roles["admin"], w.url, page, create+"?lang=en", url.Values{"name": {"dinas kesehatan"}}, ""); res.StatusCode != 409 || !strings.Contains(body, "already exists") {
		t.Errorf("duplicate name: %d\n%s", res.StatusCode, body)
	}
	var n int
	if err := w.db.NewRaw("SELECT count(*) FROM complaint_agencies").Scan(t.Context(), &n); err != nil || n != 2 {
		t.Fatalf("agencies after refusals: %d, %v", n, err)
	}
	if res, body := post(t, w.roles["admin"], w.url, page, create, url.Values{"name": {"Dinas Sosial"}, "code": {"DINSOS"}, "contact": {"031-5312144"}}, ""); res.StatusCode != 303 {
		t.Fatalf("admin creates: %d %s", res.StatusCode, body)
	}
	var id int64
	if err := w.db.NewRaw("SELECT id FROM complaint_agencies WHERE name = 'Dinas Sosial'").Scan(t.Context(), &id); err != nil {
		t.Fatal(err)
	}
	ag := strconv.FormatInt(id, 10)
	if res, _ := post(t, w.roles["officer routed"], w.url, page, edit, url.Values{"agency": {ag}, "action": {"deactivate"}}, ""); res.StatusCode != 403 {
		t.Errorf("an officer deactivates: %d, want 403", res.StatusCode)
	}
	if res, _ := post(t, w.roles["admin"], w.url, page, edit, url.Values{"agency": {"999999"}, "action": {"deactivate"}}, ""); res.StatusCode != 404 {
		t.Errorf("unknown agency: %d, want 404", res.StatusCode)
	}
	if res, _ := post(t, w.roles["admin"], w.url, page, edit, url.Values{"agency": {ag}, "action": {"hapus"}}, ""); res.StatusCode != 400 {
		t.Errorf("unknown action: %d, want 400", res.StatusCode)
	}
	if res, body := post(t, w.roles["admin"], w.url, page, edit, url.Values{"agency": {ag}, "action": {"rename"}, "name": {"Dinas Sosial P3A"}, "code": {"DINSOS"}}, ""); res.StatusCode != 303 {
		t.Fatalf("admin renames: %d %s", res.StatusCode, body)
	}
	if res, body := post(t, w.roles["admin"], w.url, page, edit, url.Values{"agency": {ag}, "action": {"deactivate"}}, ""); res.StatusCode != 303 {
		t.Fatalf("admin deactivates: %d %s", res.StatusCode, body)
	}
	_, body := get(t, w.roles["admin"], w.url+page) // in English, chosen above
	if !strings.Contains(body, "Dinas Sosial P3A") || !strings.Contains(body, "deactivated") || !strings.Contains(body, "Activate again") {
		t.Errorf("the page after rename and deactivation:\n%s", body)
	}
}
