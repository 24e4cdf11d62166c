package polls_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// TestStatementOrderPerParticipant: each participant meets the visible
// statements they have not voted on in their own order, the same on every
// visit, different between participants; a visitor who has not voted yet
// starts with the oldest; hidden statements never come; after a vote the
// rest keep their order.
func TestStatementOrderPerParticipant(t *testing.T) {
	ctx := context.Background()
	db, c, stmts, ps := seed(t, 12, 3)
	walk := func(pid int64, vote bool) []int64 {
		t.Helper()
		var seen []int64
		for range stmts {
			s, left, err := polls.NextStatement(ctx, db, c.ID, pid)
			if err != nil {
				t.Fatal(err)
			}
			if s == nil {
				break
			}
			if left != 12-len(seen) {
				t.Fatalf("participant %d: %d remaining after %d votes", pid, left, len(seen))
			}
			seen = append(seen, s.ID)
			if !vote {
				break
			}
			if err := polls.NewStore(db, func() time.Time { return now }).CastVote(ctx, forum.GuestViewer(pid), c, s.ID, polls.Agree); err != nil {
				t.Fatal(err)
			}
		}
		return seen
	}
	if first := walk(0, false); len(first) != 1 || first[0] != stmts[0].ID {
		t.Fatalf("a new visitor starts with %v, want the oldest %d", first, stmts[0].ID)
	}
	a, b := walk(ps[0].ID, true), walk(ps[1].ID, true)
	if len(a) != 12 || len(b) != 12 || slices.Contains(a, stmts[12].ID) {
		t.Fatalf("walks %v %v (hidden %d)", a, b, stmts[12].ID)
	}
	if slices.Equal(a, b) {
		t.Fatalf("two participants got the same order %v", a)
	}
	// The order is a function of the ids: sorting the same statements for
	// the same participant again gives the walk.
	ids := slices.Clone(a)
	slices.Sort(ids)
	polls.OrderForParticipant(ids, ps[0].ID, func(int64) bool { return false })
	if !slices.Equal(ids, a) {
		t.Fatalf("order %v, walk %v", ids, a)
	}
	// Unvoted first: with the first three voted, they go last, the rest
	// keep their order.
	voted := map[int64]bool{a[0]: true, a[1]: true, a[2]: true}
	polls.OrderForParticipant(ids, ps[0].ID, func(id int64) bool { return voted[id] })
	if !slices.Equal(ids[:9], a[3:]) || !slices.Equal(ids[9:], a[:3]) {
		t.Fatalf("unvoted first: %v from %v", ids, a)
	}
}

// TestFirstForParticipantMatchesOrder: the one-pass first statement is the
// first of OrderForParticipant for visitors (pid 0) and participants, on
// ids in any order.
func TestFirstForParticipantMatchesOrder(t *testing.T) {
	ids := make([]int64, 0, 600)
	for i := int64(600); i > 0; i-- {
		ids = append(ids, i*7%601+1)
	}
	for pid := int64(0); pid < 200; pid++ {
		sorted := slices.Clone(ids)
		polls.OrderForParticipant(sorted, pid, func(int64) bool { return false })
		if got := polls.FirstForParticipant(ids, pid); got != sorted[0] {
			t.Fatalf("participant %d: first %d, order starts with %d", pid, got, sorted[0])
		}
	}
}
