package web_test

import (
	"strings"
	"testing"
)

// TestImportedContentLang: a consultation whose imported content is in
// English marks its title, description and imported statements with
// lang="en" on Indonesian pages (home, consultation, results), and not on
// English pages, where the page's own language already says it (WCAG 2.1
// SC 3.1.2).
func TestImportedContentLang(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.NewRaw(`UPDATE consultations SET content_lang = 'en' WHERE id = ?`, f.c.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	k := f.url + "/k/" + f.c.Slug
	for _, p := range []struct{ path, want string }{
		{f.url + "/?lang=id", `<h2 dir="auto" lang="en"><a href="/k/` + f.c.Slug + `">`},
		{k + "?lang=id", `<h1 dir="auto" lang="en">`},
		{k + "?lang=id&view=list", `<p dir="auto" lang="en">Perbanyak pohon peneduh</p>`},
		{k + "/results?lang=id", `<span dir="auto" lang="en">Perbanyak pohon peneduh</span>`},
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
