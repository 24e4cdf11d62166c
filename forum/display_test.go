package forum_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestModerateChecksConsultation: a moderation request names a
// consultation; content of another consultation is not found there and
// stays as it was.
func TestModerateChecksConsultation(t *testing.T) {
	w := newWorld(t)
	other := &forum.Consultation{Title: "Pasar", Source: "test", SourceKey: "pasar"}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, other, t0); err != nil {
		t.Fatal(err)
	}
	author := w.user(t, "ani", forum.RoleParticipant)
	admin := w.user(t, "admin", forum.RoleAdmin)
	p := w.proposal(t, author, "Taman")
	cm := w.comment(t, author, p, 0, "Komentar di konsultasi taman")
	target := forum.Target{Kind: forum.TargetComment, ID: cm.ID}
	cases := []struct {
		name  string
		cons  int64
		found bool
		state string
	}{
		{"other consultation", other.ID, false, forum.StatePublished},
		{"own consultation", w.c.ID, true, forum.StateHidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := w.store.Moderate(w.ctx, admin, target, c.cons, forum.ActionHide, "spam")
			if c.found && err != nil || !c.found && errs.KindOf(err) != errs.NotFound {
				t.Fatalf("Moderate: %v, want found %v", err, c.found)
			}
			var state string
			if err := w.db.NewSelect().Table("comments").Column("state").Where("id = ?", cm.ID).Scan(w.ctx, &state); err != nil {
				t.Fatal(err)
			}
			if state != c.state {
				t.Errorf("state %q, want %q", state, c.state)
			}
		})
	}
}

// TestAutoHideReasonIsAKey: content hidden after reports keeps a
// language-neutral reason with the count, which pages translate.
func TestAutoHideReasonIsAKey(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	w.rules(t, forum.Rules{ConsultationID: w.c.ID, FlagThreshold: 3})
	p := w.proposal(t, author, "Taman")
	cm := w.comment(t, author, p, 0, "spam spam")
	for _, who := range []string{"r1", "r2", "r3"} {
		if err := w.store.Flag(w.ctx, w.user(t, who, forum.RoleParticipant), forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, "spam"); err != nil {
			t.Fatal(err)
		}
	}
	q, err := forum.Queue(w.ctx, w.db, mod, w.c)
	if err != nil || len(q) != 1 {
		t.Fatalf("queue %+v %v", q, err)
	}
	if n, ok := forum.ParseAutoHide(q[0].StateReason); !ok || n != 3 {
		t.Errorf("state reason %q parses as (%d, %v), want (3, true)", q[0].StateReason, n, ok)
	}
	cases := []struct {
		reason string
		n      int
		ok     bool
	}{
		{forum.AutoHideReason(7), 7, true},
		{"reports", 0, true}, // stored by earlier versions
		{"3 reports", 0, false},
		{"auto_hide:reports:x", 0, false},
		{"tautan berbahaya", 0, false},
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) {
			if n, ok := forum.ParseAutoHide(c.reason); n != c.n || ok != c.ok {
				t.Errorf("ParseAutoHide(%q) = (%d, %v), want (%d, %v)", c.reason, n, ok, c.n, c.ok)
			}
		})
	}
}

// TestThreadAuthors: a comment shows its author's current name, a
// pseudonymous participant by public id, a deleted account by neither.
func TestThreadAuthors(t *testing.T) {
	w := newWorld(t)
	ani := w.user(t, "Ani Lestari", forum.RoleParticipant)
	budi := w.user(t, "Budi", forum.RoleParticipant)
	p := w.proposal(t, ani, "Taman")
	w.comment(t, ani, p, 0, "dari Ani")
	w.comment(t, budi, p, 0, "dari Budi")
	imp, err := forum.EnsureParticipant(w.ctx, w.db, forum.ParticipantImported, "consul:madrid", "u77", t0)
	if err != nil {
		t.Fatal(err)
	}
	row := &forum.Comment{ConsultationID: w.c.ID, ProposalID: p.ID, AuthorID: imp.ID, Body: "dari impor", State: forum.StatePublished,
		Source: "consul:madrid", SourceKey: "c1", CreatedAt: t0.Add(time.Minute)}
	if _, err := w.db.NewInsert().Model(row).Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	if err := forum.NewStore(w.db, func() time.Time { return t0 }).DeleteAccount(w.ctx, forum.Viewer{User: &forum.User{ID: budi.User.ID}}, budi.User.ID); err != nil {
		t.Fatal(err)
	}
	tree, _, err := forum.Thread(w.ctx, w.db, forum.Viewer{}, w.c, p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]forum.Author{}
	for _, n := range tree {
		got[n.Body] = n.Author
	}
	cases := []struct {
		body    string
		name    string
		public  string
		deleted bool
	}{
		{"dari Ani", "Ani Lestari", "", false},
		{"dari Budi", "", "", true},
		{"dari impor", "", imp.PublicID, false},
	}
	for _, c := range cases {
		t.Run(c.body, func(t *testing.T) {
			a, ok := got[c.body]
			if !ok {
				t.Fatalf("comment %q missing from %+v", c.body, got)
			}
			if a.Name != c.name || a.Deleted != c.deleted || (c.public != "" && a.PublicID != c.public) || a.PublicID == "" {
				t.Errorf("author %+v, want name %q deleted %v public id %q", a, c.name, c.deleted, c.public)
			}
			if c.public != "" && (len(a.ShortID()) != 6 || !strings.HasPrefix(c.public, a.ShortID())) {
				t.Errorf("short id %q of %q", a.ShortID(), c.public)
			}
		})
	}
}

// TestProposalStatusOpen: a proposal without an official answer is "open"
// in the list filter and the export, until an answer gives its status.
func TestProposalStatusOpen(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	admin := w.user(t, "admin", forum.RoleAdmin)
	fresh := w.proposal(t, author, "Baru")
	answered := w.proposal(t, author, "Dijawab")
	if _, err := w.store.SetAnswer(w.ctx, admin, w.c, answered, forum.AnswerAccepted, "Kami terima."); err != nil {
		t.Fatal(err)
	}
	if got := w.reload(t, fresh).AnswerStatus(); got != forum.AnswerOpen {
		t.Errorf("new proposal status %q, want %q", got, forum.AnswerOpen)
	}
	cases := []struct {
		status string
		want   []int64
	}{
		{forum.AnswerOpen, []int64{fresh.ID}},
		{forum.AnswerAccepted, []int64{answered.ID}},
		{"", []int64{answered.ID, fresh.ID}},
	}
	for _, c := range cases {
		t.Run("filter "+c.status, func(t *testing.T) {
			page, err := forum.ProposalsFor(w.ctx, w.db, forum.Viewer{}, w.c, forum.ProposalQuery{Status: c.status})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range page.Proposals {
				ids = append(ids, p.ID)
			}
			if len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) {
				t.Errorf("status %q: %v, want %v", c.status, ids, c.want)
			}
		})
	}
	rows, err := forum.Export(w.ctx, w.db, admin, w.c)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[int64]string{}
	for _, r := range rows {
		statuses[r.ID] = r.Status
	}
	if statuses[fresh.ID] != forum.AnswerOpen || statuses[answered.ID] != forum.AnswerAccepted {
		t.Errorf("export statuses %v", statuses)
	}
}

// TestProposalCountsFor counts published public proposals and their
// visible comments (CASES C19), per consultation.
func TestProposalCountsFor(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	admin := w.user(t, "admin", forum.RoleAdmin)
	p := w.proposal(t, author, "Taman")
	hiddenP := w.proposal(t, author, "Disembunyikan")
	w.comment(t, author, p, 0, "satu")
	bad := w.comment(t, author, p, 0, "dua")
	w.comment(t, author, hiddenP, 0, "tiga")
	for _, tg := range []forum.Target{{Kind: forum.TargetComment, ID: bad.ID}, {Kind: forum.TargetProposal, ID: hiddenP.ID}} {
		if err := w.store.Moderate(w.ctx, admin, tg, w.c.ID, forum.ActionHide, "spam"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := forum.ProposalCountsFor(w.ctx, w.db, []int64{w.c.ID, w.c.ID + 1000})
	if err != nil {
		t.Fatal(err)
	}
	if want := (forum.ProposalCounts{Proposals: 1, Comments: 1}); got[w.c.ID] != want {
		t.Errorf("counts %+v, want %+v", got[w.c.ID], want)
	}
	if got[w.c.ID+1000] != (forum.ProposalCounts{}) {
		t.Errorf("missing consultation counts %+v", got[w.c.ID+1000])
	}
}

// TestReportedCommentShowsUnderReview: a comment hidden automatically
// after reports, which still has a visible reply, shows as hidden pending
// review, not as deleted.
func TestReportedCommentShowsUnderReview(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	w.rules(t, forum.Rules{ConsultationID: w.c.ID, FlagThreshold: 3})
	p := w.proposal(t, author, "Taman")
	cm := w.comment(t, author, p, 0, "kritik tajam")
	w.comment(t, author, p, cm.ID, "balasan")
	for _, who := range []string{"r1", "r2", "r3"} {
		if err := w.store.Flag(w.ctx, w.user(t, who, forum.RoleParticipant), forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, "spam"); err != nil {
			t.Fatal(err)
		}
	}
	nodes, _, err := forum.Thread(w.ctx, w.db, w.user(t, "pembaca", forum.RoleParticipant), w.c, p)
	if err != nil || len(nodes) != 1 {
		t.Fatalf("thread %v %d", err, len(nodes))
	}
	if n := nodes[0]; !n.Removed || !n.UnderReview || n.Body != "" {
		t.Fatalf("reported comment shows as %+v, want a placeholder under review", n)
	}
}
