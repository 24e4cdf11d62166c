package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/search"
)

// TestSearchFocusGroupPrivacy is CASES C17 through the page and the API,
// with words and with an empty query: non-members get neither the hit nor
// a count of it. The filter comes from the access rule's Viewer
// (web.searchViewer): a removed member reads nothing of the group, a
// moderator named for the consultation and an admin read it all, an
// analyst and another consultation's moderator do not.
func TestSearchFocusGroupPrivacy(t *testing.T) {
	w := newSearchWorld(t)
	tok := w.roles(t)
	removed, modHere, modThere, analyst, admin := tok["removed member"], tok["moderator here"], tok["moderator there"], tok["analyst"], tok["admin"]
	cases := []struct {
		name  string
		token string
		want  int // proposals found
	}{
		{"anonymous", "", 1},
		{"non-member", w.others, 1},
		{"member", w.member, 2},
		{"removed member", removed, 1},
		{"analyst", analyst, 1},
		{"moderator of this consultation", modHere, 2},
		{"moderator of another", modThere, 1},
		{"admin", admin, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, q := range []string{"dermaga", ""} {
				got := w.api(t, url.Values{"q": {q}, "kind": {"proposal"}}, c.token)
				if got.Total != c.want || len(got.Results) != c.want {
					t.Errorf("api %q: total %d, %d results, want %d", q, got.Total, len(got.Results), c.want)
				}
				all := w.api(t, url.Values{"q": {q}}, c.token)
				for _, f := range all.Facets["kind"] {
					if f.Value == "proposal" && f.Count != c.want {
						t.Errorf("api %q: proposal facet %d, want %d", q, f.Count, c.want)
					}
				}
				res, page := w.fetch(t, "/cari?q="+q, c.token)
				if res.StatusCode != 200 || !strings.Contains(page, "Usulan dermaga umum") {
					t.Fatalf("page %q: %d\n%s", q, res.StatusCode, page)
				}
				if strings.Contains(page, "rahasia") != (c.want == 2) {
					t.Errorf("page %q: private proposal shown = %v", q, !(c.want == 2))
				}
				if !strings.Contains(res.Header.Get("Cache-Control"), "private") {
					t.Errorf("page Cache-Control %q", res.Header.Get("Cache-Control"))
				}
			}
		})
	}
}

// TestSearchSnippetsEscaped is CASES C04 in search results: titles and
// snippets are text, the only markup is <mark>.
func TestSearchSnippetsEscaped(t *testing.T) {
	w := newSearchWorld(t)
	w.proposal(t, 0, `<img src=x onerror=alert(1)>`, `Jembatan "><svg onload=alert(1)> {{7*7}} rusak`)
	w.drain(t)
	_, page := w.fetch(t, "/cari?q=jembatan", "")
	for _, bad := range []string{"<img src=x", "<svg onload", ">49<"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") || !strings.Contains(page, "<mark>Jembatan</mark>") || !strings.Contains(page, "{{7*7}}") {
		t.Errorf("page does not show the text literally with a mark:\n%s", page)
	}
	got := w.api(t, url.Values{"q": {"jembatan"}}, "")
	if len(got.Results) != 1 || strings.Contains(got.Results[0].Snippet, "<svg") || !strings.Contains(got.Results[0].Snippet, "<mark>") {
		t.Errorf("api results: %+v", got.Results)
	}
}

// TestSearchBadInput: invalid UTF-8 (CASES C08), unknown filters and deep
// pages are refused with 400, on the page and the API.
func TestSearchBadInput(t *testing.T) {
	w := newSearchWorld(t)
	for _, q := range []string{"q=Usulan%96air%FF", "q=" + strings.Repeat("a", 201), "kind=rahasia", "sort=acak", "page=0", "page=9999", "consultation=-1"} {
		for _, path := range []string{"/cari?", "/api/v1/search?"} {
			if res, body := w.fetch(t, path+q, ""); res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s%s: %d\n%s", path, q, res.StatusCode, body)
			}
		}
	}
	// A document with invalid bytes goes through the outbox without
	// stopping the indexer, and the others keep indexing.
	w.proposal(t, 0, "Usulan\x96air\xff bersih", "Teks \xff rusak")
	w.proposal(t, 0, "Sumur bor", "Air bersih desa")
	w.drain(t)
	if got := w.api(t, url.Values{"q": {"bersih"}}, ""); got.Total != 2 {
		t.Errorf("after indexing invalid UTF-8: %d results for bersih, want 2", got.Total)
	}
}

// TestSearchDeletedContent is CASES C21: hidden and deleted content is
// never shown, even before the indexer has run, and the stale hit is queued
// for repair.
func TestSearchDeletedContent(t *testing.T) {
	w := newSearchWorld(t)
	if got := w.api(t, url.Values{"q": {"dermaga umum"}}, ""); got.Total != 1 {
		t.Fatalf("before: %d results", got.Total)
	}
	// A moderator hides the proposal; the outbox has not been applied.
	if _, err := w.db.ExecContext(w.ctx, "UPDATE proposals SET state = ? WHERE id = ?", forum.StateHidden, w.pub.ID); err != nil {
		t.Fatal(err)
	}
	// Its outbox row is lost (as if written before this release): only the
	// check of the hits can queue the repair.
	if _, err := w.db.ExecContext(w.ctx, "DELETE FROM search_outbox"); err != nil {
		t.Fatal(err)
	}
	if got := w.api(t, url.Values{"q": {"dermaga umum"}}, ""); len(got.Results) != 0 {
		t.Errorf("hidden proposal shown before indexing: %+v", got.Results)
	}
	if _, page := w.fetch(t, "/cari?q=dermaga+umum", ""); strings.Contains(page, "Usulan dermaga umum") {
		t.Error("hidden proposal on the page")
	}
	if n, err := search.Pending(w.ctx, w.db); err != nil || n == 0 {
		t.Errorf("no repair queued: %d, %v", n, err)
	}
	w.drain(t)
	res, err := w.idx.Search(w.ctx, search.Query{Text: "dermaga umum", Viewer: search.Viewer{Staff: true}})
	if err != nil || res.Total != 0 {
		t.Errorf("index after repair: %d, %v", res.Total, err)
	}
	// The private proposal is deleted outright; its hit goes the same way.
	if _, err := w.db.ExecContext(w.ctx, "DELETE FROM proposals WHERE id = ?", w.private.ID); err != nil {
		t.Fatal(err)
	}
	if got := w.api(t, url.Values{"q": {"dermaga"}}, w.member); len(got.Results) != 0 {
		t.Errorf("deleted proposal shown: %+v", got.Results)
	}
}

// TestSearchFiltersAndEmptyState: filters narrow the results, and a search
// without results suggests what to do.
func TestSearchFiltersAndEmptyState(t *testing.T) {
	w := newSearchWorld(t)
	if got := w.api(t, url.Values{"kind": {"consultation"}}, ""); got.Total != 1 || got.Results[0].URL != "/k/"+w.c.Slug {
		t.Errorf("consultations: %+v", got)
	}
	if got := w.api(t, url.Values{"topic": {"pelabuhan"}, "sort": {"newest"}}, ""); got.Total != 1 {
		t.Errorf("topic filter: %+v", got)
	}
	_, page := w.fetch(t, "/cari?q=dermaga", "")
	if !strings.Contains(page, `name="kind" value="proposal"`) || !strings.Contains(page, "/p/") {
		t.Errorf("page lacks facets or links:\n%s", page)
	}
	_, page = w.fetch(t, "/cari?q=helikopter&kind=proposal", "")
	if !strings.Contains(page, "Tidak ada hasil") || !strings.Contains(page, "Hapus saringan") {
		t.Errorf("empty state:\n%s", page)
	}
	_, page = w.fetch(t, "/", "")
	if !strings.Contains(page, `action="/cari"`) {
		t.Error("no search box in the header")
	}
}
