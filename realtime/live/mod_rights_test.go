package live_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// staffWrite is one moderator write of the live Service: prep makes what it
// acts on (by the env's moderator) and returns the write, made by v.
type staffWrite struct {
	name string
	prep func(t *testing.T) func(v forum.Viewer) error
}

// TestLiveStaffWritesReadRightsAgain: every staff write of the live
// Service (moderating a question in each way, creating a poll and running
// it, creating, ending and reopening a session) decides the moderator's
// right inside its own transaction, with roles and per-consultation
// moderators read again there. A per-consultation moderator removed, and a
// global moderator demoted, after their viewer was loaded (while the
// access rule still let them moderate the session) are refused with
// errs.Forbidden, and nothing is written: no session, question or poll
// changes and no audit row. A moderator of another consultation is
// refused; an admin is allowed. One sub-test per write. SQLite and
// PostgreSQL.
func TestLiveStaffWritesReadRightsAgain(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	fs := forum.NewStore(e.db, e.clk.Now)
	admin := liveUser(t, e, "admin", forum.RoleAdmin)
	other := &forum.Consultation{Title: "Musrenbang kelurahan", Source: "test", SourceKey: "m2"}
	if err := forum.UpsertImportedConsultation(ctx, e.db, other, t0); err != nil {
		t.Fatal(err)
	}
	there := liveUser(t, e, "there", forum.RoleParticipant)
	if err := fs.AddModerator(ctx, other.ID, there.User.ID); err != nil {
		t.Fatal(err)
	}
	there = e.reload(t, there)

	s := e.session(t, live.SessionInput{})
	ask := func(t *testing.T, text string) *live.Question {
		return e.ask(t, s, e.participant(t, text), text)
	}
	mod := func(t *testing.T, q *live.Question, action string) {
		t.Helper()
		if err := e.svc.Moderate(ctx, e.staff, s, q.ID, action, "", 0); err != nil {
			t.Fatal(err)
		}
	}
	poll := func(t *testing.T, actions ...string) *live.Poll {
		t.Helper()
		p, err := e.svc.CreatePoll(ctx, e.staff, s, live.PollInput{Kind: live.KindRating, Question: "Puas?"})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if err := e.svc.PollAction(ctx, e.staff, s, p.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	moderate := func(action string, setup ...string) staffWrite {
		return staffWrite{action, func(t *testing.T) func(forum.Viewer) error {
			q := ask(t, "Kapan jalan diperbaiki? "+action)
			for _, a := range setup {
				mod(t, q, a)
			}
			into := int64(0)
			if action == live.ActMerge {
				into = ask(t, "Jalan kapan diperbaiki? "+action).ID
			}
			return func(v forum.Viewer) error {
				return e.svc.Moderate(ctx, v, s, q.ID, action, "Kapan jalan kami diperbaiki?", into)
			}
		}}
	}
	pollAction := func(action string, setup ...string) staffWrite {
		return staffWrite{"poll " + action, func(t *testing.T) func(forum.Viewer) error {
			p := poll(t, setup...)
			return func(v forum.Viewer) error { return e.svc.PollAction(ctx, v, s, p.ID, action) }
		}}
	}
	writes := []staffWrite{
		moderate(live.ActApprove, live.ActHide),
		moderate(live.ActHide),
		moderate(live.ActHighlight),
		moderate(live.ActLower, live.ActHighlight),
		moderate(live.ActAnswered),
		moderate(live.ActReopen, live.ActAnswered),
		moderate(live.ActArchive),
		moderate(live.ActEdit),
		moderate(live.ActMerge),
		{"poll create", func(t *testing.T) func(forum.Viewer) error {
			return func(v forum.Viewer) error {
				_, err := e.svc.CreatePoll(ctx, v, s, live.PollInput{Kind: live.KindWords, Question: "Satu kata?"})
				return err
			}
		}},
		pollAction(live.PollLaunch),
		pollAction(live.PollClose, live.PollLaunch),
		pollAction(live.PollShow, live.PollLaunch, live.PollClose, live.PollHide),
		pollAction(live.PollHide, live.PollLaunch),
		{"session create", func(t *testing.T) func(forum.Viewer) error {
			return func(v forum.Viewer) error {
				_, err := e.svc.CreateSession(ctx, v, live.SessionInput{ConsultationID: e.c.ID, Title: "Sesi dua"})
				return err
			}
		}},
		{"session end", func(t *testing.T) func(forum.Viewer) error {
			x := e.session(t, live.SessionInput{Title: "Sesi diakhiri"})
			return func(v forum.Viewer) error { _, err := e.svc.SetOpen(ctx, v, x.ID, false); return err }
		}},
		{"session reopen", func(t *testing.T) func(forum.Viewer) error {
			x := e.session(t, live.SessionInput{Title: "Sesi dibuka lagi"})
			if _, err := e.svc.SetOpen(ctx, e.staff, x.ID, false); err != nil {
				t.Fatal(err)
			}
			return func(v forum.Viewer) error { _, err := e.svc.SetOpen(ctx, v, x.ID, true); return err }
		}},
	}
	for i, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			// Both are loaded while they moderate the session; their
			// right is taken away before the write.
			removed := liveUser(t, e, fmt.Sprintf("removed%d", i), forum.RoleParticipant)
			if err := fs.AddModerator(ctx, e.c.ID, removed.User.ID); err != nil {
				t.Fatal(err)
			}
			removed = e.reload(t, removed)
			demoted := liveUser(t, e, fmt.Sprintf("demoted%d", i), forum.RoleModerator)
			for _, v := range []forum.Viewer{removed, demoted} {
				if err := e.svc.Authorize(ctx, v, forum.ActModerate, s); err != nil {
					t.Fatalf("user %d does not moderate the session before the change: %v", v.User.ID, err)
				}
			}
			if err := fs.SetConsultationRole(ctx, admin, e.c, removed.User.ID, forum.ConsultationModerator, false); err != nil {
				t.Fatal(err)
			}
			if err := fs.SetRole(ctx, admin, demoted.User.ID, forum.RoleParticipant); err != nil {
				t.Fatal(err)
			}
			do := w.prep(t)
			for _, who := range []struct {
				name string
				v    forum.Viewer
			}{{"removed consultation moderator", removed}, {"demoted moderator", demoted}, {"moderator of another consultation", there}} {
				before := liveRows(t, e)
				if err := do(who.v); errs.KindOf(err) != errs.Forbidden {
					t.Fatalf("%s: err = %v, want forbidden", who.name, err)
				}
				if after := liveRows(t, e); after != before {
					t.Fatalf("%s: a refused write changed %s to %s", who.name, before, after)
				}
			}
			audits := countAudit(t, e, "actor_user_id = ?", admin.User.ID)
			if err := do(admin); err != nil {
				t.Fatalf("admin: %v", err)
			}
			if n := countAudit(t, e, "actor_user_id = ?", admin.User.ID); n != audits+1 {
				t.Fatalf("admin's write left %d audit rows, want 1", n-audits)
			}
		})
	}
}

// liveRows sums up what a live write changes: the number of sessions,
// questions and polls and their versions (every change bumps one), and
// the audit rows.
func liveRows(t *testing.T, e *env) string {
	t.Helper()
	out := ""
	for _, table := range []string{"live_sessions", "live_questions", "live_polls"} {
		var n, v int64
		if err := e.db.NewRaw("SELECT count(*), coalesce(sum(version), 0) FROM "+table).Scan(context.Background(), &n, &v); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s %d/%d, ", table, n, v)
	}
	return out + fmt.Sprintf("audit %d", countAudit(t, e, "1 = 1"))
}
