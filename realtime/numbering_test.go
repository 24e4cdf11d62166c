package realtime

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// restartable is a broker that can lose its numbering, as a restarted
// process (memory) or a Redis without persistence that restarted does:
// restart returns a broker on the same channels whose numbering and
// history are gone, with the clock at now.
type restartable func(tb testing.TB, now time.Time) (b Broker, restart func(now time.Time) Broker)

// testNumberingRestart: with ClockStart, a channel's numbering begun again
// starts above every number of the earlier one, so a client that held an
// old number through the restart is told its history is gone (and gets a
// snapshot) however many events the new numbering has had, instead of
// resuming with events of the new numbering it never had the state for.
func testNumberingRestart(t *testing.T, newBroker restartable) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	b, restart := newBroker(t, t0)
	last, err := b.LastSeq(ctx, "qa")
	if err != nil || last != ClockStart(t0) {
		t.Fatalf("a new channel's last seq = %d (%v), want %d", last, err, ClockStart(t0))
	}
	var held uint64
	for range 3 {
		ev, err := b.Publish(ctx, "qa", "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		held = ev.Seq
	}
	if held != ClockStart(t0)+3 {
		t.Fatalf("third event is %d, want %d", held, ClockStart(t0)+3)
	}
	if _, complete, err := b.History(ctx, "qa", held-1, 0); err != nil || !complete {
		t.Fatalf("history after %d: complete %v (%v)", held-1, complete, err)
	}

	b = restart(t0.Add(10 * time.Second))
	var first uint64
	for i := range 50 { // more events than the client's old number counted
		ev, err := b.Publish(ctx, "qa", "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = ev.Seq
		}
	}
	if first <= held {
		t.Fatalf("the new numbering starts at %d, not above the old %d", first, held)
	}
	evs, complete, err := b.History(ctx, "qa", held, 0)
	if err != nil || complete || len(evs) != 0 {
		t.Fatalf("history after the old %d: %d events, complete %v (%v); want none, incomplete (a snapshot)", held, len(evs), complete, err)
	}
	if _, complete, _ := b.History(ctx, "qa", first, 0); !complete {
		t.Error("history within the new numbering is incomplete")
	}
}

func TestMemoryNumberingRestart(t *testing.T) {
	testNumberingRestart(t, func(tb testing.TB, now time.Time) (Broker, func(time.Time) Broker) {
		mk := func(now time.Time) Broker {
			return NewMemoryBroker(HistoryOptions{Start: ClockStart, Now: func() time.Time { return now }})
		}
		return mk(now), mk
	})
}

func TestRedisNumberingRestart(t *testing.T) {
	MustRedis(t) // skip early when unset
	testNumberingRestart(t, func(tb testing.TB, now time.Time) (Broker, func(time.Time) Broker) {
		newClient, prefix := MustRedis(tb)
		mk := func(now time.Time) Broker {
			return MustRedisBroker(tb, newClient, prefix, HistoryOptions{Start: ClockStart, Now: func() time.Time { return now }})
		}
		return mk(now), func(now time.Time) Broker {
			// Redis restarted without persistence: the channel's keys are gone.
			rdb := newClient()
			defer rdb.Close()
			keys, err := rdb.Keys(context.Background(), prefix+"*").Result()
			if err != nil {
				tb.Fatal(err)
			}
			if len(keys) > 0 {
				rdb.Del(context.Background(), keys...)
			}
			return mk(now)
		}
	})
}

// TestClockStartThroughHub: a client that joins a channel before its
// first event, under a clock-started numbering, is welcomed at the
// channel's start and receives the first event without a resync; one that
// comes back with a number of an earlier numbering gets a snapshot.
func TestClockStartThroughHub(t *testing.T) {
	now := time.Now()
	b := NewMemoryBroker(HistoryOptions{Start: ClockStart, Now: func() time.Time { return now }})
	h, srv := MustServe(t, b, Options{}, HandlerOptions{Snapshot: func(context.Context, string) (json.RawMessage, error) {
		return json.RawMessage(`{"state":"qa"}`), nil
	}})
	conn, w := MustDial(t, srv, "qa", "")
	if w.Seq != ClockStart(now) || w.Recovered {
		t.Fatalf("welcome = %+v, want seq %d", w, ClockStart(now))
	}
	if m := MustRead(t, conn); m.Type != TypeSnapshot {
		t.Fatalf("after welcome: %+v, want the snapshot", m)
	}
	MustPublish(t, h, "qa", 2)
	expectSeqs(t, conn, ClockStart(now)+1, ClockStart(now)+2)

	old, w := MustDial(t, srv, "qa", strconv.FormatUint(ClockStart(now)-5000, 10))
	defer old.Close()
	if w.Recovered || w.Seq != ClockStart(now)+2 {
		t.Fatalf("welcome of a number from an earlier numbering = %+v, want not recovered at %d", w, ClockStart(now)+2)
	}
	if m := MustRead(t, old); m.Type != TypeSnapshot {
		t.Fatalf("after welcome: %+v, want the snapshot", m)
	}
}
