package polls_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
)

// TestAnonymousBatchFollowsK is the differencing attack on a site with
// k = 8: an observer reads the results after every answer of an anonymous
// survey and looks at what changed. No two reads may differ by fewer than
// k responses, so no change can be pinned on fewer than k people.
func TestAnonymousBatchFollowsK(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{Anonymous: true}, textQ())
	const k = 8
	st := polls.NewStoreWith(db, func() time.Time { return t0.Add(time.Hour) }, polls.Options{Batch: k})
	last := 0
	for i := 0; i < 3*k+2; i++ {
		if _, err := st.Submit(ctx, forum.GuestViewer(mustParticipant(t, db, i+1)), s, qs, polls.Answers{"t": {Text: fmt.Sprint("jawaban ", i)}}); err != nil {
			t.Fatal(err)
		}
		seen, err := polls.AllAnswers(ctx, db, s, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if d := len(seen) - last; d != 0 && d < k {
			t.Fatalf("after answer %d the results moved by %d responses, fewer than k = %d", i+1, d, k)
		}
		last = len(seen)
	}
	if last != 3*k {
		t.Fatalf("%d responses visible while open, want %d", last, 3*k)
	}
}

// TestAnonymousBatchFailureLogged: while responses cannot be written, every
// answer is still accepted into the pool, the failure is logged (with the
// survey and how many wait, never an answer's text), and the next flush
// after the fault writes them all; nothing is lost or doubled.
func TestAnonymousBatchFailureLogged(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{Anonymous: true}, textQ())
	var logs bytes.Buffer
	st := polls.NewStoreWith(db, func() time.Time { return t0.Add(time.Hour) }, polls.Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
	submit := func(i int) {
		t.Helper()
		if _, err := st.Submit(ctx, forum.GuestViewer(mustParticipant(t, db, i)), s, qs, polls.Answers{"t": {Text: fmt.Sprint("rahasia-", i)}}); err != nil {
			t.Fatalf("answer %d refused while the batch write fails: %v", i, err)
		}
	}
	lift := storagetest.RefuseInserts(t, db, "survey_responses")
	for i := 1; i <= polls.AnonymousBatch; i++ {
		submit(i)
	}
	out := logs.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "batch not written") ||
		!strings.Contains(out, fmt.Sprintf("survey=%d", s.ID)) || !strings.Contains(out, fmt.Sprintf("waiting=%d", polls.AnonymousBatch)) {
		t.Fatalf("the failed batch was not logged:\n%s", out)
	}
	if strings.Contains(out, "rahasia") {
		t.Fatalf("the log holds an answer:\n%s", out)
	}
	lift()
	submit(polls.AnonymousBatch + 1)
	seen, err := polls.AllAnswers(ctx, db, s, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var pooled int
	if err := db.NewRaw(`SELECT COUNT(*) FROM survey_response_pool`).Scan(ctx, &pooled); err != nil {
		t.Fatal(err)
	}
	if len(seen) != polls.AnonymousBatch+1 || pooled != 0 {
		t.Fatalf("after the fault: %d written, %d pooled; want %d and 0", len(seen), pooled, polls.AnonymousBatch+1)
	}
}
