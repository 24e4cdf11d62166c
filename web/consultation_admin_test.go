package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestConsultationAdminPages creates a draft consultation through the
// admin pages, opens it, sets its rules and an information phase (comments
// only), and checks what every public page then says a citizen can do.
func TestConsultationAdminPages(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	for _, p := range []string{"/admin/konsultasi", "/admin/konsultasi/baru", "/admin/konsultasi/" + f.c.Slug} {
		if code, _ := get(t, mod.c, f.url+p); code != http.StatusForbidden {
			t.Fatalf("moderator GET %s: %d", p, code)
		}
	}
	form := url.Values{"csrf": {admin.csrf}, "title": {"Raperda <b>Sampah</b> 2027"}, "summary": {"Ringkasan singkat"},
		"body": {"Isi **tebal** <script>x()</script>"}, "organizer": {"Dinas Lingkungan Hidup"}, "region": {"Kota Bandung"},
		"topics": {"sampah, lingkungan"}, "status": {"draft"}}
	if code, _, _ := fpPost(t, mod.c, f, "/admin/konsultasi", url.Values{"csrf": {mod.csrf}, "title": {"Bukan admin"}, "status": {"open"}}); code != http.StatusForbidden {
		t.Fatalf("moderator creates: %d", code)
	}
	bad := url.Values{"csrf": {admin.csrf}, "title": {"Ok judul"}, "status": {"live"}}
	if code, _, body := fpPost(t, admin.c, f, "/admin/konsultasi", bad); code != 400 || !strings.Contains(body, "status yang sah") {
		t.Fatalf("bad status: %d", code)
	}
	code, loc, _ := fpPost(t, admin.c, f, "/admin/konsultasi", form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/konsultasi/") {
		t.Fatalf("create: %d %q", code, loc)
	}
	slug := strings.TrimPrefix(loc, "/admin/konsultasi/")
	if code, _ := get(t, browser(t), f.url+"/k/"+slug); code != http.StatusNotFound {
		t.Fatalf("a draft is public: %d", code)
	}
	form.Set("status", "open")
	if code, _, _ := fpPost(t, admin.c, f, loc, form); code != http.StatusSeeOther {
		t.Fatalf("update: %d", code)
	}
	rules := url.Values{"csrf": {admin.csrf}, "support_limit": {"2"}, "support_threshold": {"5"}, "flag_threshold": {"4"}, "premoderation": {"1"}}
	if code, _, _ := fpPost(t, admin.c, f, loc+"/aturan", rules); code != http.StatusSeeOther {
		t.Fatalf("rules: %d", code)
	}
	// The fixtures' clock is 2026-11-29 12:00 UTC = 19:00 WIB.
	phase := url.Values{"csrf": {admin.csrf}, "kind": {"information"}, "features": {"comments", "supports"},
		"starts_at": {"2026-11-29T08:00"}, "ends_at": {"2026-12-10T17:00"}}
	if code, _, _ := fpPost(t, admin.c, f, loc+"/tahapan", phase); code != http.StatusSeeOther {
		t.Fatalf("phase: %d", code)
	}
	backwards := url.Values{"csrf": {admin.csrf}, "kind": {"voting"}, "starts_at": {"2026-12-20T08:00"}, "ends_at": {"2026-12-19T08:00"}}
	if code, _, body := fpPost(t, admin.c, f, loc+"/tahapan", backwards); code != 400 || !strings.Contains(body, "berakhir") {
		t.Fatalf("phase ending before it starts: %d", code)
	}
	_, page := get(t, admin.c, f.url+loc)
	for _, want := range []string{`value="2"`, `value="5"`, `value="4"`, "Dinas Lingkungan Hidup", "sampah, lingkungan", "29 Nov 2026 08.00 WIB"} {
		if !strings.Contains(page, want) {
			t.Fatalf("edit page lacks %q", want)
		}
	}
	c, err := forum.ConsultationByRef(t.Context(), f.db, slug)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := forum.RulesOf(t.Context(), f.db, c.ID)
	if r.SupportLimit != 2 || r.SupportThreshold != 5 || r.FlagThreshold != 4 || !r.Premoderation || r.GuestSupports {
		t.Fatalf("rules stored %+v", r)
	}
	guest := browser(t)
	for _, p := range []string{"/k/" + slug, "/k/" + slug + "/proposals"} {
		code, page := get(t, guest, f.url+p)
		// Both pages list only features with something to use them on:
		// with no proposal yet, commenting is not offered.
		if code != 200 || !strings.Contains(page, "<strong>informasi</strong>") || strings.Contains(page, "berkomentar") ||
			strings.Contains(page, `<span class="feature">mengirim usulan`) {
			t.Fatalf("%s does not show the phase: %d\n%s", p, code, page)
		}
	}
	_, page = get(t, guest, f.url+"/k/"+slug)
	if !strings.Contains(page, "Raperda &lt;b&gt;Sampah&lt;/b&gt; 2027") || strings.Contains(page, "<script>x()") || !strings.Contains(page, "Kota Bandung") {
		t.Fatalf("consultation page:\n%s", page)
	}
	// The proposals feature is off in this phase.
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	if code, _, _ := fpPost(t, ani.c, f, "/k/"+slug+"/proposals", url.Values{"csrf": {ani.csrf}, "title": {"Usulan di luar tahap"}}); code != http.StatusForbidden {
		t.Fatalf("proposal outside its phase: %d", code)
	}
	ps, _ := forum.Phases(t.Context(), f.db, c.ID)
	if len(ps) != 1 || ps[0].StartsAt.UTC().Hour() != 1 {
		t.Fatalf("phase stored %+v (08:00 WIB is 01:00 UTC)", ps)
	}
	if code, _, _ := fpPost(t, admin.c, f, loc+"/tahapan/"+itoa(ps[0].ID)+"/hapus", url.Values{"csrf": {admin.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("remove phase: %d", code)
	}
	if _, page = get(t, admin.c, f.url+"/admin/konsultasi"); !strings.Contains(page, "Raperda &lt;b&gt;Sampah") {
		t.Fatal("admin list lacks the consultation")
	}
}
