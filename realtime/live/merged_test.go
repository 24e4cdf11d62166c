package live_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

// TestMergedRecountsOpenPages: a guest and an account both upvoted a
// question (an open page shows 2). The guest signs in as that account, the
// merge keeps one upvote, and Service.Merged must bring the open page down
// to 1 instead of leaving it at the doubled count.
func TestMergedRecountsOpenPages(t *testing.T) {
	ctx := context.Background()
	b := realtime.NewMemoryBroker(realtime.HistoryOptions{})
	var e *env
	n := startNode(t, b, func(ctx context.Context, ch string) (json.RawMessage, error) { return e.svc.Snapshot(ctx, ch) })
	e = newEnv(t, n.hub)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 3) // the guest, the account, someone else
	q := e.ask(t, s, ps[2], "Kapan jalan diperbaiki?")
	for _, p := range ps[:2] {
		if _, err := e.svc.Upvote(ctx, forum.GuestViewer(p), s, q.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	c, v := n.dial(t, live.Channel(s.ID, false), "other", nil), newView()
	until(t, c, v, "the count of 2", func() bool { return v.questions[q.ID].Upvotes == 2 })
	for quiet := time.Now().Add(300 * time.Millisecond); time.Now().Before(quiet); { // the upvotes' own events
		if m, ok := read(t, c, 50*time.Millisecond); ok {
			v.apply(t, m)
		}
	}
	if err := e.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return live.MergeParticipant(ctx, tx, ps[0], ps[1])
	}); err != nil {
		t.Fatal(err)
	}
	e.svc.Merged(ctx, ps[1])
	until(t, c, v, "the count of 1 after the merge", func() bool { return v.questions[q.ID].Upvotes == 1 })
}
