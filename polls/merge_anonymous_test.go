package polls_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

// TestMergeKeepsAnonymousAnswersUnlinked: a guest answers an anonymous
// survey, in the pool and in a written batch, then signs in to an account
// (MergeResponses). The merge moves the "has answered" mark to the account
// and nothing else: no response, pooled or written, gains a participant,
// a time or a new row, so the merge gives a copy of the database nothing
// to pair an answer with its account.
func TestMergeKeepsAnonymousAnswersUnlinked(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{Anonymous: true}, textQ())
	st := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) })
	guest, account := mustParticipant(t, db, 1), mustParticipant(t, db, 100)
	for i := 1; i <= polls.AnonymousBatch+2; i++ { // one batch written, two waiting
		if _, err := st.Submit(ctx, forum.GuestViewer(mustParticipant(t, db, i)), s, qs, polls.Answers{"t": {Text: fmt.Sprint("jawaban ", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	snapshot := func() string {
		var rows []struct {
			ID, Answers string
			PID         int64 `bun:"participant_id"`
		}
		if err := db.NewRaw(`SELECT id, answers, COALESCE(participant_id, 0) AS participant_id FROM survey_responses
			UNION ALL SELECT id, answers, 0 FROM survey_response_pool ORDER BY id`).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(rows)
	}
	before := snapshot()
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return polls.MergeResponses(ctx, tx, guest, account)
	}); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(); after != before {
		t.Fatalf("the merge changed anonymous responses:\nbefore %s\nafter  %s", before, after)
	}
	if ok, _ := polls.HasAnswered(ctx, db, s.ID, account); !ok {
		t.Fatal("the account may answer again: the guest's mark did not move")
	}
	if ok, _ := polls.HasAnswered(ctx, db, s.ID, guest); ok {
		t.Fatal("the guest's mark stayed")
	}
}
