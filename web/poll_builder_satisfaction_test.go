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

// TestBuilderSatisfactionTag: the builder's "satisfaction question" box
// tags a rating question (kept on its edit form) and is ignored for a kind
// that has no scale.
func TestBuilderSatisfactionTag(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	list := "/k/" + f.c.Slug + "/survei"
	code, loc, _ := fpPost(t, admin.c, f, list, url.Values{"csrf": {admin.csrf}, "title": {"Survei kepuasan"},
		"opens": {"2026-11-29T08:00"}, "closes": {"2026-12-31T23:59"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	base := strings.TrimSuffix(loc, "/ubah")
	for _, v := range []url.Values{
		{"kind": {"rating"}, "text": {"Seberapa puas Anda?"}, "code": {"puas"}, "satisfaction": {"1"}},
		{"kind": {"yesno"}, "text": {"Datang lagi?"}, "code": {"lagi"}, "satisfaction": {"1"}},
	} {
		v.Set("csrf", admin.csrf)
		if code, _, page := fpPost(t, admin.c, f, base+"/pertanyaan", v); code != http.StatusSeeOther {
			t.Fatalf("add %v: %d\n%.300s", v, code, page)
		}
	}
	ss, _ := polls.SurveysOf(context.Background(), f.db, f.c.ID)
	if len(ss) != 1 {
		t.Fatalf("%d surveys", len(ss))
	}
	_, qs, err := polls.SurveyByID(context.Background(), f.db, ss[0].ID)
	if err != nil || len(qs) != 2 {
		t.Fatalf("questions: %v %v", qs, err)
	}
	if !qs[0].Spec.Satisfaction || !qs[0].Satisfies() || qs[1].Spec.Satisfaction {
		t.Errorf("tags: rating %v, yes/no %v; want only the rating tagged", qs[0].Spec.Satisfaction, qs[1].Spec.Satisfaction)
	}
	if _, page := get(t, admin.c, f.url+loc); !strings.Contains(page, `name="satisfaction" value="1" checked`) {
		t.Error("the builder does not show the rating question as tagged")
	}
}
