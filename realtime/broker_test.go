package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"
)

// brokerFactory returns a fresh broker (with an empty namespace) for one test.
type brokerFactory func(tb testing.TB, opts HistoryOptions) Broker

func TestMemoryBrokerContract(t *testing.T) {
	testBrokerContract(t, func(tb testing.TB, opts HistoryOptions) Broker {
		b := NewMemoryBroker(opts)
		tb.Cleanup(func() { _ = b.Close() })
		return b
	})
}

// testBrokerContract checks the Broker documentation on any implementation.
func testBrokerContract(t *testing.T, newBroker brokerFactory) {
	ctx := context.Background()
	t.Run("history", func(t *testing.T) {
		cases := []struct {
			name      string
			size      int
			published int
			since     uint64
			limit     int
			want      []uint64
			complete  bool
		}{
			{"empty channel", 10, 0, 0, 0, nil, true},
			{"all from start", 10, 5, 0, 0, seqRange(1, 5), true},
			{"missed tail", 10, 5, 2, 0, seqRange(3, 5), true},
			{"up to date", 10, 5, 5, 0, nil, true},
			{"ahead of channel", 10, 5, 7, 0, nil, false},
			{"evicted by size", 3, 5, 1, 0, nil, false},
			{"just inside size", 3, 5, 2, 0, seqRange(3, 5), true},
			{"cut by limit", 10, 5, 0, 2, seqRange(1, 2), false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				b := newBroker(t, HistoryOptions{Size: tc.size})
				MustPublish(t, b, "h", tc.published)
				got, complete, err := b.History(ctx, "h", tc.since, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				if complete != tc.complete {
					t.Errorf("complete = %v, want %v", complete, tc.complete)
				}
				var seqs []uint64
				for _, ev := range got {
					seqs = append(seqs, ev.Seq)
					if ev.Channel != "h" || ev.Type != "test" || ev.Time.IsZero() {
						t.Errorf("event %+v lacks channel, type or time", ev)
					}
				}
				if !equalSeqs(seqs, tc.want) {
					t.Errorf("seqs = %v, want %v", seqs, tc.want)
				}
				last, err := b.LastSeq(ctx, "h")
				if err != nil || last != uint64(tc.published) {
					t.Errorf("LastSeq = %d, %v; want %d", last, err, tc.published)
				}
			})
		}
	})
	t.Run("publish rejects", func(t *testing.T) {
		b := newBroker(t, HistoryOptions{})
		cases := []struct {
			name, channel, typ string
			data               string
			want               error
		}{
			{"empty channel", "", "x", "", ErrInvalidChannel},
			{"channel with space", "a b", "x", "", ErrInvalidChannel},
			{"empty type", "c", "", "", ErrInvalidType},
			{"reserved snapshot", "c", TypeSnapshot, "", ErrInvalidType},
			{"reserved welcome", "c", TypeWelcome, "", ErrInvalidType},
			{"bad json", "c", "x", "{", ErrInvalidData},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := b.Publish(ctx, tc.channel, tc.typ, json.RawMessage(tc.data))
				if !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			})
		}
	})
	t.Run("concurrent publishers deliver in seq order", func(t *testing.T) {
		b := newBroker(t, HistoryOptions{Size: 1000})
		var mu sync.Mutex
		var got []uint64
		all := make(chan struct{})
		const writers, each = 4, 50
		if err := b.Subscribe(ctx, "c", func(ev Event) {
			mu.Lock()
			got = append(got, ev.Seq)
			if len(got) == writers*each {
				close(all)
			}
			mu.Unlock()
		}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				MustPublish(t, b, "c", each)
			}()
		}
		wg.Wait()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
			t.Fatal("handler did not receive every event")
		}
		mu.Lock()
		defer mu.Unlock()
		if !equalSeqs(got, seqRange(1, writers*each)) {
			t.Errorf("handler saw %v, want 1..%d in order", got, writers*each)
		}
		if err := b.Unsubscribe(ctx, "c"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMemoryBrokerTTL(t *testing.T) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	b := NewMemoryBroker(HistoryOptions{Size: 10, TTL: time.Minute, Now: func() time.Time { return now }})
	MustPublish(t, b, "c", 2) // seq 1, 2 at 09:00
	now = now.Add(90 * time.Second)
	MustPublish(t, b, "c", 1) // seq 3 at 09:01:30
	for _, tc := range []struct {
		name     string
		since    uint64
		complete bool
	}{{"expired events needed", 0, false}, {"only fresh events needed", 2, true}} {
		t.Run(tc.name, func(t *testing.T) {
			_, complete, err := b.History(context.Background(), "c", tc.since, 0)
			if err != nil || complete != tc.complete {
				t.Errorf("complete = %v, %v; want %v", complete, err, tc.complete)
			}
		})
	}
}

func equalSeqs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
