package forum_test

import (
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestWritesReadRightsAgain builds a viewer and a consultation as a page
// does, then commits a change that takes the right away (a member removed
// from the focus group, the consultation closed, a consultation's
// moderator or analyst role taken back, a global moderator or admin
// demoted) and only then calls the write with what the page loaded. Each
// write reads the facts again inside its transaction (forum.InTx), so it
// is refused with the kind the access rule gives on fresh facts (not found
// for focus-group content the viewer no longer reads, forbidden
// otherwise) and writes nothing. SQLite and PostgreSQL.
func TestWritesReadRightsAgain(t *testing.T) {
	type write struct {
		name string
		kind errs.Kind
		do   func() error
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, w *world) (change func(), writes []write, written func() int)
	}{
		{"member removed", func(t *testing.T, w *world) (func(), []write, func() int) {
			admin := w.staff(t)
			g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Warga RW 3"}
			if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
				t.Fatal(err)
			}
			ani := w.user(t, "ani", forum.RoleParticipant)
			if err := w.store.SetMember(w.ctx, admin, g, ani.User.ID, forum.MemberRole); err != nil {
				t.Fatal(err)
			}
			ani = w.again(t, ani) // the page's viewer: a member
			p, _, err := w.store.CreateProposal(w.ctx, ani, w.c, forum.ProposalInput{Title: "Pos ronda", GroupID: g.ID})
			if err != nil {
				t.Fatal(err)
			}
			cm := w.comment(t, ani, p, 0, "Perlu lampu")
			before := rows(t, w, "proposals", "author_id = ?", ani.ParticipantID) + rows(t, w, "comments", "author_id = ?", ani.ParticipantID)
			return func() {
					if err := w.store.RemoveMember(w.ctx, admin, g, ani.User.ID); err != nil {
						t.Fatal(err)
					}
				}, []write{
					{"proposal in the group", errs.NotFound, func() error {
						_, _, err := w.store.CreateProposal(w.ctx, ani, w.c, forum.ProposalInput{Title: "Pos ronda kedua", GroupID: g.ID})
						return err
					}},
					{"comment in the group", errs.NotFound, func() error {
						_, _, err := w.store.AddComment(w.ctx, ani, w.c, p, forum.CommentInput{Body: "Masih perlu"})
						return err
					}},
					{"support in the group", errs.NotFound, func() error { _, err := w.store.Support(w.ctx, ani, p, w.c); return err }},
					{"comment vote in the group", errs.NotFound, func() error { return w.store.VoteComment(w.ctx, ani, w.c, cm, 1) }},
					{"follow in the group", errs.NotFound, func() error { return w.store.Follow(w.ctx, ani, w.c, p, true) }},
				}, func() int {
					return rows(t, w, "proposals", "author_id = ?", ani.ParticipantID) + rows(t, w, "comments", "author_id = ?", ani.ParticipantID) +
						rows(t, w, "supports", "participant_id = ?", ani.ParticipantID) + rows(t, w, "comment_votes", "participant_id = ?", ani.ParticipantID) +
						rows(t, w, "follows", "user_id = ?", ani.User.ID) - before
				}
		}},
		{"consultation closed", func(t *testing.T, w *world) (func(), []write, func() int) {
			ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
			p := w.proposal(t, ani, "Lampu jalan")
			cm := w.comment(t, ani, p, 0, "Gelap sekali")
			page := *w.c // the consultation as the page loaded it: open
			return func() {
					c := *w.c
					if err := w.store.UpdateConsultation(w.ctx, w.staff(t), &c, forum.ConsultationInput{Title: c.Title, Status: forum.StatusClosed}); err != nil {
						t.Fatal(err)
					}
				}, []write{
					{"proposal", errs.Forbidden, func() error {
						_, _, err := w.store.CreateProposal(w.ctx, budi, &page, forum.ProposalInput{Title: "Halte bus"})
						return err
					}},
					{"comment", errs.Forbidden, func() error {
						_, _, err := w.store.AddComment(w.ctx, budi, &page, p, forum.CommentInput{Body: "Setuju"})
						return err
					}},
					{"support", errs.Forbidden, func() error { _, err := w.store.Support(w.ctx, budi, p, &page); return err }},
					{"comment vote", errs.Forbidden, func() error { return w.store.VoteComment(w.ctx, budi, &page, cm, 1) }},
				}, func() int {
					return rows(t, w, "proposals", "author_id = ?", budi.ParticipantID) + rows(t, w, "comments", "author_id = ?", budi.ParticipantID) +
						rows(t, w, "supports", "participant_id = ?", budi.ParticipantID) + rows(t, w, "comment_votes", "participant_id = ?", budi.ParticipantID)
				}
		}},
		{"consultation moderator removed", func(t *testing.T, w *world) (func(), []write, func() int) {
			mod := w.user(t, "moda", forum.RoleParticipant)
			if err := w.store.SetConsultationRole(w.ctx, w.staff(t), w.c, mod.User.ID, forum.ConsultationModerator, true); err != nil {
				t.Fatal(err)
			}
			mod = w.again(t, mod)
			ani := w.user(t, "ani", forum.RoleParticipant)
			p := w.proposal(t, ani, "Lampu jalan")
			g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Pedagang"}
			return func() {
					if err := w.store.SetConsultationRole(w.ctx, w.staff(t), w.c, mod.User.ID, forum.ConsultationModerator, false); err != nil {
						t.Fatal(err)
					}
				}, []write{
					{"official answer", errs.Forbidden, func() error {
						_, err := w.store.SetAnswer(w.ctx, mod, w.c, p, forum.AnswerAccepted, "Kami pasang.")
						return err
					}},
					{"hide", errs.Forbidden, func() error {
						return w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: p.ID}, w.c.ID, forum.ActionHide, "kasar")
					}},
					{"block in the consultation", errs.Forbidden, func() error {
						return w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetUser, ID: ani.ParticipantID}, w.c.ID, forum.ActionBlock, "spam")
					}},
					{"focus group", errs.Forbidden, func() error { return w.store.CreateFocusGroup(w.ctx, mod, g) }},
				}, func() int {
					return rows(t, w, "proposals", "id = ? AND (answer <> '' OR state <> ?)", p.ID, forum.StatePublished) +
						rows(t, w, "blocks", "participant_id = ?", ani.ParticipantID) + rows(t, w, "focus_groups", "1 = 1")
				}
		}},
		{"global moderator demoted", func(t *testing.T, w *world) (func(), []write, func() int) {
			mod := w.user(t, "moda", forum.RoleModerator)
			ani := w.user(t, "ani", forum.RoleParticipant)
			p := w.proposal(t, ani, "Lampu jalan")
			return func() {
					if err := w.store.SetRole(w.ctx, w.staff(t), mod.User.ID, forum.RoleParticipant); err != nil {
						t.Fatal(err)
					}
				}, []write{
					{"hide", errs.Forbidden, func() error {
						return w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: p.ID}, w.c.ID, forum.ActionHide, "kasar")
					}},
					{"official answer", errs.Forbidden, func() error {
						_, err := w.store.SetAnswer(w.ctx, mod, w.c, p, forum.AnswerAccepted, "Kami pasang.")
						return err
					}},
				}, func() int {
					return rows(t, w, "proposals", "id = ? AND (answer <> '' OR state <> ?)", p.ID, forum.StatePublished)
				}
		}},
		{"admin demoted", func(t *testing.T, w *world) (func(), []write, func() int) {
			boss := w.user(t, "boss", forum.RoleAdmin)
			ani := w.user(t, "ani", forum.RoleParticipant)
			return func() {
					if err := w.store.SetRole(w.ctx, w.staff(t), boss.User.ID, forum.RoleParticipant); err != nil {
						t.Fatal(err)
					}
				}, []write{
					{"close the consultation", errs.Forbidden, func() error {
						c := *w.c
						return w.store.UpdateConsultation(w.ctx, boss, &c, forum.ConsultationInput{Title: c.Title, Status: forum.StatusClosed})
					}},
					{"name a moderator", errs.Forbidden, func() error {
						return w.store.SetConsultationRole(w.ctx, boss, w.c, ani.User.ID, forum.ConsultationModerator, true)
					}},
					{"site-wide block", errs.Forbidden, func() error { return w.store.SetUserBlocked(w.ctx, boss, ani.User.ID, true, "spam") }},
					{"publish the report", errs.Forbidden, func() error { return w.store.PublishReport(w.ctx, boss, w.c, true) }},
				}, func() int {
					return rows(t, w, "consultations", "status <> ?", forum.StatusOpen) + rows(t, w, "consultation_moderators", "1 = 1") +
						rows(t, w, "blocks", "1 = 1") + rows(t, w, "consultations", "report_published")
				}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			change, writes, written := tc.setup(t, w)
			change()
			for _, wr := range writes {
				if err := wr.do(); errs.KindOf(err) != wr.kind {
					t.Errorf("%s with rights loaded before the change: %v, want %v", wr.name, err, wr.kind)
				}
			}
			if n := written(); n != 0 {
				t.Errorf("refused writes left %d rows", n)
			}
		})
	}
}
