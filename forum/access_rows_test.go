package forum_test

import (
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestNotificationRecheckedAtSend: a mail is composed when its
// notification is made and sent later; Deliverable asks the access rule
// again at send time, so a comment hidden, a consultation made draft or a
// membership ended in between stops it.
func TestNotificationRecheckedAtSend(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(w *world, p *forum.Proposal, cm *forum.Comment)
	}{
		{"comment hidden", func(w *world, _ *forum.Proposal, cm *forum.Comment) {
			w.exec(t, "UPDATE comments SET state = ? WHERE id = ?", forum.StateHidden, cm.ID)
		}},
		{"consultation made draft", func(w *world, _ *forum.Proposal, _ *forum.Comment) {
			w.exec(t, "UPDATE consultations SET status = ? WHERE id = ?", forum.StatusDraft, w.c.ID)
		}},
		{"proposal moved into a focus group", func(w *world, p *forum.Proposal, _ *forum.Comment) {
			w.exec(t, "INSERT INTO focus_groups (id, consultation_id, name, listed, created_at) VALUES (900, ?, 'FG', ?, ?)", w.c.ID, false, t0)
			w.exec(t, "UPDATE proposals SET focus_group_id = 900 WHERE id = ?", p.ID)
			w.exec(t, "UPDATE comments SET focus_group_id = 900 WHERE proposal_id = ?", p.ID)
		}},
		{"nothing changed", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			author, replier := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
			p := w.proposal(t, author, "Taman")
			if err := w.store.Follow(w.ctx, author, w.c, p, true); err != nil {
				t.Fatal(err)
			}
			cm, ds, err := w.store.AddComment(w.ctx, replier, w.c, p, forum.CommentInput{Body: "Setuju"})
			if err != nil || len(ds) != 1 {
				t.Fatalf("deliveries %v %+v", err, ds)
			}
			if tc.change != nil {
				tc.change(w, p, cm)
			}
			ok, err := forum.Deliverable(w.ctx, w.db, ds[0].ID)
			if err != nil || ok != (tc.change == nil) {
				t.Fatalf("Deliverable = %v, %v; want %v", ok, err, tc.change == nil)
			}
		})
	}
}

// TestBlocksAreScoped: a consultation's moderator blocks a participant in
// that consultation only, may not block its moderators, and may not block
// site-wide; an admin may.
func TestBlocksAreScoped(t *testing.T) {
	w := newWorld(t)
	other := &forum.Consultation{Title: "Pasar", Source: "test", SourceKey: "pasar"}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, other, t0); err != nil {
		t.Fatal(err)
	}
	modHere := w.user(t, "mod", forum.RoleParticipant)
	if err := w.store.AddModerator(w.ctx, w.c.ID, modHere.User.ID); err != nil {
		t.Fatal(err)
	}
	modHere = w.again(t, modHere)
	ani, admin := w.user(t, "ani", forum.RoleParticipant), w.user(t, "admin", forum.RoleAdmin)
	target := forum.Target{Kind: forum.TargetUser, ID: ani.ParticipantID}
	if err := w.store.Moderate(w.ctx, modHere, forum.Target{Kind: forum.TargetUser, ID: admin.ParticipantID}, w.c.ID, forum.ActionBlock, "x"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("moderator blocks an admin: %v", err)
	}
	if err := w.store.Moderate(w.ctx, modHere, target, w.c.ID, forum.ActionBlockSite, "spam"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("moderator blocks site-wide: %v", err)
	}
	if err := w.store.Moderate(w.ctx, modHere, target, other.ID, forum.ActionBlock, "spam"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("moderator blocks in another consultation: %v", err)
	}
	if err := w.store.Moderate(w.ctx, modHere, target, w.c.ID, forum.ActionBlock, "spam"); err != nil {
		t.Fatal(err)
	}
	ani = w.again(t, ani)
	if !ani.BlockedIn(w.c.ID) || ani.BlockedIn(other.ID) {
		t.Fatalf("blocked here %v, there %v", ani.BlockedIn(w.c.ID), ani.BlockedIn(other.ID))
	}
	if _, _, err := w.store.CreateProposal(w.ctx, ani, other, forum.ProposalInput{Title: "Di pasar"}); err != nil {
		t.Fatalf("blocked elsewhere proposes in another consultation: %v", err)
	}
	if err := w.store.Moderate(w.ctx, admin, target, w.c.ID, forum.ActionBlockSite, "spam"); err != nil {
		t.Fatal(err)
	}
	if ani = w.again(t, ani); !ani.BlockedIn(other.ID) {
		t.Fatal("a site-wide block does not reach another consultation")
	}
}

// exec runs a set-up statement.
func (w *world) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := w.db.ExecContext(w.ctx, query, args...); err != nil {
		t.Fatal(err)
	}
}
