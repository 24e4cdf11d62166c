package sources_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
)

// TestForumWritesReachTheIndex drives the forum's own functions: what
// they write reaches the index through the outbox, and moderation and
// deletion make it leave (CASES C21).
func TestForumWritesReachTheIndex(t *testing.T) {
	w := newWorld(t)
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	u := w.user(t, "warga", forum.RoleParticipant)
	p, err := forum.UserParticipant(w.ctx, w.db, u, t0)
	if err != nil {
		t.Fatal(err)
	}
	v, err := forum.LoadViewer(w.ctx, w.db, u, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := forum.LoadViewer(w.ctx, w.db, w.user(t, "moderator", forum.RoleModerator), 0)
	if err != nil {
		t.Fatal(err)
	}
	store := forum.NewStore(w.db, func() time.Time { return t0 })
	prop, _, err := store.CreateProposal(w.ctx, v, w.open, forum.ProposalInput{Title: "Perbaikan trotoar pasar", Body: "Trotoar berlubang."})
	if err != nil {
		t.Fatal(err)
	}
	cm, _, err := store.AddComment(w.ctx, v, w.open, prop, forum.CommentInput{Body: "Setuju, trotoar licin saat hujan."})
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
		{"comment edited", func() error {
			return store.EditComment(w.ctx, v, cm, "Trotoar licin sekali.")
		}, "licin sekali", []string{"comment:1"}},
		{"comment deleted", func() error { return store.DeleteComment(w.ctx, v, cm) }, "licin", nil},
		{"proposal hidden", func() error {
			return store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: prop.ID}, 0, forum.ActionHide, "spam")
		}, "trotoar", nil},
		{"proposal restored", func() error {
			return store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: prop.ID}, 0, forum.ActionRestore, "")
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

// TestLiveQuestionsReachTheIndex drives realtime/live: an asked question is
// found once approved (pre-moderation keeps it out before), and leaves the
// index when hidden (CASES C21).
func TestLiveQuestionsReachTheIndex(t *testing.T) {
	w := newWorld(t)
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	hub := realtime.NewHub(realtime.NewMemoryBroker(realtime.HistoryOptions{}), realtime.Options{})
	defer hub.Close()
	svc := live.NewService(w.db, hub, live.Options{Now: func() time.Time { return t0 }})
	defer svc.Close()
	sess, err := svc.CreateSession(w.ctx, live.SessionInput{ConsultationID: w.open.ID, Title: "Balai warga", Premoderate: true})
	if err != nil {
		t.Fatal(err)
	}
	q, err := svc.Ask(w.ctx, sess, w.author, "Sari", "Kapan jembatan gantung diperbaiki?", false)
	if err != nil {
		t.Fatal(err)
	}
	find := func() []string {
		t.Helper()
		drain(t, w, idx)
		return ids(t, idx, search.Query{Text: "jembatan", Viewer: search.Viewer{}})
	}
	want := []string{"question:" + strconv.FormatInt(q.ID, 10)}
	if got := find(); len(got) != 0 {
		t.Fatalf("a pending question is searchable: %v", got)
	}
	for _, step := range []struct {
		action string
		want   []string
	}{{live.ActApprove, want}, {live.ActHide, nil}} {
		if err := svc.Moderate(w.ctx, sess, q.ID, step.action, "", 0); err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
		if got := find(); !slices.Equal(got, step.want) {
			t.Fatalf("after %s: %v, want %v", step.action, got, step.want)
		}
	}
	// Post-moderation: the question is public, and searchable, once asked.
	open, err := svc.CreateSession(w.ctx, live.SessionInput{ConsultationID: w.open.ID, Title: "Balai desa"})
	if err != nil {
		t.Fatal(err)
	}
	q2, err := svc.Ask(w.ctx, open, w.author, "Budi", "Jembatan desa kapan dibangun?", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := find(); !slices.Equal(got, []string{"question:" + strconv.FormatInt(q2.ID, 10)}) {
		t.Fatalf("a question in a post-moderated session: %v", got)
	}
}
