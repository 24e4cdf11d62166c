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
