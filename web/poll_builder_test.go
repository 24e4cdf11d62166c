package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// TestSurveyBuilder builds a survey through the builder's forms: who may
// open it, bad input coming back next to its field with what was typed,
// questions with a condition, a move that would break the condition, the
// lock at the first answer, the answers export and a duplicate.
func TestSurveyBuilder(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)
	local := fpSignIn(t, f, "lokal", forum.RoleParticipant)
	if err := forum.NewStore(f.db, nil).AddModerator(ctx, f.c.ID, local.user.ID); err != nil {
		t.Fatal(err)
	}
	list := "/k/" + f.c.Slug + "/survei"
	for name, c := range map[string]*http.Client{"guest": browser(t), "citizen": citizen.c} {
		if code, _ := get(t, c, f.url+list); code != http.StatusForbidden {
			t.Fatalf("%s opens the builder: %d", name, code)
		}
	}
	if code, page := get(t, local.c, f.url+list); code != 200 || !strings.Contains(page, "Survei baru") {
		t.Fatalf("the consultation's moderator: %d", code)
	}
	link := `href="` + list + `"`
	if _, page := get(t, local.c, f.url+"/k/"+f.c.Slug); !strings.Contains(page, link) || !strings.Contains(page, "Kelola survei") {
		t.Fatal("the consultation page does not link the builder for its moderator")
	}
	if _, page := get(t, citizen.c, f.url+"/k/"+f.c.Slug); strings.Contains(page, link) {
		t.Fatal("the consultation page links the builder for a citizen")
	}
	if code, _, _ := fpPost(t, citizen.c, f, list, url.Values{"csrf": {citizen.csrf}, "title": {"X"}}); code != http.StatusForbidden {
		t.Fatalf("citizen creates: %d", code)
	}

	settings := url.Values{"csrf": {admin.csrf}, "title": {"  "}, "description": {"Tentang taman"},
		"opens": {"2026-11-29T08:00"}, "closes": {"2026-12-31T23:59"}}
	code, _, page := fpPost(t, admin.c, f, list, settings)
	if code != 400 || !strings.Contains(page, `id="err-title"`) || !strings.Contains(page, "tidak boleh kosong") ||
		!strings.Contains(page, "Tentang taman") || !strings.Contains(page, `value="2026-12-31T23:59"`) {
		t.Fatalf("blank title: %d\n%s", code, page)
	}
	settings.Set("title", "Taman baru")
	code, loc, _ := fpPost(t, admin.c, f, list, settings)
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/ubah") {
		t.Fatalf("create: %d %q", code, loc)
	}
	base := strings.TrimSuffix(loc, "/ubah")
	q := func(m *fpMember, path string, v url.Values) (int, string) {
		t.Helper()
		v.Set("csrf", m.csrf)
		code, _, body := fpPost(t, m.c, f, path, v)
		return code, body
	}
	code, page = q(admin, base+"/pertanyaan", url.Values{"kind": {"single"}, "text": {"Lokasi mana?"}, "options": {"Utara"}})
	if code != 400 || !strings.Contains(page, `id="new-question-err-options"`) || !strings.Contains(page, "Lokasi mana?") {
		t.Fatalf("one option: %d\n%s", code, page)
	}
	for _, v := range []url.Values{
		{"kind": {"single"}, "text": {"Lokasi mana?"}, "options": {"Utara\r\nSelatan\r\n"}, "required": {"1"}},
		{"kind": {"yesno"}, "text": {"Perlu toilet?"}, "code": {"toilet"}},
		{"kind": {"text"}, "text": {"Di mana toiletnya?"}, "show_if": {"toilet=0"}},
	} {
		if code, page := q(admin, base+"/pertanyaan", v); code != http.StatusSeeOther {
			t.Fatalf("add %v: %d\n%s", v, code, page)
		}
	}
	// Renaming a question's code carries the condition that points at it
	// (polls.ReplaceQuestion): both renames are accepted and the condition
	// still reads "Perlu toilet?".
	for _, rename := range [][2]string{{"toilet", "wc"}, {"wc", "toilet"}} {
		code, page := q(admin, base+"/pertanyaan/"+rename[0], url.Values{"kind": {"yesno"}, "text": {"Perlu toilet?"}, "code": {rename[1]}})
		if code != http.StatusSeeOther {
			t.Fatalf("rename %s to %s: %d\n%s", rename[0], rename[1], code, page)
		}
		if _, page = get(t, admin.c, f.url+loc); !strings.Contains(page, "tampil jika «Perlu toilet?» = «Ya»") {
			t.Fatalf("condition after renaming %s to %s:\n%s", rename[0], rename[1], page)
		}
	}
	code, page = q(admin, base+"/pertanyaan/q3/naik", url.Values{})
	if code != 400 || !strings.Contains(page, "Syarat tampil pertanyaan «q3»") {
		t.Fatalf("moving a question above its condition: %d", code)
	}
	if code, _ := q(admin, base+"/pertanyaan/q1/turun", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("move down: %d", code)
	}
	_, page = get(t, admin.c, f.url+loc)
	if !strings.Contains(page, "tampil jika «Perlu toilet?» = «Ya»") || strings.Index(page, "Perlu toilet?") > strings.Index(page, "Lokasi mana?") {
		t.Fatalf("builder page after the move:\n%s", page)
	}
	if code, _ := q(local, base+"/status/buka", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("open now: %d", code)
	}

	// A citizen answers: the condition's question appears only after "Ya".
	_, form := get(t, citizen.c, f.url+base)
	if strings.Contains(form, "Di mana toiletnya?") || !strings.Contains(form, "Lokasi mana?") {
		t.Fatalf("the conditional question shows before its answer:\n%s", form)
	}
	ans := url.Values{"shown": {"toilet", "q1"}, "a_toilet": {"0"}, "a_q1": {"1"}}
	code, page = q(citizen, base, ans)
	if code != 200 || !strings.Contains(page, "Di mana toiletnya?") || !strings.Contains(page, "pertanyaan lanjutan") {
		t.Fatalf("answers revealing a question: %d\n%s", code, page)
	}
	ans["shown"] = append(ans["shown"], "q3")
	ans.Set("a_q3", "Dekat =SUM(A1) gerbang")
	if code, page := q(citizen, base, ans); code != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", code, page)
	}

	code, page = q(admin, base+"/pertanyaan", url.Values{"kind": {"rating"}, "text": {"Nilai?"}})
	if code != http.StatusConflict || !strings.Contains(page, "sudah menerima jawaban") {
		t.Fatalf("edit after an answer: %d", code)
	}
	if _, page := get(t, admin.c, f.url+loc); !strings.Contains(page, "Terkunci") || strings.Contains(page, `id="new-question"`) {
		t.Fatal("the builder does not show the lock")
	}
	if code, _ := get(t, citizen.c, f.url+base+"/jawaban.csv"); code != http.StatusForbidden {
		t.Fatalf("citizen export: %d", code)
	}
	code, csv := get(t, admin.c, f.url+base+"/jawaban.csv")
	if code != 200 || !strings.Contains(csv, "Selatan") || !strings.Contains(csv, "'=SUM(A1)") && !strings.Contains(csv, "Dekat =SUM(A1) gerbang") {
		t.Fatalf("export: %d\n%s", code, csv)
	}
	if code, _ := q(admin, base+"/duplikat", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("duplicate: %d", code)
	}
	ss, _ := polls.SurveysOf(ctx, f.db, f.c.ID)
	if len(ss) != 2 {
		t.Fatalf("surveys after duplicate: %d", len(ss))
	}
	for _, sv := range ss {
		_, qs, _ := polls.SurveyByID(ctx, f.db, sv.ID)
		if len(qs) != 3 {
			t.Fatalf("survey %q has %d questions", sv.Title, len(qs))
		}
	}
	if code, _ := q(admin, base+"/status/tutup", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("close now: %d", code)
	}
	if _, page := get(t, citizen.c, f.url+base); !strings.Contains(page, "sudah ditutup") && !strings.Contains(page, "ditutup") {
		t.Fatalf("closed survey page:\n%s", page)
	}
}
