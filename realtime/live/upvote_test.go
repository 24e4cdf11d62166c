package live_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime/live"
)

// TestUpvoteBatchIsolatesFailure sends many upvotes at once, one of them by
// a participant that does not exist (a foreign key violation): the writer
// commits them in batches, and the bad one fails alone.
func TestUpvoteBatchIsolatesFailure(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 40)
	q := e.ask(t, s, ps[0], "Kapan jembatan selesai?")
	const ghost = int64(1 << 40)
	var wg sync.WaitGroup
	var ok atomic.Int32
	errs := make(chan error, len(ps)+1)
	for _, pid := range append(ps, ghost) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			changed, err := e.svc.Upvote(ctx, forum.GuestViewer(pid), s, q.ID, true)
			switch {
			case pid == ghost && err == nil:
				errs <- errors.New("the upvote of a missing participant was accepted")
			case pid != ghost && (err != nil || !changed):
				errs <- err
			case pid != ghost:
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("upvote: %v", err)
	}
	if got := e.question(t, q.ID); got.Upvotes != len(ps) || int(ok.Load()) != len(ps) {
		t.Fatalf("stored %d upvotes, %d acknowledged, want %d", got.Upvotes, ok.Load(), len(ps))
	}
}

// TestUpvoteAcknowledgedSurvivesClose closes the Service while upvotes
// are in flight: every acknowledged upvote is stored, and none twice.
func TestUpvoteAcknowledgedSurvivesClose(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 80)
	q := e.ask(t, s, ps[0], "Berapa lama antrean puskesmas?")
	var wg sync.WaitGroup
	var acked atomic.Int32
	start := make(chan struct{})
	for _, pid := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if changed, err := e.svc.Upvote(ctx, forum.GuestViewer(pid), s, q.ID, true); err == nil && changed {
				acked.Add(1)
			}
		}()
	}
	close(start)
	_ = e.svc.Close()
	wg.Wait()
	got := e.question(t, q.ID).Upvotes
	rows, err := e.db.NewSelect().Table("live_upvotes").Where("question_id = ?", q.ID).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != int(acked.Load()) || rows != int64(acked.Load()) {
		t.Fatalf("%d acknowledged, %d counted, %d rows", acked.Load(), got, rows)
	}
}

// TestUpvoteSeesOtherNodeWithinTTL closes the session through a second
// Service on the same database (another node): this node refuses upvotes
// once its cached session state is older than the TTL.
func TestUpvoteSeesOtherNodeWithinTTL(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 2)
	q := e.ask(t, s, ps[0], "Siapa penanggung jawabnya?")
	a := live.NewService(e.db, nil, live.Options{CacheTTL: 30 * time.Millisecond})
	t.Cleanup(func() { _ = a.Close() })
	if _, err := a.Upvote(ctx, forum.GuestViewer(ps[0]), s, q.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetOpen(ctx, e.staff, s.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Upvote(ctx, forum.GuestViewer(ps[1]), s, q.ID, true); !errors.Is(err, live.ErrClosed) {
		t.Fatalf("upvote on the node that closed the session: %v, want ErrClosed at once", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := a.Upvote(ctx, forum.GuestViewer(ps[1]), s, q.ID, true)
		if errors.Is(err, live.ErrClosed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other node still takes upvotes 5 s after the session closed: %v", err)
		}
		time.Sleep(5 * time.Millisecond) // polling for the TTL to pass, not synchronizing
	}
}
