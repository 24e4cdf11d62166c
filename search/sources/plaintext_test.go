package sources_test

import (
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/search/sources"
)

// TestRecordsPlainText: markdown bodies reach the index as the text a
// reader sees (no markup, no link URLs, no raw HTML), and a comment's
// record carries its proposal's title for naming the result.
func TestRecordsPlainText(t *testing.T) {
	w := newWorld(t)
	p := w.proposal(t, w.open, 0, forum.StatePublished, "Rencana **taman** kota")
	hostile := "Lihat [x](javascript:alert(1)) <IMG SRC=x onerror=alert(1)> **penting**"
	if _, err := w.db.NewUpdate().Model((*forum.Proposal)(nil)).Set("body = ?", hostile).Where("id = ?", p.ID).Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	cm := w.comment(t, p, forum.StatePublished, hostile, false)
	pid, cid := sources.DocID("proposal", p.ID), sources.DocID("comment", cm.ID)
	recs, err := sources.Load(w.ctx, w.db, []string{pid, cid})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, id, body, title, proposalTitle string
	}{
		{"proposal", pid, "Lihat x penting", "Rencana **taman** kota", ""},
		{"comment", cid, "Lihat x penting", "", "Rencana **taman** kota"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := recs[c.id]
			if !ok {
				t.Fatalf("no record %s", c.id)
			}
			if r.Doc.Body != c.body || r.Doc.Title != c.title || r.ProposalTitle != c.proposalTitle {
				t.Errorf("body %q title %q proposal title %q; want %q, %q, %q",
					r.Doc.Body, r.Doc.Title, r.ProposalTitle, c.body, c.title, c.proposalTitle)
			}
		})
	}
}
