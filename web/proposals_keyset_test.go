package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestProposalsSupportedPagesByCursor: sorted by supports, the page's
// "Berikutnya" link and the API's Link header carry a cursor, following
// them reads every proposal once, and a malformed cursor is a 400.
func TestProposalsSupportedPagesByCursor(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	for i := 0; i < 21; i++ {
		fpPropose(t, f, ani, fmt.Sprintf("Usulan nomor %02d", i), "Isi usulan yang cukup panjang untuk diterima.")
	}
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">Berikutnya`)
	code, page := get(t, http.DefaultClient, f.url+"/k/"+f.c.Slug+"/proposals?sort=supported")
	m := next.FindStringSubmatch(page)
	if code != 200 || m == nil || !strings.Contains(m[1], "cursor=") || strings.Contains(m[1], "page=") {
		t.Fatalf("page 1 (%d): next link %v", code, m)
	}
	code, page = get(t, http.DefaultClient, f.url+html.UnescapeString(m[1]))
	if code != 200 || strings.Count(page, `href="/p/`) == 0 || next.MatchString(page) || !strings.Contains(page, `rel="first"`) {
		t.Fatalf("page 2 (%d): want the last proposal, no next link, a first-page link", code)
	}
	seen := map[int64]int{}
	u := f.url + "/api/v1/consultations/" + f.c.Slug + "/proposals?sort=supported&per_page=8"
	for pages := 0; u != ""; pages++ {
		if pages > 5 {
			t.Fatal("the cursor does not advance")
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var list []fpAPIProposal
		fpJSON(t, http.DefaultClient, u, &list)
		for _, p := range list {
			seen[p.ID]++
		}
		u = ""
		if m := regexp.MustCompile(`<([^>]+)>; rel="next"`).FindStringSubmatch(resp.Header.Get("Link")); m != nil {
			u = f.url + m[1]
		}
	}
	if len(seen) != 21 {
		t.Errorf("API pages showed %d distinct proposals, want 21", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("proposal %d shown %d times", id, n)
		}
	}
	if code, _ := get(t, http.DefaultClient, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals?sort=supported&cursor=rusak!"); code != http.StatusBadRequest {
		t.Errorf("malformed cursor: %d, want 400", code)
	}
}

// TestProposalsPagerBothWays: without JavaScript, the newest order (the
// default) pages by cursor both ways: page 1 links only forward; following
// "Berikutnya" while a new proposal arrives shows none of page 1 again and
// links back; following "Sebelumnya" shows page 1's proposals again; the
// API's Link header carries rel="prev" too. In English the links read
// "Next" and "Previous".
func TestProposalsPagerBothWays(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	for i := 0; i < 21; i++ {
		fpPropose(t, f, ani, fmt.Sprintf("Usulan nomor %02d", i), "Isi usulan yang cukup panjang untuk diterima.")
	}
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">Berikutnya`)
	prev := regexp.MustCompile(`<a href="([^"]+)" rel="prev">← Sebelumnya`)
	items := regexp.MustCompile(`href="/p/([^"#]+)"`)
	ids := func(page string) string {
		var s []string
		for _, m := range items.FindAllStringSubmatch(page, -1) {
			s = append(s, m[1])
		}
		return strings.Join(s, ",")
	}
	base := f.url + "/k/" + f.c.Slug + "/proposals"
	_, page1 := get(t, http.DefaultClient, base)
	m := next.FindStringSubmatch(page1)
	if m == nil || prev.MatchString(page1) || !strings.Contains(m[1], "cursor=") {
		t.Fatalf("page 1: next %v, prev link %v", m, prev.MatchString(page1))
	}
	fpPropose(t, f, ani, "Usulan yang baru tiba", "Isi usulan yang cukup panjang untuk diterima.")
	_, page2 := get(t, http.DefaultClient, f.url+html.UnescapeString(m[1]))
	for _, id := range strings.Split(ids(page2), ",") {
		if strings.Contains(","+ids(page1)+",", ","+id+",") {
			t.Errorf("page 2 repeats proposal %s of page 1", id)
		}
	}
	pm := prev.FindStringSubmatch(page2)
	if pm == nil || !strings.Contains(pm[1], "before=") {
		t.Fatalf("page 2 has no link back:\n%s", page2)
	}
	_, back := get(t, http.DefaultClient, f.url+html.UnescapeString(pm[1]))
	if ids(back) != ids(page1) {
		t.Errorf("back from page 2: %s, want page 1's %s", ids(back), ids(page1))
	}
	if !prev.MatchString(back) {
		t.Error("the proposal that arrived ahead of page 1 has no link back to it")
	}
	_, en := get(t, http.DefaultClient, f.url+html.UnescapeString(m[1])+"&lang=en")
	if !strings.Contains(en, `rel="prev">← Previous`) {
		t.Errorf("English page 2 lacks the Previous link")
	}
	resp, err := http.Get(f.url + "/api/v1/consultations/" + f.c.Slug + "/proposals?per_page=5")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	lm := regexp.MustCompile(`<([^>]+)>; rel="next"`).FindStringSubmatch(resp.Header.Get("Link"))
	if lm == nil {
		t.Fatalf("API page 1 Link %q", resp.Header.Get("Link"))
	}
	resp, err = http.Get(f.url + lm[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if l := resp.Header.Get("Link"); !strings.Contains(l, `rel="prev"`) || !strings.Contains(l, "before=") || resp.Header.Get("X-Prev-Cursor") == "" {
		t.Errorf("API page 2 Link %q", l)
	}
}
