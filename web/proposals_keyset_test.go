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
		if l := resp.Header.Get("Link"); l != "" {
			u = f.url + strings.TrimSuffix(strings.TrimPrefix(l, "<"), `>; rel="next"`)
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
