package sources_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/search/sources"
)

// rows fills w with one row of every kind and visibility and returns the
// document ID → visibility each must get ("" for no row at all).
func rows(t *testing.T, w *world) map[string]string {
	t.Helper()
	pub := w.proposal(t, w.open, 0, forum.StatePublished, "Usulan dermaga umum")
	grp := w.proposal(t, w.open, w.group.ID, forum.StatePublished, "Usulan dermaga rahasia")
	hid := w.proposal(t, w.open, 0, forum.StateHidden, "Usulan tersembunyi")
	pen := w.proposal(t, w.open, 0, forum.StatePending, "Usulan menunggu")
	drf := w.proposal(t, w.draft, 0, forum.StatePublished, "Usulan dalam rancangan")
	c1 := w.comment(t, pub, forum.StatePublished, "Komentar terbuka", false)
	c2 := w.comment(t, pub, forum.StatePublished, "", true)
	c3 := w.comment(t, hid, forum.StatePublished, "Komentar di usulan tersembunyi", false)
	c4 := w.comment(t, grp, forum.StatePublished, "Komentar kelompok", false)
	c5 := w.comment(t, pub, forum.StateHidden, "Komentar disembunyikan", false)
	s1 := w.statement(t, w.open, false, "Pernyataan terbuka")
	s2 := w.statement(t, w.open, true, "Pernyataan tersembunyi")
	ses := w.session(t, w.open, 0, "ABC123")
	gses := w.session(t, w.open, w.group.ID, "GRP123")
	q1 := w.question(t, ses, live.StatusApproved, "Pertanyaan disetujui")
	q2 := w.question(t, ses, live.StatusPending, "Pertanyaan menunggu")
	q3 := w.question(t, gses, live.StatusApproved, "Pertanyaan kelompok")
	group := search.GroupVisibility(w.group.ID)
	id := sources.DocID
	return map[string]string{
		id("consultation", w.open.ID): "public", id("consultation", w.draft.ID): "staff",
		id("proposal", pub.ID): "public", id("proposal", grp.ID): group, id("proposal", hid.ID): "hidden",
		id("proposal", pen.ID): "hidden", id("proposal", drf.ID): "staff", id("proposal", 999): "",
		id("comment", c1.ID): "public", id("comment", c2.ID): "hidden", id("comment", c3.ID): "hidden",
		id("comment", c4.ID): group, id("comment", c5.ID): "hidden",
		id("statement", s1.ID): "public", id("statement", s2.ID): "hidden",
		id("question", q1.ID): "public", id("question", q2.ID): "hidden", id("question", q3.ID): group,
	}
}

func TestLoadVisibility(t *testing.T) {
	w := newWorld(t)
	want := rows(t, w)
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	got, err := sources.Load(w.ctx, w.db, append(ids, "proposal:x", "unknown:1"))
	if err != nil {
		t.Fatal(err)
	}
	for id, vis := range want {
		t.Run(id, func(t *testing.T) {
			r, ok := got[id]
			if vis == "" {
				if ok {
					t.Fatalf("no row, got %+v", r.Doc)
				}
				return
			}
			if !ok {
				t.Fatal("missing")
			}
			if r.Doc.Visibility != vis {
				t.Errorf("visibility %q, want %q", r.Doc.Visibility, vis)
			}
			if r.ConsultationSlug == "" || r.Doc.Created.IsZero() || r.Doc.ConsultationID == 0 {
				t.Errorf("incomplete record %+v", r)
			}
		})
	}
	if p := got[sources.DocID("proposal", 1)]; !slices.Equal(p.Doc.Topics, []string{"air", "jalan"}) || p.Doc.Supports != 7 || p.Doc.Status != "open" {
		t.Errorf("proposal fields: %+v", p.Doc)
	}
	if len(got) != len(want)-1 {
		t.Errorf("Load returned %d records, want %d", len(got), len(want)-1)
	}
}

func TestSourceYieldsVisibleRows(t *testing.T) {
	w := newWorld(t)
	want := rows(t, w)
	var got []string
	err := sources.Source(w.ctx, w.db)(func(d search.Document) error {
		got = append(got, d.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, vis := range want {
		if in := slices.Contains(got, id); in != (vis != "" && vis != "hidden") {
			t.Errorf("%s (visibility %q): in source %v", id, vis, in)
		}
	}
}

// drain applies the outbox to idx.
func drain(t *testing.T, w *world, idx search.Index) {
	t.Helper()
	if _, err := (&search.Indexer{DB: w.db, Index: idx}).Drain(w.ctx); err != nil {
		t.Fatal(err)
	}
}

func ids(t *testing.T, idx search.Index, q search.Query) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

// TestEnqueueHooks covers CASES C17 and C21 through the outbox: what the
// hooks queue reaches the index with the right visibility, and hiding or
// deleting makes it leave.
func TestEnqueueHooks(t *testing.T) {
	w := newWorld(t)
	rows(t, w)
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, c := range []int64{w.open.ID, w.draft.ID} {
		if err := sources.EnqueueConsultation(w.ctx, w.db, c); err != nil {
			t.Fatal(err)
		}
	}
	drain(t, w, idx)
	member := search.Viewer{Groups: []int64{w.group.ID}}
	q := func(text string, v search.Viewer) []string { return ids(t, idx, search.Query{Text: text, Viewer: v}) }
	if got := q("dermaga", search.Viewer{}); !slices.Equal(got, []string{"proposal:1"}) {
		t.Errorf("anonymous dermaga: %v", got)
	}
	if got := q("dermaga", member); !slices.Equal(got, []string{"proposal:1", "proposal:2"}) {
		t.Errorf("member dermaga: %v", got)
	}
	if got := q("rancangan", search.Viewer{Staff: true}); len(got) != 2 {
		t.Errorf("staff sees the draft and its proposal: %v", got)
	}
	for _, text := range []string{"tersembunyi", "menunggu", "disembunyikan"} {
		if got := q(text, search.Viewer{Staff: true, Groups: []int64{w.group.ID}}); len(got) != 0 {
			t.Errorf("hidden content indexed (%s): %v", text, got)
		}
	}

	// Hide the public proposal: it and its comment leave. Delete a comment
	// elsewhere: it leaves too.
	if _, err := w.db.ExecContext(w.ctx, "UPDATE proposals SET state = ? WHERE id = 1", forum.StateHidden); err != nil {
		t.Fatal(err)
	}
	if err := sources.EnqueueProposal(w.ctx, w.db, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ExecContext(w.ctx, "UPDATE comments SET deleted_at = ?, body = '' WHERE id = 4", t0); err != nil {
		t.Fatal(err)
	}
	if err := sources.EnqueueComment(w.ctx, w.db, 4); err != nil {
		t.Fatal(err)
	}
	drain(t, w, idx)
	if got := q("dermaga umum", search.Viewer{Staff: true}); len(got) != 0 {
		t.Errorf("hidden proposal still found: %v", got)
	}
	if got := q("komentar terbuka", search.Viewer{}); len(got) != 0 {
		t.Errorf("comment of a hidden proposal still found: %v", got)
	}
	if got := q("komentar kelompok", member); len(got) != 0 {
		t.Errorf("deleted comment still found: %v", got)
	}
	if n, err := search.Pending(w.ctx, w.db); err != nil || n != 0 {
		t.Errorf("outbox after drain: %d, %v", n, err)
	}
}

// TestCheckDropsStaleHits: the index still says public, the database says
// otherwise (CASES C21 before the indexer runs; C17 after a removal).
func TestCheckDropsStaleHits(t *testing.T) {
	w := newWorld(t)
	rows(t, w)
	hits := []search.Hit{{ID: "proposal:1"}, {ID: "proposal:2"}, {ID: "proposal:3"}, {ID: "comment:1"}, {ID: "proposal:999"}, {ID: "bogus"}}
	cases := []struct {
		name   string
		viewer search.Viewer
		want   []string
	}{
		{"anonymous", search.Viewer{}, []string{"proposal:1", "comment:1"}},
		{"member", search.Viewer{Groups: []int64{w.group.ID}}, []string{"proposal:1", "proposal:2", "comment:1"}},
		{"staff", search.Viewer{Staff: true}, []string{"proposal:1", "comment:1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := sources.Check(w.ctx, w.db, c.viewer, hits)
			if err != nil {
				t.Fatal(err)
			}
			var kept []string
			for _, h := range got.Hits {
				kept = append(kept, h.ID)
				if got.Records[h.ID].Doc.ID != h.ID {
					t.Errorf("no record for %s", h.ID)
				}
			}
			if !slices.Equal(kept, c.want) {
				t.Errorf("kept %v, want %v", kept, c.want)
			}
			if len(got.Stale)+len(kept) != len(hits) {
				t.Errorf("stale %v", got.Stale)
			}
		})
	}
	// Repair queues a delete for every dropped hit that has no visible row.
	if err := sources.Repair(w.ctx, w.db, "proposal:3", "proposal:999", "proposal:1"); err != nil {
		t.Fatal(err)
	}
	var ops []struct {
		DocID string `bun:"doc_id"`
		Op    string `bun:"op"`
	}
	if err := w.db.NewRaw("SELECT doc_id, op FROM search_outbox ORDER BY id").Scan(w.ctx, &ops); err != nil {
		t.Fatal(err)
	}
	if len(ops) != 3 || ops[0].Op != "delete" || ops[1].Op != "delete" || ops[2].Op != "index" {
		t.Errorf("repair ops: %+v", ops)
	}
}

// TestDomainConstants keeps the SQL of this package in step with the
// domain packages' values.
func TestDomainConstants(t *testing.T) {
	for name, pair := range map[string][2]string{
		"published": {forum.StatePublished, "published"},
		"draft":     {forum.StatusDraft, "draft"},
		"approved":  {live.StatusApproved, "approved"},
		"admin":     {forum.RoleAdmin, "admin"},
		"moderator": {forum.RoleModerator, "moderator"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: domain value %q, sources assumes %q", name, pair[0], pair[1])
		}
	}
}
