package sources_test

import (
	"slices"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/search"
)

// TestForumWritesReachTheIndex drives the forum's own functions: what
// they write reaches the index through the outbox, and moderation and
// deletion make it leave (CASES C21).
func TestForumWritesReachTheIndex(t *testing.T) {
	w := newWorld(t)
	idx, err := search.NewBleveMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	u := w.user(t, "warga", forum.RoleParticipant)
	p, err := forum.UserParticipant(w.ctx, w.db, u, t0)
	if err != nil {
		t.Fatal(err)
	}
	v := forum.Viewer{User: u, ParticipantID: p.ID}
	mod := forum.Viewer{User: w.user(t, "moderator", forum.RoleModerator)}
	prop, err := forum.CreateProposal(w.ctx, w.db, v, w.open, forum.ProposalInput{Title: "Perbaikan trotoar pasar", Body: "Trotoar berlubang."}, t0)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := forum.AddComment(w.ctx, w.db, v, w.open, prop, forum.CommentInput{Body: "Setuju, trotoar licin saat hujan."}, t0)
	if err != nil {
		t.Fatal(err)
	}
	find := func(text string) []string {
		t.Helper()
		drain(t, w, idx)
		return ids(t, idx, search.Query{Text: text, Viewer: search.Viewer{Staff: true}})
	}
	steps := []struct {
		name string
		do   func() error
		text string
		want []string
	}{
		{"created", func() error { return nil }, "trotoar", []string{"comment:1", "proposal:1"}},
		{"comment edited", func() error { return forum.EditComment(w.ctx, w.db, v, cm, "Trotoar licin sekali.", t0) }, "licin sekali", []string{"comment:1"}},
		{"comment deleted", func() error { return forum.DeleteComment(w.ctx, w.db, v, cm, t0) }, "licin", nil},
		{"proposal hidden", func() error {
			return forum.Moderate(w.ctx, w.db, mod, forum.Target{Kind: forum.TargetProposal, ID: prop.ID}, 0, forum.ActionHide, "spam", t0)
		}, "trotoar", nil},
		{"proposal restored", func() error {
			return forum.Moderate(w.ctx, w.db, mod, forum.Target{Kind: forum.TargetProposal, ID: prop.ID}, 0, forum.ActionRestore, "", t0)
		}, "trotoar", []string{"proposal:1"}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := find(s.text); !slices.Equal(got, s.want) {
			t.Errorf("%s: search %q = %v, want %v", s.name, s.text, got, s.want)
		}
	}
}
