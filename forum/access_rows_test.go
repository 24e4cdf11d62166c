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

// TestNotificationAccessByRole is the notification rows of the access
// table for a focus group's proposal, for every role (citizen, member,
// removed member, analyst, moderator of this consultation, moderator of
// another, admin; guests have no notifications). A new comment notifies
// the followers who read the group (member, moderator here, admin); a
// notification of the same comment stored for every other role (as if
// composed before they lost the right) is neither sent (Deliverable), listed
// nor counted. Then each reader loses the right (removed from the group,
// moderator role taken back, admin demoted) after the mail was composed and
// before it is sent: it is no longer sent, listed or counted. SQLite and
// PostgreSQL.
func TestNotificationAccessByRole(t *testing.T) {
	w := newWorld(t)
	admin := w.staff(t)
	other := &forum.Consultation{Title: "Pasar", Source: "test", SourceKey: "pasar"}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, other, t0); err != nil {
		t.Fatal(err)
	}
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Nelayan"}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	vs := map[string]forum.Viewer{}
	for _, r := range []struct{ name, role string }{
		{"author", forum.RoleParticipant}, {"citizen", forum.RoleParticipant}, {"member", forum.RoleParticipant},
		{"removed member", forum.RoleParticipant}, {"analyst", forum.RoleAnalyst}, {"moderator here", forum.RoleParticipant},
		{"moderator there", forum.RoleParticipant}, {"admin", forum.RoleAdmin},
	} {
		vs[r.name] = w.user(t, r.name, r.role)
	}
	for _, m := range []string{"author", "member", "removed member"} {
		if err := w.store.SetMember(w.ctx, admin, g, vs[m].User.ID, forum.MemberRole); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.store.RemoveMember(w.ctx, admin, g, vs["removed member"].User.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetConsultationRole(w.ctx, admin, w.c, vs["moderator here"].User.ID, forum.ConsultationModerator, true); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetConsultationRole(w.ctx, admin, other, vs["moderator there"].User.ID, forum.ConsultationModerator, true); err != nil {
		t.Fatal(err)
	}
	for name := range vs {
		vs[name] = w.again(t, vs[name])
	}
	p, _, err := w.store.CreateProposal(w.ctx, vs["author"], w.c, forum.ProposalInput{Title: "Tempat pelelangan ikan", GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	readers := map[string]bool{"member": true, "moderator here": true, "admin": true}
	for name, v := range vs {
		err := w.store.Follow(w.ctx, v, w.c, p, true)
		if want := name == "author" || readers[name]; (err == nil) != want {
			t.Errorf("%s follows the group's proposal: %v, want allowed %v", name, err, want)
		}
	}
	cm, ds, err := w.store.AddComment(w.ctx, vs["author"], w.c, p, forum.CommentInput{Body: "Perlu atap baru"})
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]int64{}
	for _, d := range ds {
		for name, v := range vs {
			if v.User.ID == d.UserID {
				sent[name] = d.ID
			}
		}
	}
	for name := range vs {
		if _, ok := sent[name]; ok != readers[name] {
			t.Errorf("%s notified of the group's comment: %v, want %v", name, ok, readers[name])
		}
		if _, ok := sent[name]; !ok && name != "author" {
			n := &forum.Notification{UserID: vs[name].User.ID, Kind: "comment", ConsultationID: w.c.ID, ProposalID: p.ID, CommentID: cm.ID, CreatedAt: t0}
			if _, err := w.db.NewInsert().Model(n).Returning("id").Exec(w.ctx); err != nil {
				t.Fatal(err)
			}
			sent[name] = n.ID
		}
	}
	check := func(when string, allowed func(string) bool) {
		t.Helper()
		for name, id := range sent {
			v := w.again(t, vs[name])
			ok, err := forum.Deliverable(w.ctx, w.db, id)
			if err != nil {
				t.Fatal(err)
			}
			listed, err := forum.Notifications(w.ctx, w.db, v, 100)
			if err != nil {
				t.Fatal(err)
			}
			unread, err := forum.UnreadCount(w.ctx, w.db, v)
			if err != nil {
				t.Fatal(err)
			}
			want := allowed(name)
			if ok != want || (len(listed) == 1) != want || (unread == 1) != want {
				t.Errorf("%s, %s: sent %v, listed %d, counted %d; want %v", when, name, ok, len(listed), unread, want)
			}
		}
	}
	check("at send time", func(name string) bool { return readers[name] })
	if err := w.store.RemoveMember(w.ctx, admin, g, vs["member"].User.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetConsultationRole(w.ctx, admin, w.c, vs["moderator here"].User.ID, forum.ConsultationModerator, false); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetRole(w.ctx, admin, vs["admin"].User.ID, forum.RoleParticipant); err != nil {
		t.Fatal(err)
	}
	check("after the right was lost", func(string) bool { return false })
}
