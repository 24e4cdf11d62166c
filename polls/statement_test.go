package polls_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// seed makes a consultation with n visible statements and one hidden one,
// and p participants.
func seed(t *testing.T, n, p int) (*bun.DB, *forum.Consultation, []polls.Statement, []*forum.Participant) {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := polls.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	c := &forum.Consultation{Title: "Uji", Source: "test", SourceKey: "uji"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, now); err != nil {
		t.Fatal(err)
	}
	stmts := make([]polls.Statement, n+1)
	for i := range stmts {
		stmts[i] = polls.Statement{ConsultationID: c.ID, SourceKey: fmt.Sprint(i), Text: fmt.Sprint("pernyataan ", i),
			Hidden: i == n, CreatedAt: now.Add(time.Duration(i) * time.Second)}
	}
	if _, err := db.NewInsert().Model(&stmts).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	ps := make([]*forum.Participant, p)
	for i := range ps {
		var err error
		if ps[i], err = forum.EnsureParticipant(ctx, db, forum.ParticipantGuest, forum.ParticipantGuest, fmt.Sprint("v", i), now); err != nil {
			t.Fatal(err)
		}
	}
	return db, c, stmts, ps
}

// checkCounters compares the kept counters with a count of the votes.
func checkCounters(t *testing.T, db *bun.DB, cid int64) polls.Counts {
	t.Helper()
	ctx := context.Background()
	kept, err := polls.Tallies(ctx, db, cid)
	if err != nil {
		t.Fatal(err)
	}
	before, err := polls.CountsFor(ctx, db, []int64{cid})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return polls.Recount(ctx, tx, cid) }); err != nil {
		t.Fatal(err)
	}
	fresh, _ := polls.Tallies(ctx, db, cid)
	after, _ := polls.CountsFor(ctx, db, []int64{cid})
	for i := range kept {
		if kept[i] != fresh[i] {
			t.Fatalf("statement %d: kept %+v, counted %+v", kept[i].ID, kept[i], fresh[i])
		}
	}
	if before[cid] != after[cid] {
		t.Fatalf("consultation counts: kept %+v, counted %+v", before[cid], after[cid])
	}
	return after[cid]
}

func TestCastVoteKeepsCountersExact(t *testing.T) {
	db, c, stmts, ps := seed(t, 3, 12)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for pi, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 4; round++ {
				for si := 0; si < 3; si++ {
					v := int8((pi+si+round)%3 - 1)
					if err := polls.NewStore(db, func() time.Time { return now }).CastVote(ctx, forum.GuestViewer(p.ID), c, stmts[si].ID, v); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := checkCounters(t, db, c.ID)
	if got != (polls.Counts{Statements: 3, Participants: 12, Votes: 36}) {
		t.Fatalf("counts = %+v", got)
	}
}

func TestCastVoteParallelSamePair(t *testing.T) {
	db, c, stmts, ps := seed(t, 1, 1)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := polls.NewStore(db, func() time.Time { return now }).CastVote(ctx, forum.GuestViewer(ps[0].ID), c, stmts[0].ID, int8(i%3-1)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := checkCounters(t, db, c.ID); got.Votes != 1 || got.Participants != 1 {
		t.Fatalf("20 parallel votes by one participant counted as %+v", got)
	}
}

func TestCastVoteRefusals(t *testing.T) {
	db, c, stmts, ps := seed(t, 1, 1)
	ctx := context.Background()
	cases := []struct {
		name string
		sid  int64
		v    int8
		kind errs.Kind
	}{
		{"hidden statement", stmts[1].ID, polls.Agree, errs.NotFound},
		{"missing statement", 999999, polls.Agree, errs.NotFound},
		{"bad value", stmts[0].ID, 2, errs.Invalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := polls.NewStore(db, func() time.Time { return now }).CastVote(ctx, forum.GuestViewer(ps[0].ID), c, tc.sid, tc.v)
			if errs.KindOf(err) != tc.kind {
				t.Fatalf("err = %v, want kind %v", err, tc.kind)
			}
		})
	}
	if got := checkCounters(t, db, c.ID); got.Votes != 0 {
		t.Fatalf("refused votes were counted: %+v", got)
	}
}
