package web_test

import (
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestImportedContentLang: a consultation whose imported content is in
// English marks its title, description and imported statements with
// lang="en" on Indonesian pages (home, consultation, results), and an
// imported comment on its proposal's page, and not on
// English pages, where the page's own language already says it (WCAG 2.1
// SC 3.1.2).
func TestImportedContentLang(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.NewRaw(`UPDATE consultations SET content_lang = 'en' WHERE id = ?`, f.c.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	// An imported proposal with an imported comment, as the CONSUL import
	// writes them (Source set).
	ctx := t.Context()
	who, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "test", "u1", now)
	if err != nil {
		t.Fatal(err)
	}
	p := &forum.Proposal{ConsultationID: f.c.ID, AuthorID: who.ID, Title: "More shade trees", Body: "Plant trees along the river.",
		State: forum.StatePublished, Source: "test", SourceKey: "p1", CreatedAt: now, UpdatedAt: now}
	if _, err := f.db.NewInsert().Model(p).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	cm := &forum.Comment{ConsultationID: f.c.ID, ProposalID: p.ID, AuthorID: who.ID, Body: "Yes, and benches too.",
		State: forum.StatePublished, Source: "test", SourceKey: "c1", CreatedAt: now}
	if _, err := f.db.NewInsert().Model(cm).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	k := f.url + "/k/" + f.c.Slug
	for _, p := range []struct{ path, want string }{
		{f.url + "/?lang=id", `<h2 dir="auto" lang="en"><a href="/k/` + f.c.Slug + `">`},
		{k + "?lang=id", `<h1 dir="auto" lang="en">`},
		{k + "?lang=id&view=list", `<p dir="auto" lang="en">Perbanyak pohon peneduh</p>`},
		{k + "/results?lang=id", `<span dir="auto" lang="en">Perbanyak pohon peneduh</span>`},
		{f.url + "/p/" + p.Ref() + "?lang=id", `<div class="text" dir="auto" lang="en"><p>Yes, and benches too.</p>`},
	} {
		code, body := get(t, c, p.path)
		if code != 200 || !strings.Contains(body, p.want) {
			t.Errorf("%s: %d, lacks %s", p.path, code, p.want)
		}
		en := strings.Replace(p.path, "lang=id", "lang=en", 1)
		if _, body := get(t, c, en); strings.Contains(body, `" lang="en">`) {
			t.Errorf("%s marks English content on an English page", en)
		}
	}
}
