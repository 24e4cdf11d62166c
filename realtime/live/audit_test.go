package live_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/realtime/live"
)

// TestModerationIsAudited checks that every moderator write of a live
// session commits together with its audit row: when the audit row cannot be
// written the change is rolled back, and otherwise the row names the
// moderator, the action, the item and the consultation. Participants'
// writes (asking, upvoting, answering) write no audit row.
func TestModerationIsAudited(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	pid := e.participant(t, "asker")
	q := e.ask(t, s, pid, "Kapan jalan diperbaiki?")
	p, err := e.svc.CreatePoll(ctx, e.staff, s, live.PollInput{Kind: live.KindRating, Question: "Puas?"})
	if err != nil {
		t.Fatal(err)
	}
	type write struct {
		name, action string
		target       int64
		run          func() error
		changed      func() string // the state the write changes
	}
	sessionState := func() string {
		got, err := e.svc.SessionByID(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmtState(got.Open, got.StageID != nil, got.Version)
	}
	questionState := func() string {
		x := e.question(t, q.ID)
		return fmtState(x.Status, x.Answered, x.Version)
	}
	pollState := func() string {
		var x live.Poll
		if err := e.db.NewSelect().Model(&x).Where("id = ?", p.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		return fmtState(x.State, x.Shown, x.Version)
	}
	sessions := func() string {
		n, err := e.db.NewSelect().Model((*live.Session)(nil)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmtState(n)
	}
	polls := func() string {
		n, err := e.db.NewSelect().Model((*live.Poll)(nil)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmtState(n)
	}
	var created int64
	writes := []write{
		{"create session", "live_session.create", 0, func() error {
			x, err := e.svc.CreateSession(ctx, e.staff, live.SessionInput{ConsultationID: e.c.ID, Title: "Sesi dua"})
			if err == nil {
				created = x.ID
			}
			return err
		}, sessions},
		{"hide", "live_question.hide", q.ID, func() error { return e.svc.Moderate(ctx, e.staff, s, q.ID, live.ActHide, "", 0) }, questionState},
		{"approve", "live_question.approve", q.ID, func() error { return e.svc.Moderate(ctx, e.staff, s, q.ID, live.ActApprove, "", 0) }, questionState},
		{"highlight", "live_question.highlight", q.ID, func() error { return e.svc.Moderate(ctx, e.staff, s, q.ID, live.ActHighlight, "", 0) }, sessionState},
		{"answered", "live_question.answered", q.ID, func() error { return e.svc.Moderate(ctx, e.staff, s, q.ID, live.ActAnswered, "", 0) }, questionState},
		{"create poll", "live_poll.create", 0, func() error {
			_, err := e.svc.CreatePoll(ctx, e.staff, s, live.PollInput{Kind: live.KindWords, Question: "Satu kata?"})
			return err
		}, polls},
		{"launch poll", "live_poll.launch", p.ID, func() error { return e.svc.PollAction(ctx, e.staff, s, p.ID, live.PollLaunch) }, pollState},
		{"end session", "live_session.end", s.ID, func() error { _, err := e.svc.SetOpen(ctx, e.staff, s.ID, false); return err }, sessionState},
	}
	for _, w := range writes {
		before := w.changed()
		audits := countAudit(t, e, "1 = 1")
		lift := storagetest.RefuseInserts(t, e.db, "audit_log")
		if err := w.run(); err == nil {
			t.Fatalf("%s: succeeded although its audit row was refused", w.name)
		}
		lift()
		if got := w.changed(); got != before {
			t.Fatalf("%s: a failed write changed %s to %s", w.name, before, got)
		}
		if n := countAudit(t, e, "1 = 1"); n != audits {
			t.Fatalf("%s: a failed write left %d audit rows", w.name, n-audits)
		}
		if err := w.run(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if w.changed() == before {
			t.Fatalf("%s: changed nothing", w.name)
		}
		target := w.target
		if w.name == "create session" {
			target = created
		}
		var last forum.AuditEntry
		if err := e.db.NewSelect().Model(&last).Order("id DESC").Limit(1).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if last.Action != w.action || last.ActorUserID != e.staff.User.ID || last.ConsultationID != e.c.ID || (target != 0 && last.TargetID != target) {
			t.Fatalf("%s: audit row %+v, want %s on %d by %d", w.name, last, w.action, target, e.staff.User.ID)
		}
		if n := countAudit(t, e, "1 = 1"); n != audits+1 {
			t.Fatalf("%s: %d audit rows written, want 1", w.name, n-audits)
		}
	}

	// The participants' hot path writes none.
	s2 := e.session(t, live.SessionInput{})
	p2, err := e.svc.CreatePoll(ctx, e.staff, s2, live.PollInput{Kind: live.KindRating, Question: "Nilai?"})
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.svc.PollAction(ctx, e.staff, s2, p2.ID, live.PollLaunch))
	audits := countAudit(t, e, "1 = 1")
	q2 := e.ask(t, s2, pid, "Pertanyaan kedua")
	if _, err := e.svc.Upvote(ctx, forum.GuestViewer(e.participant(t, "voter")), s2, q2.ID, true); err != nil {
		t.Fatal(err)
	}
	must(t, e.svc.AnswerPoll(ctx, forum.GuestViewer(pid), s2, p2.ID, live.Answer{Rating: 4}))
	if n := countAudit(t, e, "1 = 1"); n != audits {
		t.Fatalf("participants' writes left %d audit rows", n-audits)
	}
}

// TestAuditCodesAreKnown checks that AuditCodes lists the codes the writes
// use, so the audit log page has a label for each.
func TestAuditCodesAreKnown(t *testing.T) {
	actions, kinds := live.AuditCodes()
	for _, a := range []string{"live_session.create", "live_session.end", "live_question.merge", "live_poll.launch"} {
		if !slices.Contains(actions, a) {
			t.Errorf("AuditCodes lacks %q", a)
		}
	}
	if len(kinds) != 3 {
		t.Errorf("kinds %v", kinds)
	}
}

func countAudit(t *testing.T, e *env, where string, args ...any) int64 {
	t.Helper()
	n, err := e.db.NewSelect().Model((*forum.AuditEntry)(nil)).Where(where, args...).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fmtState joins a row's fields into one comparable string.
func fmtState(fields ...any) string { return fmt.Sprint(fields...) }
