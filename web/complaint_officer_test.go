package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
)

// TestComplaintOfficerAssignForward: the desk routes a complaint to agency
// A; A's officer assigns it to a colleague, who is notified in-app; the
// officer then forwards it to agency B, whose officer is notified and finds
// it in the inbox and its search, while A's officer, the colleague and a
// citizen neither find it nor see its notifications any more.
func TestComplaintOfficerAssignForward(t *testing.T) {
	w := newComplaintWorld(t)
	ctx := context.Background()
	colleague := fpSignIn(t, w.fixture, "rekan-dpu", forum.RoleParticipant)
	w.roles["colleague"] = colleague.c
	st, err := complaint.NewStore(ctx, w.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var adminUser forum.User
	if err := w.db.NewSelect().Model(&adminUser).Where("role = ?", forum.RoleAdmin).Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, w.db, &adminUser, 0)), "")
	if err := st.SetOfficer(ctx, admin, colleague.user.ID, w.agencyA, true); err != nil {
		t.Fatal(err)
	}

	page, _ := w.file(t, "owner", url.Values{"text": {"Trotoar Jalan Tunjungan berlubang dan membahayakan"}})
	number := strings.TrimPrefix(page, "/pengaduan/")
	if _, body := get(t, w.roles["admin"], w.url+"/notifikasi"); !strings.Contains(body, "Pengaduan baru "+number) {
		t.Errorf("the desk is not told of the new complaint:\n%s", body)
	}
	w.act(t, "admin", page, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	_, body := get(t, w.roles["officer routed"], w.url+page)
	if !strings.Contains(body, `name="do" value="assign"`) || !strings.Contains(body, "rekan-dpu") || strings.Contains(body, "officer-other") {
		t.Fatalf("assignment picker (officers of the routed agency only):\n%s", body)
	}
	if res, _ := post(t, w.roles["officer routed"], w.url, page, page+"/petugas", url.Values{"do": {"assign"}, "user": {"abc"}}, ""); res.StatusCode != http.StatusBadRequest {
		t.Errorf("assigning a malformed user: %d, want 400", res.StatusCode)
	}
	w.act(t, "officer routed", page, "petugas", url.Values{"do": {"assign"}, "user": {strconv.FormatInt(colleague.user.ID, 10)}})
	if _, body := get(t, w.roles["colleague"], w.url+"/notifikasi"); !strings.Contains(body, "ditugaskan menangani pengaduan "+number) {
		t.Errorf("the assignee is not notified:\n%s", body)
	}
	// Two unread: routed to the colleague's agency, then assigned to them.
	if _, body := get(t, w.roles["colleague"], w.url+"/"); !strings.Contains(body, `class="badge" aria-hidden="true">2<`) {
		t.Errorf("no unread badge for the assignee:\n%s", body)
	}

	res, _ := post(t, w.roles["officer routed"], w.url, page, page+"/petugas", url.Values{"do": {"forward"},
		"from": {strconv.FormatInt(w.agencyA, 10)}, "to": {strconv.FormatInt(w.agencyB, 10)}, "text": {"Bukan wewenang kami"}}, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/pengaduan" {
		t.Fatalf("forward: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := get(t, w.roles["officer other"], w.url+"/notifikasi"); !strings.Contains(body, number) {
		t.Error("the new agency's officer is not notified")
	}
	if _, body := get(t, w.roles["officer other"], w.url+"/admin/pengaduan?q=tunjungan"); !strings.Contains(body, number) {
		t.Error("the new agency's officer does not find it")
	}
	for _, role := range []string{"officer routed", "colleague"} {
		for _, path := range []string{"/admin/pengaduan?q=tunjungan", "/admin/pengaduan", "/notifikasi"} {
			if code, body := get(t, w.roles[role], w.url+path); code != 200 || strings.Contains(body, number) {
				t.Errorf("%s %s: %d, shows the forwarded complaint: %v", role, path, code, strings.Contains(body, number))
			}
		}
	}
	if code, _ := get(t, w.roles["other citizen"], w.url+"/admin/pengaduan?q=tunjungan"); code != http.StatusForbidden {
		t.Errorf("a citizen searching the inbox: %d, want 403", code)
	}
	_, body = get(t, w.roles["admin"], w.url+page)
	if !strings.Contains(body, "Dilimpahkan ke perangkat daerah lain") || !strings.Contains(body, "Bukan wewenang kami") {
		t.Error("the forward is not on the timeline")
	}
	if _, body := get(t, w.roles["owner"], w.url+page); strings.Contains(body, "Bukan wewenang kami") {
		t.Error("the forward note (internal) is shown to the citizen")
	}
	_, body = get(t, w.roles["admin"], w.url+"/admin/audit")
	if !strings.Contains(body, "Melimpahkan pengaduan") {
		t.Error("no audit row for the forward")
	}
	_, body = get(t, w.roles["officer other"], w.url+"/admin/pengaduan")
	if !strings.Contains(body, "Tenggat per perangkat daerah") || !strings.Contains(body, "Dinas Kesehatan") || strings.Contains(body, "Dinas Pekerjaan Umum</th>") {
		t.Errorf("service-level view of the new agency's officer:\n%s", body)
	}
}
