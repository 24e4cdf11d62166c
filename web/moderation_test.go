package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestModerationHidesEverywhere is CASES C19 over HTTP: three reports hide
// a comment with a link; the card, the detail page, the API, the sort and
// the export all drop it; a moderator restores it from the queue and the
// admin sees both actions in the audit log.
func TestModerationHidesEverywhere(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	_, id := fpPropose(t, f, ani, "Taman", "")
	var ids []string
	for _, body := range []string{"Satu", "Lihat https://jahat.test/x", "Tiga"} {
		_, loc, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {body}})
		ids = append(ids, loc[strings.Index(loc, "#c")+2:])
	}
	for _, r := range []string{"Balasan satu", "Balasan dua"} {
		fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {r}, "parent": {ids[1]}})
	}
	for _, who := range []string{"r1", "r2", "r3"} {
		m := fpSignIn(t, f, who, forum.RoleParticipant)
		code, _, body := fpPost(t, m.c, f, "/flag", url.Values{"csrf": {m.csrf}, "kind": {"comment"}, "id": {ids[1]}, "reason": {"spam"}, "back": {"/p/" + id}})
		if code != http.StatusSeeOther {
			t.Fatalf("flag: %d %s", code, body)
		}
	}
	check := func(want int, hidden bool) {
		t.Helper()
		var list []fpAPIProposal
		fpJSON(t, http.DefaultClient, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals?sort=commented", &list)
		var tree []fpAPIComment
		fpJSON(t, http.DefaultClient, f.url+"/api/v1/proposals/"+id+"/comments", &tree)
		raw, _ := json.Marshal(tree)
		_, page := get(t, http.DefaultClient, f.url+"/p/"+id)
		_, card := get(t, http.DefaultClient, f.url+"/k/"+f.c.Slug+"/proposals")
		_, csvBody := get(t, admin.c, f.url+"/k/"+f.c.Slug+"/export/csv")
		recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		if err != nil {
			t.Fatalf("export: %v\n%s", err, csvBody)
		}
		leaks := strings.Contains(string(raw), "jahat") || strings.Contains(page, "jahat") || strings.Contains(csvBody, "jahat")
		if list[0].Comments != want || len(recs)-2 != want || leaks == hidden || !strings.Contains(card, itoa(int64(want))+" komentar") {
			t.Fatalf("want %d visible (hidden %v): api %d, export rows %d, leaks %v", want, hidden, list[0].Comments, len(recs)-2, leaks)
		}
	}
	check(4, true)
	// The queue shows the hidden comment; a participant may not see it.
	if code, _ := get(t, ani.c, f.url+"/k/"+f.c.Slug+"/moderation"); code != http.StatusForbidden {
		t.Fatalf("participant opened the queue: %d", code)
	}
	code, q := get(t, mod.c, f.url+"/k/"+f.c.Slug+"/moderation")
	if code != 200 || !strings.Contains(q, "jahat.test") || !strings.Contains(q, "3 laporan") {
		t.Fatalf("queue: %d\n%s", code, q)
	}
	code, _, _ = fpPost(t, mod.c, f, "/k/"+f.c.Slug+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"comment"}, "id": {ids[1]}, "action": {"restore"}, "reason": {"ditinjau"}})
	if code != http.StatusSeeOther {
		t.Fatalf("restore: %d", code)
	}
	check(5, false)
	if code, _ := get(t, mod.c, f.url+"/admin/audit"); code != http.StatusForbidden {
		t.Fatalf("moderator read the audit log: %d", code)
	}
	code, audit := get(t, admin.c, f.url+"/admin/audit")
	if code != 200 || !strings.Contains(audit, "Disembunyikan otomatis setelah laporan · komentar") || !strings.Contains(audit, "Memulihkan · komentar") || strings.Contains(audit, "auto_hide") || !strings.Contains(audit, "ditinjau") {
		t.Fatalf("audit: %d\n%s", code, audit)
	}
}

// TestExportFormulaSafe is CASES C06 over HTTP: the CSV neutralizes
// formulas, the JSON keeps raw values, and only staff may export.
func TestExportFormulaSafe(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst)
	_, id := fpPropose(t, f, ani, "@SUM(1+1)", "")
	fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"=1+1 dan +62 812 3456"}})
	if code, _ := get(t, ani.c, f.url+"/k/"+f.c.Slug+"/export/csv"); code != http.StatusForbidden {
		t.Fatalf("participant export: %d", code)
	}
	_, body := get(t, analyst.c, f.url+"/k/"+f.c.Slug+"/export/csv")
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][6] != "'@SUM(1+1)" || recs[2][7] != "'=1+1 dan +62 812 3456" {
		t.Fatalf("csv %v: %q", err, recs)
	}
	var rows []forum.ExportRow
	_, raw := get(t, analyst.c, f.url+"/k/"+f.c.Slug+"/export/json")
	if err := json.Unmarshal([]byte(raw), &rows); err != nil || rows[0].Title != "@SUM(1+1)" {
		t.Fatalf("json %v %+v", err, rows)
	}
}

// TestFocusGroupLeakProof puts a proposal and a comment in a focus group
// and reads every path as a fpMember, a non-fpMember, a removed fpMember, a
// guest, an analyst and an admin (CASES C17/C18).
func TestFocusGroupLeakProof(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	in := fpSignIn(t, f, "anggota", forum.RoleParticipant)
	out := fpSignIn(t, f, "luar", forum.RoleParticipant)
	gone := fpSignIn(t, f, "keluar", forum.RoleParticipant)
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst)
	av := mustViewer(t, f, admin.user)
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "FG Tertutup"}
	if err := f.store.CreateFocusGroup(ctx, av, g); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*fpMember{in, gone} {
		if err := f.store.SetMember(ctx, av, g, m.user.ID, forum.MemberRole); err != nil {
			t.Fatal(err)
		}
	}
	gid := itoa(g.ID)
	code, loc, body := fpPost(t, in.c, f, "/k/"+f.c.Slug+"/proposals", url.Values{"csrf": {in.csrf}, "title": {"Rahasia kelompok"}, "group": {gid}})
	if code != http.StatusSeeOther {
		t.Fatalf("fpMember proposal: %d %s", code, body)
	}
	id := proposalPathRE.FindStringSubmatch(loc)[1]
	fpPost(t, in.c, f, "/p/"+id+"/comments", url.Values{"csrf": {in.csrf}, "body": {"Catatan rahasia"}})
	if err := f.store.RemoveMember(ctx, av, g, gone.user.ID); err != nil {
		t.Fatal(err)
	}
	guest := &fpMember{c: browser(t)}
	guest.csrf = fpGuestCSRF(t, f, guest.c)
	cases := []struct {
		name string
		m    *fpMember
		sees bool
	}{
		{"fpMember", in, true}, {"non-fpMember", out, false}, {"removed fpMember", gone, false},
		{"guest", guest, false}, {"analyst", analyst, false}, {"admin", admin, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			paths := map[string]string{
				"page":         "/p/" + id,
				"group list":   "/k/" + f.c.Slug + "/proposals?group=" + gid,
				"comments API": "/api/v1/proposals/" + id + "/comments",
			}
			for what, p := range paths {
				code, body := get(t, c.m.c, f.url+p)
				visible := code == 200 && (strings.Contains(body, "Rahasia kelompok") || strings.Contains(body, "Catatan rahasia"))
				if visible != c.sees || (!c.sees && code != http.StatusNotFound) {
					t.Errorf("%s: status %d, sees %v, want %v", what, code, visible, c.sees)
				}
			}
			// Public paths never show group content, to anyone.
			for _, p := range []string{"/k/" + f.c.Slug + "/proposals", "/api/v1/consultations/" + f.c.Slug + "/proposals"} {
				if _, body := get(t, c.m.c, f.url+p); strings.Contains(body, "Rahasia") {
					t.Errorf("%s shows group content", p)
				}
			}
			code, _, _ := fpPost(t, c.m.c, f, "/p/"+id+"/comments", url.Values{"csrf": {c.m.csrf}, "body": {"masuk?"}})
			if !c.sees && code != http.StatusNotFound {
				t.Errorf("comment into the group: %d", code)
			}
			code, _, _ = fpPost(t, c.m.c, f, "/flag", url.Values{"csrf": {c.m.csrf}, "kind": {"proposal"}, "id": {id}, "reason": {"uji"}})
			if !c.sees && c.m.user != nil && code != http.StatusNotFound {
				t.Errorf("report in the group: %d", code)
			}
			if c.m.user != nil && c.m.user.Staff() {
				_, exp := get(t, c.m.c, f.url+"/k/"+f.c.Slug+"/export/json")
				if strings.Contains(exp, "Rahasia") != c.sees || strings.Contains(exp, "Catatan rahasia") != c.sees {
					t.Errorf("export shows group content: %v, want %v", !c.sees, c.sees)
				}
			}
		})
	}
}
