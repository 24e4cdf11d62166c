package live_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// TestLiveWritesReadRightsAgain: asking, upvoting and answering a live
// poll are decided inside their transaction (the upvote's batch
// transaction for upvotes), with the rights read again there. A viewer
// loaded while they could take part is refused, and nothing is written,
// when before the write they were removed from the session's focus group
// (ErrNotFound), the phase moved on to one without live sessions, the
// consultation closed, or they were blocked in it (errs.Forbidden). In one
// group-committed burst, the upvotes of blocked guests are refused while
// the others commit. SQLite and PostgreSQL.
func TestLiveWritesReadRightsAgain(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	fs := forum.NewStore(e.db, e.clk.Now)
	admin := liveUser(t, e, "admin", forum.RoleAdmin)
	ani := liveUser(t, e, "ani", forum.RoleParticipant)

	// A focus group's session: its member takes part until removed.
	g := &forum.FocusGroup{ConsultationID: e.c.ID, Name: "Warga RT 3"}
	if err := fs.CreateFocusGroup(ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	if err := fs.SetMember(ctx, admin, g, ani.User.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	ani, err := forum.LoadViewer(ctx, e.db, ani.User, ani.ParticipantID)
	if err != nil {
		t.Fatal(err)
	}
	gs := e.session(t, live.SessionInput{FocusGroupID: &g.ID})
	gp := openPoll(t, e, gs)
	q, err := e.svc.Ask(ctx, ani, gs, "Ani", "Kapan jalan diperbaiki?", false)
	if err != nil {
		t.Fatalf("member asks: %v", err)
	}
	if _, err := e.svc.Upvote(ctx, ani, gs, q.ID, true); err != nil {
		t.Fatalf("member upvotes: %v", err)
	}
	if err := e.svc.AnswerPoll(ctx, ani, gs, gp.ID, live.Answer{Options: []int{0}}); err != nil {
		t.Fatalf("member answers: %v", err)
	}
	if err := fs.RemoveMember(ctx, admin, g, ani.User.ID); err != nil {
		t.Fatal(err)
	}
	refusedAll(t, e, "after removal from the group", errs.NotFound, ani, gs, q.ID, gp.ID, 1)

	// A public session: the phase, the consultation's status and blocks.
	s := e.session(t, live.SessionInput{})
	p := openPoll(t, e, s)
	budi := forum.GuestViewer(e.participant(t, "budi"))
	q2, err := e.svc.Ask(ctx, budi, s, "Budi", "Berapa anggarannya?", false)
	if err != nil {
		t.Fatalf("guest asks: %v", err)
	}
	if _, err := e.svc.Upvote(ctx, budi, s, q2.ID, true); err != nil {
		t.Fatalf("guest upvotes: %v", err)
	}
	if err := e.svc.AnswerPoll(ctx, budi, s, p.ID, live.Answer{Options: []int{0}}); err != nil {
		t.Fatalf("guest answers: %v", err)
	}

	// A burst of upvotes, half of them by guests blocked after their
	// page loaded: the writer commits them in batches and refuses the
	// blocked ones alone.
	voters := e.participants(t, 16)
	for i, pid := range voters {
		if i%2 == 1 {
			if err := fs.Moderate(ctx, admin, forum.Target{Kind: forum.TargetUser, ID: pid}, e.c.ID, forum.ActionBlock, "spam"); err != nil {
				t.Fatal(err)
			}
		}
	}
	var wg sync.WaitGroup
	results := make([]error, len(voters))
	for i, pid := range voters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = e.svc.Upvote(ctx, forum.GuestViewer(pid), s, q2.ID, true)
		}()
	}
	wg.Wait()
	for i, err := range results {
		if i%2 == 0 && err != nil {
			t.Fatalf("upvote %d of an allowed guest: %v", i, err)
		}
		if i%2 == 1 && errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("upvote %d of a blocked guest: %v, want forbidden", i, err)
		}
	}
	if got := e.question(t, q2.ID).Upvotes; got != 1+len(voters)/2 {
		t.Fatalf("%d upvotes stored, want %d (budi and the allowed guests)", got, 1+len(voters)/2)
	}

	if err := fs.SchedulePhase(ctx, admin, &forum.Phase{ConsultationID: e.c.ID, Kind: "information", Features: forum.FeatureComments,
		StartsAt: t0.Add(-time.Hour), EndsAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	refusedAll(t, e, "after the phase moved on to one without live sessions", errs.Forbidden, budi, s, q2.ID, p.ID, 1+len(voters)/2)
	closed := *e.c
	if err := fs.UpdateConsultation(ctx, admin, &closed, forum.ConsultationInput{Title: e.c.Title, Status: forum.StatusClosed}); err != nil {
		t.Fatal(err)
	}
	refusedAll(t, e, "after the consultation closed", errs.Forbidden, budi, s, q2.ID, p.ID, 1+len(voters)/2)
}

// openPoll creates and launches a single-choice poll in sess.
func openPoll(t *testing.T, e *env, sess *live.Session) *live.Poll {
	t.Helper()
	ctx := context.Background()
	p, err := e.svc.CreatePoll(ctx, e.staff, sess, live.PollInput{Kind: live.KindSingle, Question: "Prioritas?", Options: []string{"Jalan", "Taman"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.PollAction(ctx, e.staff, sess, p.ID, live.PollLaunch); err != nil {
		t.Fatal(err)
	}
	return p
}

// refusedAll checks that v may no longer ask in sess, take back their
// upvote of question qid nor change their answer to poll pid (errors of
// kind want), and that the question keeps upvotes upvotes, the session
// its questions and the poll its one answer by v.
func refusedAll(t *testing.T, e *env, when string, want errs.Kind, v forum.Viewer, sess *live.Session, qid, pid int64, upvotes int) {
	t.Helper()
	ctx := context.Background()
	before, err := e.db.NewSelect().Model((*live.Question)(nil)).Where("session_id = ?", sess.ID).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Ask(ctx, v, sess, "X", "Boleh tanya lagi?", false); errs.KindOf(err) != want {
		t.Fatalf("ask %s: %v, want kind %v", when, err, want)
	}
	if _, err := e.svc.Upvote(ctx, v, sess, qid, false); errs.KindOf(err) != want {
		t.Fatalf("upvote taken back %s: %v, want kind %v", when, err, want)
	}
	if err := e.svc.AnswerPoll(ctx, v, sess, pid, live.Answer{Options: []int{1}}); errs.KindOf(err) != want {
		t.Fatalf("poll answer %s: %v, want kind %v", when, err, want)
	}
	after, err := e.db.NewSelect().Model((*live.Question)(nil)).Where("session_id = ?", sess.ID).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var answer string
	if err := e.db.NewSelect().Table("live_poll_answers").Column("answer").Where("poll_id = ? AND participant_id = ?", pid, v.ParticipantID).
		Scan(ctx, &answer); err != nil {
		t.Fatal(err)
	}
	if got := e.question(t, qid).Upvotes; got != upvotes || after != before || answer != `{"options":[0]}` {
		t.Fatalf("%s: %d upvotes (want %d), %d questions (had %d), answer %s: a refused write was stored", when, got, upvotes, after, before, answer)
	}
}
