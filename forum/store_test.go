package forum_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
)

// refuseInserts makes every INSERT into table fail until lift is called
// (storagetest.RefuseInserts).
func refuseInserts(t *testing.T, w *world, table string) (lift func()) {
	t.Helper()
	return storagetest.RefuseInserts(t, w.db, table)
}

// rows counts the rows of table that match where.
func rows(t *testing.T, w *world, table, where string, args ...any) int {
	t.Helper()
	n, err := w.db.NewSelect().Table(table).Where(where, args...).Count(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestStoreWritesAreAtomic makes the last part of each write fail (its
// audit row or its search outbox row) and checks that the change itself
// was not written either; then it lifts the failure and checks that the
// same call writes the change and its audit row together.
func TestStoreWritesAreAtomic(t *testing.T) {
	cases := []struct {
		name   string
		refuse string // the table whose insert fails after the change
		// setup prepares the world and returns the write and a count of
		// the rows the write changes, which grows when it succeeds.
		setup func(t *testing.T, w *world) (write func() error, changed func() int)
	}{
		{"answer", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			author := w.user(t, "ani", forum.RoleParticipant)
			p := w.proposal(t, author, "Lampu jalan")
			return func() error {
					_, err := w.store.SetAnswer(w.ctx, w.staff(t), w.c, p, forum.AnswerAccepted, "Kami pasang bulan depan.")
					return err
				}, func() int {
					return rows(t, w, "proposals", "id = ? AND answer <> ''", p.ID) + rows(t, w, "notifications", "proposal_id = ?", p.ID) +
						rows(t, w, "search_outbox", "doc_id = ?", fmt.Sprintf("proposal:%d", p.ID))
				}
		}},
		{"answer notification", "notifications", func(t *testing.T, w *world) (func() error, func() int) {
			author := w.user(t, "ani", forum.RoleParticipant)
			p := w.proposal(t, author, "Lampu jalan")
			return func() error {
					_, err := w.store.SetAnswer(w.ctx, w.staff(t), w.c, p, forum.AnswerAccepted, "Kami pasang bulan depan.")
					return err
				}, func() int {
					return rows(t, w, "proposals", "id = ? AND answer <> ''", p.ID) + rows(t, w, "audit_log", "target_id = ? AND target_kind = 'proposal'", p.ID)
				}
		}},
		{"edit comment", "search_outbox", func(t *testing.T, w *world) (func() error, func() int) {
			ani := w.user(t, "ani", forum.RoleParticipant)
			cm := w.comment(t, ani, w.proposal(t, ani, "Trotoar"), 0, "Trotoar rusak")
			return func() error { return w.store.EditComment(w.ctx, ani, cm, "Trotoar licin") },
				func() int { return rows(t, w, "comments", "id = ? AND body = 'Trotoar licin'", cm.ID) }
		}},
		{"new proposal", "notifications", func(t *testing.T, w *world) (func() error, func() int) {
			follower := w.user(t, "cita", forum.RoleParticipant)
			if err := w.store.Follow(w.ctx, follower, w.c, nil, true); err != nil {
				t.Fatal(err)
			}
			ani := w.user(t, "ani", forum.RoleParticipant)
			return func() error {
					_, _, err := w.store.CreateProposal(w.ctx, ani, w.c, forum.ProposalInput{Title: "Halte bus"})
					return err
				}, func() int {
					return rows(t, w, "proposals", "title = 'Halte bus'") + rows(t, w, "search_outbox", "1 = 1")
				}
		}},
		{"new reply", "notifications", func(t *testing.T, w *world) (func() error, func() int) {
			ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
			p := w.proposal(t, ani, "Trotoar")
			top := w.comment(t, ani, p, 0, "Trotoar rusak")
			return func() error {
					_, _, err := w.store.AddComment(w.ctx, budi, w.c, p, forum.CommentInput{Body: "Betul", ParentID: top.ID})
					return err
				}, func() int {
					return rows(t, w, "comments", "parent_id = ?", top.ID) + rows(t, w, "proposals", "id = ? AND comments > 1", p.ID)
				}
		}},
		{"support", "search_outbox", func(t *testing.T, w *world) (func() error, func() int) {
			ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
			p := w.proposal(t, ani, "Trotoar")
			return func() error { _, err := w.store.Support(w.ctx, budi, p, w.c); return err },
				func() int {
					return rows(t, w, "supports", "proposal_id = ?", p.ID) + rows(t, w, "proposals", "id = ? AND supports > 0", p.ID)
				}
		}},
		{"hide a comment", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			ani := w.user(t, "ani", forum.RoleParticipant)
			cm := w.comment(t, ani, w.proposal(t, ani, "Trotoar"), 0, "Beli obat di sini")
			return func() error {
					return w.store.Moderate(w.ctx, w.staff(t), forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, forum.ActionHide, "spam")
				}, func() int {
					return rows(t, w, "comments", "id = ? AND state = ?", cm.ID, forum.StateHidden)
				}
		}},
		{"configure rules", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			admin := w.staff(t)
			return func() error {
					return w.store.ConfigureRules(w.ctx, admin, &forum.Rules{ConsultationID: w.c.ID, SupportLimit: 4, FlagThreshold: 3})
				}, func() int {
					return rows(t, w, "consultation_rules", "consultation_id = ?", w.c.ID)
				}
		}},
		{"publish report", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			admin := w.staff(t)
			return func() error { return w.store.PublishReport(w.ctx, admin, w.c, true) },
				func() int { return rows(t, w, "consultations", "id = ? AND report_published", w.c.ID) }
		}},
		{"add moderator", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			ani := w.user(t, "ani", forum.RoleParticipant)
			return func() error { return w.store.AddModerator(w.ctx, w.c.ID, ani.User.ID) },
				func() int { return rows(t, w, "consultation_moderators", "consultation_id = ?", w.c.ID) }
		}},
		{"add file", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			admin := w.staff(t)
			return func() error {
					_, err := w.store.AddFile(w.ctx, admin, w.c, forum.FileInput{Kind: forum.FileDocument, Name: "raperda.pdf", Data: []byte(pdfDoc)})
					return err
				}, func() int {
					return rows(t, w, "consultation_files", "consultation_id = ?", w.c.ID)
				}
		}},
		{"remove file", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			admin := w.staff(t)
			f, err := w.store.AddFile(w.ctx, admin, w.c, forum.FileInput{Kind: forum.FileDocument, Name: "raperda.pdf", Data: []byte(pdfDoc)})
			if err != nil {
				t.Fatal(err)
			}
			return func() error { return w.store.DeleteFile(w.ctx, admin, w.c.ID, f.ID) },
				func() int { return 1 - rows(t, w, "consultation_files", "id = ?", f.ID) }
		}},
		{"sign in", "sessions", func(t *testing.T, w *world) (func() error, func() int) {
			u := &forum.User{DisplayName: "sari", Email: "sari@contoh.test", Role: forum.RoleParticipant}
			if err := forumtest.CreateUser(w.ctx, w.db, u, t0); err != nil {
				t.Fatal(err)
			}
			guest := w.guest(t, "tamu-sari")
			p := w.proposal(t, w.user(t, "ani", forum.RoleParticipant), "Trotoar")
			if err := w.store.Flag(w.ctx, guest, forum.Target{Kind: forum.TargetProposal, ID: p.ID}, 0, "iklan"); err != nil {
				t.Fatal(err)
			}
			return func() error {
					_, err := w.store.SignIn(w.ctx, u, "", "tamu-sari", forum.NewMergers())
					return err
				}, func() int {
					return rows(t, w, "sessions", "user_id = ?", u.ID) + rows(t, w, "participants", "source = 'user' AND source_key = ?", fmt.Sprint(u.ID)) +
						1 - rows(t, w, "flags", "reporter_id = ?", guest.ParticipantID)
				}
		}},
		{"delete account", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			ani := w.user(t, "ani", forum.RoleParticipant)
			return func() error { return w.store.DeleteAccount(w.ctx, ani, ani.User.ID) },
				func() int { return rows(t, w, "users", "id = ? AND deleted_at IS NOT NULL", ani.User.ID) }
		}},
		{"update profile", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			ani := w.user(t, "ani", forum.RoleParticipant)
			return func() error {
					u := *ani.User
					u.DisplayName, u.Lang, u.TimeZone = "Ani Lestari", "en", "Asia/Makassar"
					return w.store.UpdateProfile(w.ctx, ani, &u)
				}, func() int {
					return rows(t, w, "users", "id = ? AND display_name = 'Ani Lestari'", ani.User.ID)
				}
		}},
		{"consent and answers", "profile_answers", func(t *testing.T, w *world) (func() error, func() int) {
			ani := w.user(t, "ani", forum.RoleParticipant)
			return func() error {
					return w.store.SaveOptional(w.ctx, ani.User.ID, map[string]bool{forum.ConsentRegion: true}, map[string]string{"kecamatan": "Klojen"})
				}, func() int {
					return rows(t, w, "consents", "user_id = ?", ani.User.ID) + rows(t, w, "profile_answers", "user_id = ?", ani.User.ID)
				}
		}},
		{"schedule phase", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			admin := w.staff(t)
			return func() error {
					return w.store.SchedulePhase(w.ctx, admin, &forum.Phase{ConsultationID: w.c.ID, Kind: "information", StartsAt: t0, EndsAt: t0.Add(time.Hour)})
				}, func() int {
					return rows(t, w, "phases", "consultation_id = ?", w.c.ID)
				}
		}},
		{"remove phase", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			ph := forum.Phase{ConsultationID: w.c.ID, Kind: "information", StartsAt: t0, EndsAt: t0.Add(time.Hour)}
			if err := w.store.SchedulePhase(w.ctx, w.staff(t), &ph); err != nil {
				t.Fatal(err)
			}
			return func() error { return w.store.RemovePhase(w.ctx, w.staff(t), w.c.ID, ph.ID) },
				func() int { return 1 - rows(t, w, "phases", "id = ?", ph.ID) }
		}},
		{"remove member", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			member := w.user(t, "anggota", forum.RoleParticipant)
			g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Warga RW 3"}
			if err := w.store.CreateFocusGroup(w.ctx, w.staff(t), g); err != nil {
				t.Fatal(err)
			}
			if err := w.store.SetMember(w.ctx, w.staff(t), g, member.User.ID, forum.MemberRole); err != nil {
				t.Fatal(err)
			}
			return func() error { return w.store.RemoveMember(w.ctx, w.staff(t), g, member.User.ID) },
				func() int {
					return rows(t, w, "focus_group_members", "focus_group_id = ? AND removed_at IS NOT NULL", g.ID)
				}
		}},
		{"update consultation", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			return func() error {
					c := *w.c
					return w.store.UpdateConsultation(w.ctx, w.staff(t), &c, forum.ConsultationInput{Title: "Judul baru sekali", Status: forum.StatusClosed})
				}, func() int {
					return rows(t, w, "consultations", "id = ? AND status = ?", w.c.ID, forum.StatusClosed)
				}
		}},
		{"create consultation", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			return func() error {
					_, err := w.store.CreateConsultation(w.ctx, w.staff(t), forum.ConsultationInput{Title: "Raperda pasar", Status: forum.StatusDraft})
					return err
				}, func() int {
					return rows(t, w, "consultations", "title = ?", "Raperda pasar")
				}
		}},
		{"create focus group", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			return func() error {
					return w.store.CreateFocusGroup(w.ctx, w.staff(t), &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Pedagang"})
				}, func() int {
					return rows(t, w, "focus_groups", "consultation_id = ?", w.c.ID)
				}
		}},
		{"invite", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Warga RW 3"}
			if err := w.store.CreateFocusGroup(w.ctx, w.staff(t), g); err != nil {
				t.Fatal(err)
			}
			return func() error {
					_, err := w.store.Invite(w.ctx, w.staff(t), g, time.Hour)
					return err
				}, func() int {
					return rows(t, w, "focus_group_invites", "focus_group_id = ?", g.ID)
				}
		}},
		{"accept invitation", "audit_log", func(t *testing.T, w *world) (func() error, func() int) {
			member := w.user(t, "anggota", forum.RoleParticipant)
			g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Warga RW 3"}
			if err := w.store.CreateFocusGroup(w.ctx, w.staff(t), g); err != nil {
				t.Fatal(err)
			}
			tok, err := w.store.Invite(w.ctx, w.staff(t), g, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return func() error {
					_, err := w.store.AcceptInvite(w.ctx, member.User, tok)
					return err
				}, func() int {
					return rows(t, w, "focus_group_members", "focus_group_id = ? AND user_id = ?", g.ID, member.User.ID)
				}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			if err := search.Migrate(w.ctx, w.db); err != nil {
				t.Fatal(err)
			}
			write, changed := tc.setup(t, w)
			before, audits := changed(), rows(t, w, "audit_log", "1 = 1")
			lift := refuseInserts(t, w, tc.refuse)
			if err := write(); err == nil {
				t.Fatalf("the write succeeded although %s refused its row", tc.refuse)
			}
			if n := changed(); n != before {
				t.Fatalf("a failed write left %d changed rows behind", n-before)
			}
			if n := rows(t, w, "audit_log", "1 = 1"); n != audits {
				t.Fatalf("a failed write left %d audit rows behind", n-audits)
			}
			lift()
			if err := write(); err != nil {
				t.Fatalf("the write fails without the refusal: %v", err)
			}
			if changed() <= before {
				t.Fatal("the write changed nothing")
			}
			if tc.refuse == "audit_log" && rows(t, w, "audit_log", "1 = 1") != audits+1 {
				t.Fatal("the write left no audit row")
			}
		})
	}
}

// TestStoreAccessChangeAfterCommit checks that the writes that can take a
// right away run the access-change hook once after their commit, and never
// when they fail.
func TestStoreAccessChangeAfterCommit(t *testing.T) {
	w := newWorld(t)
	var fired []int64
	w.store.OnAccessChange(func(_ context.Context, id int64) {
		// The hook runs after the commit: the change is readable outside
		// the write's transaction.
		if n := rows(t, w, "audit_log", "consultation_id = ?", id); n == 0 {
			t.Errorf("hook for %d ran before the audit row was committed", id)
		}
		fired = append(fired, id)
	})
	admin := w.staff(t)
	member := w.user(t, "anggota", forum.RoleParticipant)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Warga RW 3"}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	ph := &forum.Phase{ConsultationID: w.c.ID, Kind: "information", StartsAt: t0, EndsAt: t0.Add(time.Hour)}
	c := *w.c
	for _, step := range []struct {
		name  string
		write func() error
		fires bool
	}{
		{"create focus group", func() error {
			return w.store.CreateFocusGroup(w.ctx, admin, &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Lain"})
		}, false},
		{"set member", func() error { return w.store.SetMember(w.ctx, admin, g, member.User.ID, forum.MemberRole) }, true},
		{"remove member", func() error { return w.store.RemoveMember(w.ctx, admin, g, member.User.ID) }, true},
		{"schedule phase", func() error { return w.store.SchedulePhase(w.ctx, admin, ph) }, true},
		{"remove phase", func() error { return w.store.RemovePhase(w.ctx, admin, w.c.ID, ph.ID) }, true},
		{"remove missing phase", func() error { return w.store.RemovePhase(w.ctx, admin, w.c.ID, ph.ID) }, false},
		{"update consultation", func() error {
			return w.store.UpdateConsultation(w.ctx, admin, &c, forum.ConsultationInput{Title: c.Title, Status: forum.StatusDraft})
		}, true},
		{"update refused", func() error {
			return w.store.UpdateConsultation(w.ctx, member, &c, forum.ConsultationInput{Title: c.Title, Status: forum.StatusOpen})
		}, false},
		{"name consultation moderator", func() error {
			return w.store.SetConsultationRole(w.ctx, admin, w.c, member.User.ID, forum.ConsultationModerator, true)
		}, false},
		{"remove consultation moderator", func() error {
			return w.store.SetConsultationRole(w.ctx, admin, w.c, member.User.ID, forum.ConsultationModerator, false)
		}, true},
		{"remove unknown role", func() error {
			return w.store.SetConsultationRole(w.ctx, admin, w.c, member.User.ID, "owner", false)
		}, false},
		{"site role", func() error { return w.store.SetRole(w.ctx, admin, member.User.ID, forum.RoleAnalyst) }, true},
		{"site role refused", func() error { return w.store.SetRole(w.ctx, member, admin.User.ID, forum.RoleParticipant) }, false},
		{"site role back", func() error { return w.store.SetRole(w.ctx, admin, member.User.ID, forum.RoleParticipant) }, true},
		{"block in consultation", func() error {
			return w.store.Moderate(w.ctx, admin, forum.Target{Kind: forum.TargetUser, ID: member.ParticipantID}, w.c.ID, forum.ActionBlock, "spam")
		}, true},
		{"block without reason", func() error {
			return w.store.Moderate(w.ctx, admin, forum.Target{Kind: forum.TargetUser, ID: member.ParticipantID}, w.c.ID, forum.ActionBlock, "")
		}, false},
		{"block site-wide", func() error {
			return w.store.Moderate(w.ctx, admin, forum.Target{Kind: forum.TargetUser, ID: member.ParticipantID}, w.c.ID, forum.ActionBlockSite, "spam")
		}, true},
		{"block user site-wide", func() error { return w.store.SetUserBlocked(w.ctx, admin, member.User.ID, true, "spam") }, true},
		{"block self refused", func() error { return w.store.SetUserBlocked(w.ctx, admin, admin.User.ID, true, "spam") }, false},
	} {
		fired = nil
		err := step.write()
		want := []int64(nil)
		if step.fires {
			want = []int64{w.c.ID}
			if err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
		} else if err == nil && step.name != "create focus group" && step.name != "name consultation moderator" {
			t.Fatalf("%s succeeded", step.name)
		}
		if fmt.Sprint(fired) != fmt.Sprint(want) {
			t.Errorf("%s: hook ran for %v, want %v", step.name, fired, want)
		}
	}
}
