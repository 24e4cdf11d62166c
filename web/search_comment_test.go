package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestSearchCommentResults: a comment result is named after its proposal
// ("Komentar pada: …", the title escaped as plain text), and its snippet
// is the comment's plain text: no markdown, no link URL, no raw HTML,
// with the match still marked.
func TestSearchCommentResults(t *testing.T) {
	w := newSearchWorld(t)
	p := w.proposal(t, 0, "Taman <i>kota</i>", "Isi usulan")
	cm := &forum.Comment{ConsultationID: w.c.ID, ProposalID: p.ID, AuthorID: w.author, State: forum.StatePublished, CreatedAt: now,
		Body: "Setuju **pohon** [peneduh](javascript:alert(1)) <IMG SRC=x onerror=alert(1)> di trotoar"}
	if _, err := w.db.NewInsert().Model(cm).Returning("id").Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	w.drain(t)
	_, page := w.fetch(t, "/cari?q=trotoar", "")
	for _, want := range []string{"Komentar pada: Taman &lt;i&gt;kota&lt;/i&gt;", "Setuju pohon peneduh di <mark>trotoar</mark>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	for _, bad := range []string{"javascript", "IMG", "**", "<i>kota"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	res, body := w.fetch(t, "/api/v1/search?q=trotoar", "")
	var got struct {
		Results []struct {
			Kind          string `json:"kind"`
			ProposalTitle string `json:"proposal_title"`
			Snippet       string `json:"snippet"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || res.StatusCode != 200 {
		t.Fatalf("api: %d %v", res.StatusCode, err)
	}
	if len(got.Results) != 1 || got.Results[0].ProposalTitle != p.Title || strings.Contains(got.Results[0].Snippet, "javascript") {
		t.Errorf("api results: %+v", got.Results)
	}
}
