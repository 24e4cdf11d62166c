package live_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

func TestModerationTransitions(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{Premoderate: true})
	pid := e.participant(t, "a")
	tests := []struct {
		name    string
		action  string
		text    string
		want    string // status after, or "" when the action fails
		onStage bool
		answer  bool
	}{
		{name: "pending cannot go on stage", action: live.ActHighlight},
		{name: "approve pending", action: live.ActApprove, want: live.StatusApproved},
		{name: "approve twice fails", action: live.ActApprove},
		{name: "highlight approved", action: live.ActHighlight, want: live.StatusApproved, onStage: true},
		{name: "edit a typo keeps the stage", action: live.ActEdit, text: "Kapan jalan diperbaiki?", want: live.StatusApproved, onStage: true},
		{name: "empty edit fails", action: live.ActEdit, text: "  "},
		{name: "answered leaves the stage", action: live.ActAnswered, want: live.StatusApproved, answer: true},
		{name: "answered twice fails", action: live.ActAnswered},
		{name: "reopen", action: live.ActReopen, want: live.StatusApproved},
		{name: "highlight again", action: live.ActHighlight, want: live.StatusApproved, onStage: true},
		{name: "hide leaves the stage", action: live.ActHide, want: live.StatusHidden},
		{name: "lower when not on stage fails", action: live.ActLower},
		{name: "approve hidden", action: live.ActApprove, want: live.StatusApproved},
		{name: "archive", action: live.ActArchive, want: live.StatusArchived},
		{name: "archive twice fails", action: live.ActArchive},
		{name: "unknown action fails", action: "explode"},
	}
	q := e.ask(t, s, pid, "Kapan jalan diperbaki?")
	if q.Status != live.StatusPending {
		t.Fatalf("premoderated question status %q", q.Status)
	}
	version := q.Version
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := e.svc.Moderate(ctx, e.staff, s, q.ID, tc.action, tc.text, 0)
			got := e.question(t, q.ID)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("%s succeeded, want an error", tc.action)
				}
				if got.Version != version {
					t.Fatalf("failed action changed version %d → %d", version, got.Version)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.action, err)
			}
			sess, _ := e.svc.SessionByID(ctx, s.ID)
			onStage := sess.StageID != nil && *sess.StageID == q.ID
			if got.Status != tc.want || onStage != tc.onStage || got.Answered != tc.answer {
				t.Fatalf("after %s: status %q stage %v answered %v; want %q %v %v", tc.action, got.Status, onStage, got.Answered, tc.want, tc.onStage, tc.answer)
			}
			if tc.text != "" && got.Text != tc.text {
				t.Fatalf("text %q", got.Text)
			}
			if (got.AnsweredAt != nil) != got.Answered {
				t.Fatalf("after %s: answered %v but answered_at %v", tc.action, got.Answered, got.AnsweredAt)
			}
			version = got.Version
		})
	}
}

func TestHighlightOneAtATime(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	a := e.ask(t, s, e.participant(t, "a"), "Satu")
	b := e.ask(t, s, e.participant(t, "b"), "Dua")
	for _, id := range []int64{a.ID, b.ID} {
		if err := e.svc.Moderate(ctx, e.staff, s, id, live.ActHighlight, "", 0); err != nil {
			t.Fatal(err)
		}
	}
	st, err := e.svc.LoadState(ctx, s.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stage() == nil || st.Stage().ID != b.ID {
		t.Fatalf("stage = %+v, want question %d", st.Stage(), b.ID)
	}
	if top := st.Top(10); len(top) != 1 || top[0].ID != a.ID {
		t.Fatalf("top = %v, want only the question off stage", top)
	}
}

func TestUpvoteTakeBackAndMerge(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 4)
	dup := e.ask(t, s, ps[0], "Kapan pasar dibuka?")
	orig := e.ask(t, s, ps[1], "Pasar dibuka kapan?")
	up := func(q *live.Question, pid int64, on bool) {
		t.Helper()
		if _, err := e.svc.Upvote(ctx, forum.GuestViewer(pid), s, q.ID, on); err != nil {
			t.Fatal(err)
		}
	}
	up(dup, ps[0], true)
	up(dup, ps[0], true) // twice counts once
	up(dup, ps[1], true)
	up(dup, ps[2], true)
	up(dup, ps[2], false) // taken back
	up(dup, ps[2], false)
	up(orig, ps[1], true) // ps[1] upvoted both: counts once after the merge
	up(orig, ps[3], true)
	if got := e.question(t, dup.ID).Upvotes; got != 2 {
		t.Fatalf("duplicate has %d upvotes, want 2", got)
	}
	if err := e.svc.Moderate(ctx, e.staff, s, dup.ID, live.ActMerge, "", orig.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.question(t, orig.ID); got.Upvotes != 3 {
		t.Fatalf("merged target has %d upvotes, want 3 (ps0, ps1, ps3)", got.Upvotes)
	}
	d := e.question(t, dup.ID)
	if d.Status != live.StatusMerged || d.MergedInto == nil || *d.MergedInto != orig.ID || d.Upvotes != 0 {
		t.Fatalf("merged question: %+v", d)
	}
	mine, err := e.svc.MineOf(ctx, s.ID, ps[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Upvoted) != 1 || mine.Upvoted[0] != orig.ID {
		t.Fatalf("ps0's upvotes after merge: %v, want [%d]", mine.Upvoted, orig.ID)
	}
	if err := e.svc.Moderate(ctx, e.staff, s, orig.ID, live.ActMerge, "", orig.ID); err == nil {
		t.Fatal("merging a question into itself succeeded")
	}
	if _, err := e.svc.Upvote(ctx, forum.GuestViewer(ps[3]), s, dup.ID, true); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("upvote of a merged question: %v, want not found", err)
	}
}

func TestManyUpvotersExactCount(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 60)
	q := e.ask(t, s, ps[0], "Berapa anggaran taman?")
	var wg sync.WaitGroup
	for i, pid := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 3 { // on, on, and for odd voters off
				on := k < 2 || i%2 == 0
				if _, err := e.svc.Upvote(ctx, forum.GuestViewer(pid), s, q.ID, on); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if got := e.question(t, q.ID).Upvotes; got != 30 {
		t.Fatalf("upvotes = %d, want 30", got)
	}
	n, err := e.db.NewSelect().Table("live_upvotes").Where("question_id = ?", q.ID).Count(ctx)
	if err != nil || n != 30 {
		t.Fatalf("upvote rows = %d (%v), want 30", n, err)
	}
}

func TestAskRules(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{PerMinute: 2})
	pid := e.participant(t, "a")
	for i := range 2 {
		if _, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "Sari", "Pertanyaan", false); err != nil {
			t.Fatalf("question %d: %v", i, err)
		}
	}
	_, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "Sari", "Satu lagi", false)
	var fe *errs.Error
	if !asForum(err, &fe) || fe.Key != live.RateLimitKey || fe.Kind != errs.RateLimited || fe.Data["Count"] != 2 || errs.RetryAfter(err) != 60 {
		t.Fatalf("third question in a minute: %v, want the rate limit", err)
	}
	e.clk.now = e.clk.now.Add(61 * time.Second)
	if _, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "Sari", "Satu lagi", false); err != nil {
		t.Fatalf("after a minute: %v", err)
	}
	if _, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "", "Rahasia", true); err != live.ErrAnonymous {
		t.Fatalf("anonymous in a session without it: %v", err)
	}
	if _, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "", "   ", false); err != live.ErrText {
		t.Fatalf("empty question: %v", err)
	}
	for _, bad := range []string{"Kapan\x00jalan diperbaiki?", "Kapan \xff jalan diperbaiki?"} {
		if _, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "", bad, false); err != live.ErrText {
			t.Fatalf("question %q: %v, want ErrText (a 400, not a database error)", bad, err)
		}
	}
	if q, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "Sa\x00ri\xff", "Nama aneh", false); err != nil || q.AuthorName != "Sari" {
		t.Fatalf("name with a NUL byte: %v %+v", err, q)
	}
	if _, err := e.svc.SetOpen(ctx, e.staff, s.ID, false); err != nil {
		t.Fatal(err)
	}
	e.clk.now = e.clk.now.Add(time.Hour)
	if _, err := e.svc.Ask(ctx, forum.GuestViewer(pid), s, "Sari", "Terlambat", false); err != live.ErrClosed {
		t.Fatalf("question in a closed session: %v", err)
	}
	got, err := e.svc.SessionByCode(ctx, " "+s.Code[:3]+"-"+s.Code[3:]+" ")
	if err != nil || got.ID != s.ID || got.Open {
		t.Fatalf("by code: %+v %v", got, err)
	}
}

func asForum(err error, fe **errs.Error) bool {
	e, ok := err.(*errs.Error)
	*fe = e
	return ok
}

// TestAskLimitUnderConcurrency sends 20 questions of one participant at
// once to a session that takes 3 a minute: exactly 3 are stored and the
// other 17 are refused as rate limited, on both databases (the count and
// the insert are one transaction that holds the participant's row).
func TestAskLimitUnderConcurrency(t *testing.T) {
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{PerMinute: 3})
	pid := e.participant(t, "cepat")
	const n = 20
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = e.svc.Ask(context.Background(), forum.GuestViewer(pid), s, "Sari", fmt.Sprintf("Pertanyaan nomor %d", i), false)
		}()
	}
	wg.Wait()
	stored, limited := 0, 0
	for _, err := range results {
		switch {
		case err == nil:
			stored++
		case errs.KindOf(err) == errs.RateLimited:
			limited++
		default:
			t.Errorf("ask: %v", err)
		}
	}
	rows, err := e.db.NewSelect().Model((*live.Question)(nil)).Where("session_id = ? AND participant_id = ?", s.ID, pid).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stored != 3 || limited != n-3 || rows != 3 {
		t.Fatalf("stored %d, limited %d, %d rows; want 3, %d, 3", stored, limited, rows, n-3)
	}
}
