package polls_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

// TestMergeVotesCountsOnce moves a guest's votes into an account that had
// already voted on one of the same statements: the account's vote wins,
// the guest's other votes move, and every counter stays exact.
func TestMergeVotesCountsOnce(t *testing.T) {
	ctx := context.Background()
	db, c, st, ps := seed(t, 3, 2)
	guest, other := ps[0], ps[1]
	u := &forum.User{DisplayName: "Akun", Email: "akun@contoh.test"}
	if err := forumtest.CreateUser(ctx, db, u, now); err != nil {
		t.Fatal(err)
	}
	acct, err := forum.UserParticipant(ctx, db, u, now)
	if err != nil {
		t.Fatal(err)
	}
	votes := []struct {
		p   int64
		sid int64
		v   int8
	}{
		{guest.ID, st[0].ID, polls.Agree},
		{guest.ID, st[1].ID, polls.Disagree},
		{acct.ID, st[0].ID, polls.Disagree},
		{other.ID, st[0].ID, polls.Agree},
	}
	for _, v := range votes {
		if err := polls.NewStore(db, func() time.Time { return now }).CastVote(ctx, forum.GuestViewer(v.p), c, v.sid, v.v); err != nil {
			t.Fatal(err)
		}
	}
	before := checkCounters(t, db, c.ID)
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return forum.MergeParticipant(ctx, tx, guest.ID, acct.ID, polls.MergeVotes)
	})
	if err != nil {
		t.Fatal(err)
	}
	after := checkCounters(t, db, c.ID)
	if before.Participants != 3 || after.Participants != 2 || after.Votes != 3 {
		t.Fatalf("counts before %+v, after %+v; want 3 then 2 participants and 3 votes", before, after)
	}
	mine, err := polls.VotesOf(ctx, db, c.ID, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 2 || mine[st[0].ID] != polls.Disagree || mine[st[1].ID] != polls.Disagree {
		t.Fatalf("account votes after merge: %v", mine)
	}
	left, _ := polls.VotesOf(ctx, db, c.ID, guest.ID)
	if len(left) != 0 {
		t.Fatalf("guest kept votes: %v", left)
	}
	ts, _ := polls.Tallies(ctx, db, c.ID)
	if ts[0].Agree != 1 || ts[0].Disagree != 1 || ts[1].Disagree != 1 {
		t.Fatalf("tallies after merge: %+v", ts)
	}
	export, err := polls.ParticipantVotes(ctx, db, acct.ID)
	if err != nil || len(export) != 2 || export[0].Consultation != "Uji" {
		t.Fatalf("participant votes: %+v %v", export, err)
	}
}
