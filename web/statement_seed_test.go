package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// TestStaffSeedStatement checks the seed form end to end: a participant
// may not seed (403); a moderator named for the consultation seeds a
// statement, which is audited and listed; empty text gets a clear 400;
// another participant votes on the seeded statement; the report counts
// statements by origin; the admin home links the survey builder.
func TestStaffSeedStatement(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	named := fpSignIn(t, f, "modlokal", forum.RoleParticipant)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	if err := forum.NewStore(f.db, nil).AddModerator(ctx, f.c.ID, named.user.ID); err != nil {
		t.Fatal(err)
	}
	k := f.url + "/k/" + f.c.Slug
	text := "Sediakan keran air minum di taman"

	if _, page := get(t, citizen.c, k+"?view=list"); strings.Contains(page, `action="/k/`+f.c.Slug+`/pernyataan"`) {
		t.Error("participant sees the seed form")
	}
	if res, _ := do(t, citizen.c, "POST", k+"/pernyataan", url.Values{"csrf": {citizen.csrf}, "text": {text}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("participant seeds: %d, want 403", res.StatusCode)
	}
	if _, page := get(t, named.c, k+"?view=list"); !strings.Contains(page, `action="/k/`+f.c.Slug+`/pernyataan"`) {
		t.Fatal("moderator lacks the seed form")
	}
	if res, body := do(t, named.c, "POST", k+"/pernyataan", url.Values{"csrf": {named.csrf}, "text": {"   "}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "Tulis isi pernyataan.") {
		t.Fatalf("empty statement: %d, want 400 with its message", res.StatusCode)
	}
	res, _ := do(t, named.c, "POST", k+"/pernyataan", url.Values{"csrf": {named.csrf}, "text": {"  " + text + "\n"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("moderator seeds: %d, want 303", res.StatusCode)
	}
	var st polls.Statement
	if err := f.db.NewSelect().Model(&st).Where("consultation_id = ? AND text = ?", f.c.ID, text).Scan(ctx); err != nil {
		t.Fatalf("seeded statement: %v", err)
	}
	if st.Origin != polls.OriginSeeded || st.Hidden {
		t.Errorf("seeded statement: origin %q hidden %v", st.Origin, st.Hidden)
	}
	n, err := f.db.NewSelect().Table("audit_log").Where("action = ? AND target_id = ?", "statement_seed", st.ID).Count(ctx)
	if err != nil || n != 1 {
		t.Errorf("audit rows for the seed: %d (%v), want 1", n, err)
	}
	if _, page := get(t, citizen.c, k+"?view=list"); !strings.Contains(page, text) {
		t.Error("seeded statement not listed")
	}
	if res := vote(t, citizen.c, f, citizen.csrf, st.ID, "agree"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("vote on seeded statement: %d", res.StatusCode)
	}
	if err := f.db.NewSelect().Model(&st).WherePK().Scan(ctx); err != nil || st.AgreeCount != 1 {
		t.Errorf("agree count %d (%v), want 1", st.AgreeCount, err)
	}

	_, body := get(t, admin.c, f.url+"/api/v1/consultations/"+f.c.Slug+"/report")
	var rep struct {
		Origins []struct {
			Origin string `json:"origin"`
			Count  int    `json:"count"`
		} `json:"statement_origins"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("report: %v: %.200s", err, body)
	}
	got := map[string]int{}
	for _, o := range rep.Origins {
		got[o.Origin] = o.Count
	}
	if got[polls.OriginSeeded] != 1 || got[polls.OriginSubmitted] != 0 || got[polls.OriginImported] != 3 || len(rep.Origins) != 3 {
		t.Errorf("report origins %v, want seeded 1, submitted 0, imported 3", rep.Origins)
	}
	if _, page := get(t, admin.c, k+"/report"); !strings.Contains(page, "Ditulis staf: 1") {
		t.Error("report page lacks the seeded count")
	}
	if _, page := get(t, admin.c, f.url+"/admin"); !strings.Contains(page, `href="/k/`+f.c.Slug+`/survei"`) {
		t.Error("admin home lacks the survey builder")
	}
}
