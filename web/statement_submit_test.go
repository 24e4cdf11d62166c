package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// statementPaths are the web paths that list a consultation's statements:
// the list, the results, the statements API and the report's JSON (staff
// only until the report is published). The one-at-a-time view shows a single statement; seen
// checks it too. The Pol.is export and search are checked in polls
// (TestSubmitStatementModeration).
func statementPaths(f *fixture) []string {
	k := "/k/" + f.c.Slug
	return []string{k + "?view=list", k + "/results", "/api/v1/consultations/" + f.c.Slug + "/statements",
		"/api/v1/consultations/" + f.c.Slug + "/report"}
}

// TestParticipantStatements submits statements over HTTP under both
// moderation modes and checks every path: with the rule off there is no
// form and a post is 403; under pre-moderation the statement appears on no
// public path for a guest or another citizen (nor to an analyst) and cannot be voted on, while its author sees it as pending and
// the moderator finds it in the queue; after approval everyone sees it and
// votes; under post-moderation it is listed at once and the moderator hides
// it from the list with a reason, which its author reads.
func TestParticipantStatements(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	budi := fpSignIn(t, f, "budi", forum.RoleParticipant)
	mod := fpSignIn(t, f, "modlokal", forum.RoleParticipant)
	if err := forum.NewStore(f.db, nil).AddModerator(ctx, f.c.ID, mod.user.ID); err != nil {
		t.Fatal(err)
	}
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst)
	guest := browser(t)
	fpGuestCSRF(t, f, guest)
	k := "/k/" + f.c.Slug
	admin := f.staff(t)
	rules := func(on, pre bool) {
		t.Helper()
		if err := f.store.ConfigureRules(ctx, admin, &forum.Rules{ConsultationID: f.c.ID, ParticipantStatements: on, Premoderation: pre, FlagThreshold: 3}); err != nil {
			t.Fatal(err)
		}
	}
	submit := func(m *fpMember, text string) (int, string) {
		t.Helper()
		code, loc, _ := fpPost(t, m.c, f, k+"/pernyataan/kirim", url.Values{"csrf": {m.csrf}, "text": {text}})
		return code, loc
	}
	seen := func(c *http.Client, text string) []string {
		t.Helper()
		var where []string
		for _, p := range append(statementPaths(f), k) {
			if _, body := get(t, c, f.url+p); strings.Contains(body, text) {
				where = append(where, p)
			}
		}
		return where
	}

	if _, page := get(t, ani.c, f.url+k+"?view=list"); strings.Contains(page, `action="`+k+`/pernyataan/kirim"`) {
		t.Error("submission form shown with the rule off")
	}
	if code, _ := submit(ani, "Perbanyak keran air minum"); code != http.StatusForbidden {
		t.Fatalf("submission with the rule off: %d, want 403", code)
	}

	rules(true, true)
	if _, page := get(t, guest, f.url+k); !strings.Contains(page, `name="target" value="`+k+`/pernyataan/kirim"`) {
		t.Error("a guest is not offered to sign in and keep the statement")
	}
	text := "Perbanyak keran air minum"
	if code, loc := submit(ani, text); code != http.StatusSeeOther || !strings.HasPrefix(loc, k+"?view=list#s") {
		t.Fatalf("submission: %d %q", code, loc)
	}
	var st polls.Statement
	if err := f.db.NewSelect().Model(&st).Where("text = ?", text).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*http.Client{"guest": guest, "other citizen": budi.c, "analyst": analyst.c} {
		if where := seen(c, text); len(where) > 0 {
			t.Errorf("pending statement shown to a %s on %v", name, where)
		}
	}
	if res := vote(t, budi.c, f, budi.csrf, st.ID, "agree"); res.StatusCode != http.StatusNotFound {
		t.Errorf("vote on a pending statement: %d, want 404", res.StatusCode)
	}
	if _, page := get(t, ani.c, f.url+k); !strings.Contains(page, text) || !strings.Contains(page, "Menunggu persetujuan moderator") {
		t.Error("the author does not see their pending statement")
	}
	if code, _ := get(t, budi.c, f.url+k+"/moderation"); code != http.StatusForbidden {
		t.Errorf("a citizen opens the queue: %d", code)
	}
	_, queue := get(t, mod.c, f.url+k+"/moderation")
	if !strings.Contains(queue, `id="q-statement-`+itoa(st.ID)+`"`) || !strings.Contains(queue, text) {
		t.Fatal("pending statement not in the moderator's queue")
	}
	if code, _, _ := fpPost(t, budi.c, f, k+"/moderation", url.Values{"csrf": {budi.csrf}, "kind": {"statement"}, "id": {itoa(st.ID)}, "action": {"approve"}}); code == http.StatusSeeOther {
		t.Fatal("a citizen approved a statement")
	}
	if code, _, _ := fpPost(t, mod.c, f, k+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"statement"}, "id": {itoa(st.ID)}, "action": {"approve"}}); code != http.StatusSeeOther {
		t.Fatalf("approval: %d", code)
	}
	if where := seen(analyst.c, text); len(where) < len(statementPaths(f)) {
		t.Errorf("approved statement only on %v", where)
	}
	if where := seen(guest, text); len(where) < 3 {
		t.Errorf("approved statement shown to a guest only on %v", where)
	}
	if res := vote(t, budi.c, f, budi.csrf, st.ID, "agree"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("vote on the approved statement: %d", res.StatusCode)
	}
	var api []polls.StatementTally
	if _, body := get(t, guest, f.url+"/api/v1/consultations/"+f.c.Slug+"/statements"); json.Unmarshal([]byte(body), &api) != nil {
		t.Fatalf("statements API: %.200s", body)
	}
	origins := map[string]string{}
	for _, a := range api {
		origins[a.Text] = a.Origin
	}
	if origins[text] != polls.OriginSubmitted || origins["Tambah bangku taman"] != polls.OriginImported {
		t.Errorf("statements API origins %v", origins)
	}
	_, rep := get(t, analyst.c, f.url+"/api/v1/consultations/"+f.c.Slug+"/report")
	if !strings.Contains(rep, `{"origin":"submitted","count":1}`) {
		t.Errorf("report origin counts: %.300s", rep[strings.Index(rep, "statement_origins"):])
	}

	// Post-moderation: listed at once; the moderator hides it from the list.
	rules(true, false)
	text2 := "Buka taman sampai jam sepuluh malam"
	if code, _ := submit(budi, text2); code != http.StatusSeeOther {
		t.Fatalf("post-moderated submission: %d", code)
	}
	if code, _ := submit(ani, text2); code != http.StatusConflict {
		t.Errorf("duplicate submission: %d, want 409", code)
	}
	if where := seen(analyst.c, text2); len(where) < len(statementPaths(f)) {
		t.Errorf("post-moderated statement only on %v", where)
	}
	var st2 polls.Statement
	if err := f.db.NewSelect().Model(&st2).Where("text = ?", text2).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	_, list := get(t, mod.c, f.url+k+"?view=list")
	hideForm := regexp.MustCompile(`name="kind" value="statement"><input type="hidden" name="id" value="` + itoa(st2.ID) + `"`)
	if !hideForm.MatchString(list) {
		t.Fatal("moderator has no hide form in the list")
	}
	if _, l := get(t, budi.c, f.url+k+"?view=list"); hideForm.MatchString(l) {
		t.Error("a citizen sees the hide form")
	}
	if code, _, body := fpPost(t, mod.c, f, k+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"statement"}, "id": {itoa(st2.ID)}, "action": {"hide"}}); code != http.StatusBadRequest {
		t.Errorf("hide without a reason: %d %.200s", code, body)
	}
	if code, _, _ := fpPost(t, mod.c, f, k+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"statement"}, "id": {itoa(st2.ID)}, "action": {"hide"}, "reason": {"di luar topik"}}); code != http.StatusSeeOther {
		t.Fatalf("hide: %d", code)
	}
	for name, c := range map[string]*http.Client{"guest": guest, "analyst": analyst.c} {
		if where := seen(c, text2); len(where) > 0 {
			t.Errorf("hidden statement still shown to a %s on %v", name, where)
		}
	}
	if _, page := get(t, budi.c, f.url+k); !strings.Contains(page, text2) || !strings.Contains(page, "di luar topik") {
		t.Error("the author does not see why their statement was hidden")
	}
	n, err := f.db.NewSelect().Table("audit_log").Where("target_kind = ? AND target_id = ?", "statement", st2.ID).Count(ctx)
	if err != nil || n != 2 {
		t.Errorf("audit rows of the post-moderated statement: %d (%v), want 2", n, err)
	}

	// Each author's data export holds their own statements, hidden ones
	// with the reason, and nobody else's.
	var export struct {
		Statements []polls.AuthoredStatement `json:"statements"`
	}
	_, body := get(t, budi.c, f.url+"/akun/data.json")
	if err := json.Unmarshal([]byte(body), &export); err != nil {
		t.Fatalf("budi's export: %v", err)
	}
	if len(export.Statements) != 1 || export.Statements[0].Text != text2 || export.Statements[0].State != forum.StateHidden ||
		export.Statements[0].Reason != "di luar topik" {
		t.Errorf("budi's exported statements: %+v", export.Statements)
	}
	_, body = get(t, ani.c, f.url+"/akun/data.json")
	if err := json.Unmarshal([]byte(body), &export); err != nil || len(export.Statements) != 1 || export.Statements[0].Text != text ||
		export.Statements[0].State != forum.StatePublished {
		t.Errorf("ani's exported statements: %+v (%v)", export.Statements, err)
	}

	// Blocking a statement's author from the queue stops their next one.
	if code, _, _ := fpPost(t, mod.c, f, k+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"statement"}, "id": {itoa(st2.ID)}, "action": {"block"}, "reason": {"iklan berulang"}}); code != http.StatusSeeOther {
		t.Fatalf("block the author: %d", code)
	}
	if code, _ := submit(budi, "Pernyataan setelah diblokir"); code != http.StatusForbidden {
		t.Errorf("blocked author submits: %d, want 403", code)
	}
	if code, _, _ := fpPost(t, mod.c, f, k+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"statement"}, "id": {itoa(f.stmts[0].ID)}, "action": {"block"}, "reason": {"x"}}); code != http.StatusBadRequest {
		t.Errorf("block the author of an imported statement: %d, want 400", code)
	}
}

// TestDraftsSurviveSignIn: a guest who writes a proposal or a statement and
// is sent to sign in finds the text again on the draft page, with a form
// that posts it; a form without text goes straight to sign-in.
func TestDraftsSurviveSignIn(t *testing.T) {
	f := newFixture(t)
	k := "/k/" + f.c.Slug
	guest := browser(t)
	csrf := fpGuestCSRF(t, f, guest)
	_, form := get(t, guest, f.url+k+"/proposals/new")
	if !strings.Contains(form, `action="/masuk/draf"`) || !strings.Contains(form, `name="target" value="`+k+`/proposals"`) {
		t.Fatal("a guest's proposal form does not keep the draft")
	}
	cases := []struct {
		name   string
		fields url.Values
		want   []string
	}{
		{"proposal", url.Values{"target": {k + "/proposals"}, "back": {k + "/proposals/new"}, "title": {"Taman baca <RW 05>"},
			"body": {"Rak buku & bangku"}, "topics": {"pendidikan"}},
			[]string{`action="` + k + `/proposals"`, `value="Taman baca &lt;RW 05&gt;"`, "Rak buku &amp; bangku", `value="pendidikan"`, "Lanjutkan usulan Anda"}},
		{"statement", url.Values{"target": {k + "/pernyataan/kirim"}, "back": {k}, "text": {"Pasang lampu di jalur lari"}},
			[]string{`action="` + k + `/pernyataan/kirim"`, "Pasang lampu di jalur lari", "Lanjutkan pernyataan Anda"}},
	}
	for _, tc := range cases {
		tc.fields.Set("csrf", csrf)
		code, loc, _ := fpPost(t, guest, f, "/masuk/draf", tc.fields)
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/masuk?next=") {
			t.Fatalf("%s: save draft: %d %q", tc.name, code, loc)
		}
		next, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/masuk?next="))
		if !strings.HasPrefix(next, "/masuk/draf/") {
			t.Fatalf("%s: sign-in returns to %q, not the draft", tc.name, next)
		}
		if code, _ := get(t, guest, f.url+next); code == http.StatusOK {
			t.Errorf("%s: a guest opens the draft page: %d", tc.name, code)
		}
		m := fpSignIn(t, f, "penulis-"+tc.name, forum.RoleParticipant)
		code, page := get(t, m.c, f.url+next)
		if code != http.StatusOK {
			t.Fatalf("%s: draft page: %d", tc.name, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: draft page lacks %q", tc.name, w)
			}
		}
	}
	code, loc, _ := fpPost(t, guest, f, "/masuk/draf", url.Values{"csrf": {csrf}, "target": {k + "/proposals"}, "back": {k + "/proposals/new"}, "title": {" "}})
	if code != http.StatusSeeOther || loc != "/masuk?next="+url.QueryEscape(k+"/proposals/new") {
		t.Errorf("empty proposal draft: %d %q", code, loc)
	}
	if code, _, _ := fpPost(t, guest, f, "/masuk/draf", url.Values{"csrf": {csrf}, "target": {"https://contoh.test/k/x/proposals"}, "title": {"x"}}); code != http.StatusBadRequest {
		t.Errorf("draft for a foreign target: %d, want 400", code)
	}
}
