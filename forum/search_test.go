package forum_test

import (
	"slices"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
)

// indexedWorld is a world whose writes reach a Bleve index only through
// the outbox triggers and the registered sources, as in `rembug serve`.
type indexedWorld struct {
	*world
	idx *bleve.Index
	ix  *search.Indexer
}

func newIndexedWorld(t *testing.T) *indexedWorld {
	t.Helper()
	w := newWorld(t)
	if err := polls.Migrate(w.ctx, w.db); err != nil {
		t.Fatal(err)
	}
	if err := live.Migrate(w.ctx, w.db); err != nil {
		t.Fatal(err)
	}
	reg, err := search.NewRegistry(append(forum.SearchSources(), polls.SearchSource(), live.SearchSource())...)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return &indexedWorld{world: w, idx: idx, ix: &search.Indexer{DB: w.db, Index: idx, Sources: reg}}
}

// find drains the outbox and returns the IDs that q finds for viewer v,
// in the index's order.
func (w *indexedWorld) find(t *testing.T, q search.Query) []string {
	t.Helper()
	if _, err := w.ix.Drain(w.ctx); err != nil {
		t.Fatal(err)
	}
	res, err := w.idx.Search(w.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// TestSearchFollowsEveryWrite walks the write paths of indexed fields —
// each calls no search code — and checks that the index reflects each one
// after a drain: creation, supports (the "most supported" order),
// moderation hide and restore, comment add, edit and delete, a
// consultation made draft and opened again, and a statement vote
// (polls.CastVote changes its agree count).
func TestSearchFollowsEveryWrite(t *testing.T) {
	w := newIndexedWorld(t)
	author, mod := w.user(t, "penulis", forum.RoleParticipant), w.staff(t)
	g1, g2, g3 := w.user(t, "g1", forum.RoleParticipant), w.user(t, "g2", forum.RoleParticipant), w.user(t, "g3", forum.RoleParticipant)
	a := w.proposal(t, author, "Perbaikan jalan pasar")
	b := w.proposal(t, author, "Perbaikan jalan desa")
	doc := func(k string, id int64) string { return search.DocID(k, id) }
	bySupports := search.Query{Text: "jalan", Kinds: []string{search.KindProposal}, Sort: search.SortSupported}
	public := search.Query{Text: "jalan", Kinds: []string{search.KindProposal}}
	staff := public
	staff.Viewer = search.Viewer{Staff: true}

	if got := w.find(t, public); len(got) != 2 {
		t.Fatalf("created proposals: found %v", got)
	}
	steps := []struct {
		name  string
		write func() error
		query search.Query
		want  []string // in order when the query sorts by supports
	}{
		{"support b", func() error {
			_, err := w.store.Support(w.ctx, g1, b, w.c)
			return err
		}, bySupports, []string{doc("proposal", b.ID), doc("proposal", a.ID)}},
		{"unsupport b, support a twice", func() error {
			if _, err := w.store.Unsupport(w.ctx, g1, b); err != nil {
				return err
			}
			for _, g := range []forum.Viewer{g2, g3} {
				if _, err := w.store.Support(w.ctx, g, a, w.c); err != nil {
					return err
				}
			}
			return nil
		}, bySupports, []string{doc("proposal", a.ID), doc("proposal", b.ID)}},
		{"hide a", func() error {
			return w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: a.ID}, 0, forum.ActionHide, "spam")
		}, public, []string{doc("proposal", b.ID)}},
		{"restore a", func() error {
			return w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: a.ID}, 0, forum.ActionRestore, "")
		}, public, []string{doc("proposal", a.ID), doc("proposal", b.ID)}},
		{"consultation made draft: public sees nothing", func() error {
			return w.store.UpdateConsultation(w.ctx, mod, w.c, forum.ConsultationInput{Title: w.c.Title, Status: forum.StatusDraft})
		}, public, nil},
		{"consultation draft: staff still sees it", func() error { return nil }, staff,
			[]string{doc("proposal", a.ID), doc("proposal", b.ID)}},
		{"consultation opened again", func() error {
			return w.store.UpdateConsultation(w.ctx, mod, w.c, forum.ConsultationInput{Title: w.c.Title, Status: forum.StatusOpen})
		}, public, []string{doc("proposal", a.ID), doc("proposal", b.ID)}},
	}
	for _, s := range steps {
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got := w.find(t, s.query)
		if s.query.Sort != search.SortSupported {
			slices.Sort(got)
			slices.Sort(s.want)
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("%s: found %v, want %v", s.name, got, s.want)
		}
	}

	cm := w.comment(t, author, b, 0, "Trotoar di depan sekolah rusak")
	comments := func(text string) []string {
		return w.find(t, search.Query{Text: text, Kinds: []string{search.KindComment}})
	}
	if got := comments("trotoar"); len(got) != 1 || got[0] != doc("comment", cm.ID) {
		t.Errorf("added comment: %v", got)
	}
	if err := w.store.EditComment(w.ctx, author, cm, "Halte di depan sekolah rusak"); err != nil {
		t.Fatal(err)
	}
	if got, old := comments("halte"), comments("trotoar"); len(got) != 1 || len(old) != 0 {
		t.Errorf("edited comment: halte %v, trotoar %v", got, old)
	}
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: b.ID}, 0, forum.ActionHide, "spam"); err != nil {
		t.Fatal(err)
	}
	if got := comments("halte"); len(got) != 0 {
		t.Errorf("comment of a hidden proposal still found: %v", got)
	}
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: b.ID}, 0, forum.ActionRestore, ""); err != nil {
		t.Fatal(err)
	}
	if got := comments("halte"); len(got) != 1 {
		t.Errorf("comment of a restored proposal: %v", got)
	}
	if err := w.store.DeleteComment(w.ctx, author, cm); err != nil {
		t.Fatal(err)
	}
	if got := comments("halte"); len(got) != 0 {
		t.Errorf("deleted comment still found: %v", got)
	}

	// Statements: a vote changes the agree count, which orders "most
	// supported"; polls.CastVote knows nothing of search.
	var s1, s2 int64
	for i, id := range []*int64{&s1, &s2} {
		if err := w.db.NewRaw(`INSERT INTO statements (consultation_id, source_key, text, hidden, created_at)
			VALUES (?, ?, 'Pasar perlu atap baru', FALSE, ?) RETURNING id`, w.c.ID, []string{"s1", "s2"}[i], t0).Scan(w.ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	voter := w.guest(t, "pemilih")
	if err := polls.NewStore(w.db, func() time.Time { return t0 }).CastVote(w.ctx, forum.GuestViewer(voter.ParticipantID), w.c, s2, 1); err != nil {
		t.Fatal(err)
	}
	got := w.find(t, search.Query{Text: "atap", Kinds: []string{search.KindStatement}, Sort: search.SortSupported})
	if want := []string{doc("statement", s2), doc("statement", s1)}; !slices.Equal(got, want) {
		t.Errorf("after a vote on s2: %v, want %v", got, want)
	}
	if err := polls.NewStore(w.db, func() time.Time { return t0 }).CastVote(w.ctx, forum.GuestViewer(voter.ParticipantID), w.c, s2, -1); err != nil {
		t.Fatal(err)
	}
	if err := polls.NewStore(w.db, func() time.Time { return t0 }).CastVote(w.ctx, forum.GuestViewer(voter.ParticipantID), w.c, s1, 1); err != nil {
		t.Fatal(err)
	}
	got = w.find(t, search.Query{Text: "atap", Kinds: []string{search.KindStatement}, Sort: search.SortSupported})
	if want := []string{doc("statement", s1), doc("statement", s2)}; !slices.Equal(got, want) {
		t.Errorf("after the votes change: %v, want %v", got, want)
	}
}
