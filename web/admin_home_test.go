package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestAdminHomeShowsOnlyUsableTools checks /admin per role: an admin sees
// every site-wide tool and the consultation's tools; an analyst the
// read-only ones; a moderator named for one consultation only that
// consultation's moderation tools; a participant gets 403 and no header
// link. The consultation page shows the same tools to the same people.
func TestAdminHomeShowsOnlyUsableTools(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst)
	named := fpSignIn(t, f, "modlokal", forum.RoleParticipant)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)
	if err := forum.NewStore(f.db, nil).AddModerator(t.Context(), f.c.ID, named.user.ID); err != nil {
		t.Fatal(err)
	}
	k := "/k/" + f.c.Slug
	cases := []struct {
		name      string
		m         *fpMember
		code      int
		want, not []string
	}{
		{"admin", admin, 200, []string{`href="/admin/konsultasi"`, `href="/admin/pengguna"`, `href="/admin/audit"`, `href="/admin/kotak-keluar"`,
			`href="/admin/konsultasi/` + f.c.Slug + `"`, `href="` + k + `/moderation"`, `href="` + k + `/live"`, `href="` + k + `/kelompok"`, `href="` + k + `/report"`}, nil},
		{"analyst", analyst, 200, []string{`href="/admin/dasbor"`, `href="/admin/evaluasi"`, `href="` + k + `/moderation"`, `href="` + k + `/report"`},
			[]string{`href="/admin/pengguna"`, `href="/admin/audit"`, `href="` + k + `/live"`, `href="/admin/konsultasi/`}},
		{"named moderator", named, 200, []string{`href="` + k + `/moderation"`, `href="` + k + `/live"`, `href="` + k + `/kelompok"`},
			[]string{`href="/admin/pengguna"`, `href="/admin/dasbor"`, `href="/admin/evaluasi"`, `href="/admin/konsultasi/`}},
		{"participant", citizen, http.StatusForbidden, nil, []string{`href="` + k + `/moderation"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, page := get(t, tc.m.c, f.url+"/admin")
			if code != tc.code {
				t.Fatalf("GET /admin: %d", code)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("admin home lacks %s", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(page, n) {
					t.Errorf("admin home shows %s", n)
				}
			}
			_, cpage := get(t, tc.m.c, f.url+k)
			if got, want := strings.Contains(cpage, `href="/admin"`), tc.code == 200; got != want {
				t.Errorf("header links /admin: %v, want %v", got, want)
			}
			if got, want := strings.Contains(cpage, `href="`+k+`/moderation"`), tc.code == 200; got != want {
				t.Errorf("consultation page links its queue: %v, want %v", got, want)
			}
		})
	}
	if code, _ := get(t, browser(t), f.url+"/admin"); code != http.StatusSeeOther {
		t.Fatalf("guest GET /admin: %d, want a redirect to sign in", code)
	}
}

// TestStaffPagesAnswerThroughServeError: /admin, /admin/pengguna and
// /admin/kotak-keluar answer a signed-in participant with the 403 page
// like every other staff page, a guest's browser with the sign-in page,
// and a guest's JSON request with 401 and the one JSON error shape.
func TestStaffPagesAnswerThroughServeError(t *testing.T) {
	f := newFixture(t)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)
	for _, path := range []string{"/admin", "/admin/pengguna", "/admin/kotak-keluar", "/admin/audit"} {
		if code, _ := get(t, citizen.c, f.url+path); code != http.StatusForbidden {
			t.Errorf("participant GET %s: %d, want 403", path, code)
		}
		req, _ := http.NewRequest("GET", f.url+path, nil)
		req.Header.Set("Accept", "application/json")
		if path == "/admin/audit" {
			continue // refused to guests with 403 like the other staff pages
		}
		code, _ := get(t, browser(t), f.url+path)
		if code != http.StatusSeeOther {
			t.Errorf("guest GET %s: %d, want a redirect to sign in", path, code)
		}
		resp, err := browser(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || err != nil || body.Error.Code != "error.sign_in_required" {
			t.Errorf("guest JSON GET %s: %d %+v (%v), want 401 error.sign_in_required", path, resp.StatusCode, body, err)
		}
	}
}
