package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
)

// auditActions returns the audit log's actions on target kind, oldest first.
func auditActions(t *testing.T, f *fixture, kind string) []string {
	t.Helper()
	var out []string
	if err := f.db.NewSelect().Table("audit_log").Column("action").Where("target_kind = ?", kind).Order("id").Scan(t.Context(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUserManagement searches users by name, email and a local phone
// format, changes a role, blocks and unblocks a citizen site-wide (who
// then cannot and then can vote), refuses non-admins and an admin's own
// role, and shows every change in the audit log with its label.
func TestUserManagement(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	mod := fpSignIn(t, f, "moderator", forum.RoleModerator)
	citizen := fpSignIn(t, f, "siti", forum.RoleParticipant)
	if err := forum.NewStore(f.db, func() time.Time { return now }).LinkIdentity(t.Context(), citizen.user, "phone", "+6281234567890", ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SITI", "siti@contoh", "0812-3456-7890", "+62 812 3456"} {
		_, page := get(t, admin.c, f.url+"/admin/pengguna?q="+url.QueryEscape(q))
		if !strings.Contains(page, `id="u`+itoa(citizen.user.ID)+`"`) || strings.Contains(page, `id="u`+itoa(mod.user.ID)+`"`) {
			t.Errorf("search %q does not find only siti", q)
		}
	}
	if code, _ := get(t, mod.c, f.url+"/admin/pengguna"); code != http.StatusForbidden {
		t.Fatalf("moderator lists users: %d", code)
	}
	uid := itoa(citizen.user.ID)
	post := func(m *fpMember, path string, form url.Values) int {
		form.Set("csrf", m.csrf)
		code, _, _ := fpPost(t, m.c, f, path, form)
		return code
	}
	if code := post(mod, "/admin/pengguna/"+uid+"/peran", url.Values{"role": {"admin"}}); code != http.StatusForbidden {
		t.Fatalf("moderator changes a role: %d", code)
	}
	if code := post(admin, "/admin/pengguna/"+itoa(admin.user.ID)+"/peran", url.Values{"role": {"participant"}}); code != http.StatusForbidden {
		t.Fatalf("admin changes own role: %d", code)
	}
	if code := post(admin, "/admin/pengguna/"+uid+"/peran", url.Values{"role": {"root"}}); code != http.StatusBadRequest {
		t.Fatalf("unknown role: %d", code)
	}
	if code := post(admin, "/admin/pengguna/"+uid+"/peran", url.Values{"role": {"analyst"}}); code != http.StatusSeeOther {
		t.Fatalf("role: %d", code)
	}
	if code := post(admin, "/admin/pengguna/"+uid+"/blokir", url.Values{"block": {"1"}, "reason": {"spam"}}); code != http.StatusForbidden {
		t.Fatalf("blocking staff: %d", code)
	}
	post(admin, "/admin/pengguna/"+uid+"/peran", url.Values{"role": {"participant"}})
	if code := post(admin, "/admin/pengguna/"+uid+"/blokir", url.Values{"block": {"1"}}); code != http.StatusBadRequest {
		t.Fatalf("block without reason: %d", code)
	}
	if code := post(admin, "/admin/pengguna/"+uid+"/blokir", url.Values{"block": {"1"}, "reason": {"spam berulang"}}); code != http.StatusSeeOther {
		t.Fatalf("block: %d", code)
	}
	if res := vote(t, citizen.c, f, citizen.csrf, f.stmts[0].ID, "agree"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("blocked citizen votes: %d", res.StatusCode)
	}
	_, page := get(t, admin.c, f.url+"/admin/pengguna?q=siti")
	if !strings.Contains(page, "diblokir di seluruh situs") {
		t.Fatal("the list does not say the user is blocked")
	}
	if code := post(admin, "/admin/pengguna/"+uid+"/blokir", url.Values{"block": {"0"}}); code != http.StatusSeeOther {
		t.Fatalf("unblock: %d", code)
	}
	if res := vote(t, citizen.c, f, citizen.csrf, f.stmts[0].ID, "agree"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unblocked citizen votes: %d", res.StatusCode)
	}
	want := []string{forum.AuditIdentityLink, forum.AuditUserRole, forum.AuditUserRole, forum.AuditUserBlock, forum.AuditUserUnblock}
	if got := auditActions(t, f, "user"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("audit %v, want %v", got, want)
	}
	_, page = get(t, admin.c, f.url+"/admin/audit")
	for _, label := range []string{"Mengubah peran pengguna", "Memblokir pengguna di seluruh situs", "Membuka blokir pengguna", "participant→analyst", "spam berulang"} {
		if !strings.Contains(page, label) {
			t.Errorf("audit page lacks %q", label)
		}
	}
}

// TestConsultationRolesAndReportPublish names a per-consultation
// moderator and analyst on the consultation's admin page: the analyst then
// reads the unpublished report and the queue but may not moderate; the
// moderator opens the live sessions page; removing them takes it back.
// The admin publishes and withdraws the report from its page.
func TestConsultationRolesAndReportPublish(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	analyst := fpSignIn(t, f, "analis", forum.RoleParticipant)
	mod := fpSignIn(t, f, "modlokal", forum.RoleParticipant)
	guest := browser(t)
	k := "/k/" + f.c.Slug
	roles := "/admin/konsultasi/" + f.c.Slug + "/peran"
	name := func(m *fpMember, role string) {
		t.Helper()
		if code, _, body := fpPost(t, admin.c, f, roles, url.Values{"csrf": {admin.csrf}, "email": {m.user.Email}, "role": {role}}); code != http.StatusSeeOther {
			t.Fatalf("name %s: %d %s", role, code, body)
		}
	}
	if code, _ := get(t, analyst.c, f.url+k+"/report"); code != http.StatusForbidden {
		t.Fatalf("citizen reads the unpublished report: %d", code)
	}
	if code, _, _ := fpPost(t, mod.c, f, roles, url.Values{"csrf": {mod.csrf}, "email": {mod.user.Email}, "role": {"moderator"}}); code != http.StatusForbidden {
		t.Fatalf("citizen names themselves: %d", code)
	}
	name(analyst, "analyst")
	name(mod, "moderator")
	_, page := get(t, admin.c, f.url+"/admin/konsultasi/"+f.c.Slug)
	if !strings.Contains(page, "analis@contoh.test") || !strings.Contains(page, "modlokal@contoh.test") {
		t.Fatal("admin page does not list the named roles")
	}
	if code, _ := get(t, analyst.c, f.url+k+"/report"); code != http.StatusOK {
		t.Fatalf("analyst reads the report: %d", code)
	}
	if code, _ := get(t, analyst.c, f.url+k+"/moderation"); code != http.StatusOK {
		t.Fatalf("analyst reads the queue: %d", code)
	}
	if code, _, _ := fpPost(t, analyst.c, f, k+"/live", url.Values{"csrf": {analyst.csrf}, "title": {"x"}}); code != http.StatusForbidden {
		t.Fatalf("analyst creates a live session: %d", code)
	}
	if code, _ := get(t, mod.c, f.url+k+"/live"); code != http.StatusOK {
		t.Fatalf("moderator opens live sessions: %d", code)
	}
	if code, _, _ := fpPost(t, admin.c, f, roles, url.Values{"csrf": {admin.csrf}, "user": {strconv.FormatInt(analyst.user.ID, 10)}, "role": {"analyst"}, "remove": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("remove analyst: %d", code)
	}
	if code, _ := get(t, analyst.c, f.url+k+"/report"); code != http.StatusForbidden {
		t.Fatalf("removed analyst reads the report: %d", code)
	}

	if code, _, _ := fpPost(t, mod.c, f, k+"/report/terbit", url.Values{"csrf": {mod.csrf}, "publish": {"1"}}); code != http.StatusForbidden {
		t.Fatalf("moderator publishes: %d", code)
	}
	_, page = get(t, admin.c, f.url+k+"/report")
	if !strings.Contains(page, `action="`+k+`/report/terbit"`) {
		t.Fatal("report page has no publish form for the admin")
	}
	if code, _, _ := fpPost(t, admin.c, f, k+"/report/terbit", url.Values{"csrf": {admin.csrf}, "publish": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("publish: %d", code)
	}
	if code, _ := get(t, guest, f.url+k+"/report"); code != http.StatusOK {
		t.Fatalf("guest reads the published report: %d", code)
	}
	fpPost(t, admin.c, f, k+"/report/terbit", url.Values{"csrf": {admin.csrf}, "publish": {"0"}})
	if code, _ := get(t, guest, f.url+k+"/report"); code == http.StatusOK {
		t.Fatal("guest reads the withdrawn report")
	}
	want := "consultation_role_add,consultation_role_add,consultation_role_remove"
	if got := strings.Join(auditActions(t, f, "user"), ","); got != want {
		t.Fatalf("audit %s, want %s", got, want)
	}
	if got := strings.Join(auditActions(t, f, "consultation"), ","); got != "report_publish,report_unpublish" {
		t.Fatalf("audit %s", got)
	}
}
