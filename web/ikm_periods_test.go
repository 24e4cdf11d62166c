package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// TestIKMPeriodLinks: a unit's admin page and questionnaire link the
// reports of its periods, with the respondents of each; periods without
// answers say so in words, and the report's trend never shows them as 0.
func TestIKMPeriodLinks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t) // its clock: 2026-11-29, semester II 2026
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	u, err := polls.NewStore(f.db, func() time.Time { return now }).EnsureIKMUnit(ctx, forum.Viewer{}, "Puskesmas Kota")
	if err != nil {
		t.Fatal(err)
	}
	var resp ikm.Response
	for i := range resp.Scores {
		resp.Scores[i] = 3
	}
	if err := polls.NewStore(f.db, func() time.Time { return now }).SubmitIKM(ctx, u.ID, 0, resp); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/ikm/" + u.Slug, "/ikm/" + u.Slug} {
		code, page := get(t, admin.c, f.url+path)
		if code != 200 || !strings.Contains(page, `<a href="/ikm/`+u.Slug+`/2026-S2">Semester II 2026</a> · 1 responden`) ||
			!strings.Contains(page, `<span>Semester I 2026</span> · <span class="empty">Belum ada data untuk periode ini</span>`) ||
			!strings.Contains(page, `<a href="/ikm/`+u.Slug+`/2026">`) {
			t.Fatalf("%s: %d\n%s", path, code, page)
		}
	}
	code, page := get(t, admin.c, f.url+"/ikm/"+u.Slug+"/2026-S2")
	trend := page[strings.LastIndex(page, "<table"):] // the trend table comes last
	if code != 200 || !strings.Contains(trend, `<th scope="row">Semester I 2026</th><td colspan="3" class="empty">belum ada data</td>`) ||
		strings.Contains(trend, `<td class="n">0</td>`) {
		t.Fatalf("report trend: %d\n%s", code, trend)
	}
	code, raw := get(t, admin.c, f.url+"/api/v1/ikm/"+u.Slug+"/2026-S2")
	var api struct {
		Trend []struct {
			Period      string   `json:"period"`
			Respondents int      `json:"respondents"`
			IKM         *float64 `json:"ikm"`
		} `json:"trend"`
	}
	if err := json.Unmarshal([]byte(raw), &api); code != 200 || err != nil {
		t.Fatalf("api: %d %v %s", code, err, raw)
	}
	seen := 0
	for _, p := range api.Trend {
		switch p.Period {
		case "2026-S1":
			seen++
			if p.IKM != nil || p.Respondents != 0 || !strings.Contains(raw, `"period":"2026-S1","respondents":0,"ikm":null`) {
				t.Errorf("api trend of a period without answers: %+v, want ikm null\n%s", p, raw)
			}
		case "2026-S2":
			seen++
			if p.IKM == nil || *p.IKM != 75 || p.Respondents != 1 {
				t.Errorf("api trend of the answered period: %+v", p)
			}
		}
	}
	if seen != 2 {
		t.Errorf("api trend lacks the two semesters: %s", raw)
	}
	// The period without answers itself: index, ikm and grade are null like
	// its row in the trend, not numbers that read as an IKM of 0.
	code, raw = get(t, admin.c, f.url+"/api/v1/ikm/"+u.Slug+"/2026-S1")
	if code != 200 || !strings.Contains(raw, `"respondents":0,`) || !strings.Contains(raw, `"index":null,"ikm":null,"grade":null`) {
		t.Errorf("api of a period without answers: %d, want index, ikm and grade null\n%s", code, raw)
	}
	code, raw = get(t, admin.c, f.url+"/api/v1/ikm/"+u.Slug+"/2026-S2")
	if code != 200 || !strings.Contains(raw, `"ikm":75,`) {
		t.Errorf("api of the answered period: %d\n%s", code, raw)
	}
}
