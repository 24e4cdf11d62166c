package realtime

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// userFromQuery names a test connection by its "user" query parameter.
func userFromQuery(r *http.Request) string { return r.URL.Query().Get("user") }

// dialUser connects user to channel on srv and reads the welcome.
func dialUser(tb testing.TB, srv *httptest.Server, channel, user string) *websocket.Conn {
	tb.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(wsURL(srv, channel, "")+"&user="+user, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	if w := MustRead(tb, conn); w.Type != TypeWelcome {
		tb.Fatalf("first message %q, want welcome", w.Type)
	}
	return conn
}

// TestPublishToUserEveryNode sends a private message through the broker:
// it reaches the user's connections on every node, nobody else's, and does
// not use up a sequence number.
func TestPublishToUserEveryNode(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes func(t *testing.T) [2]Broker
	}{
		{"memory, one node", func(t *testing.T) [2]Broker {
			b := NewMemoryBroker(HistoryOptions{})
			return [2]Broker{b, nil}
		}},
		{"redis, two nodes", func(t *testing.T) [2]Broker {
			newClient, prefix := MustRedis(t)
			return [2]Broker{MustRedisBroker(t, newClient, prefix, HistoryOptions{}), MustRedisBroker(t, newClient, prefix, HistoryOptions{})}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := tc.nodes(t)
			hopts := HandlerOptions{User: userFromQuery}
			hubA, srvA := MustServe(t, bs[0], Options{}, hopts)
			srvB := srvA
			if bs[1] != nil {
				_, srvB = MustServe(t, bs[1], Options{}, hopts)
			}
			mineA := dialUser(t, srvA, "qa", "u1")
			mineB := dialUser(t, srvB, "qa", "u1")
			other := dialUser(t, srvB, "qa", "u2")
			if err := hubA.PublishToUser(context.Background(), "qa", "u1", "mine", json.RawMessage(`{"upvoted":[7]}`)); err != nil {
				t.Fatal(err)
			}
			for i, c := range []*websocket.Conn{mineA, mineB} {
				m := MustRead(t, c)
				if m.Type != "mine" || m.Seq != 0 || string(m.Data) != `{"upvoted":[7]}` {
					t.Fatalf("connection %d of u1 got %s seq %d %s", i, m.Type, m.Seq, m.Data)
				}
			}
			MustPublish(t, hubA, "qa", 1)
			if m := MustRead(t, other); m.Type != "test" || m.Seq != 1 {
				t.Fatalf("u2 got %s seq %d before the first event, want test seq 1 (the private message must not reach it)", m.Type, m.Seq)
			}
			if err := hubA.PublishToUser(context.Background(), "qa", "", "mine", nil); err == nil {
				t.Fatal("a private message without a recipient was accepted")
			}
		})
	}
}

// TestConnectedAcrossNodes counts the connections of a channel on two
// nodes sharing one Redis, as each node reports them.
func TestConnectedAcrossNodes(t *testing.T) {
	newClient, prefix := MustRedis(t)
	opts := Options{PresenceInterval: 30 * time.Millisecond}
	hubA, srvA := MustServe(t, MustRedisBroker(t, newClient, prefix, HistoryOptions{}), opts, HandlerOptions{})
	hubB, srvB := MustServe(t, MustRedisBroker(t, newClient, prefix, HistoryOptions{}), opts, HandlerOptions{})
	for range 2 {
		MustDial(t, srvA, "town", "")
	}
	var onB []*websocket.Conn
	for range 3 {
		c, _ := MustDial(t, srvB, "town", "")
		onB = append(onB, c)
	}
	MustDial(t, srvB, "other", "")
	connected := func(h *Hub, want int) func() bool {
		return func() bool { n, err := h.Connected(context.Background(), "town"); return err == nil && n == want }
	}
	waitFor(t, 5*time.Second, "5 connected seen from A", connected(hubA, 5))
	waitFor(t, 5*time.Second, "5 connected seen from B", connected(hubB, 5))
	_ = onB[0].Close()
	waitFor(t, 5*time.Second, "4 connected after one left B", connected(hubA, 4))
	_ = hubB.Close()
	waitFor(t, 5*time.Second, "2 connected after node B stopped", connected(hubA, 2))
}

// TestPresenceExpires checks that a node that stops reporting stops
// counting once its record's TTL has passed.
func TestPresenceExpires(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	b := NewMemoryBroker(HistoryOptions{Now: func() time.Time { return now }})
	ctx := context.Background()
	for _, tc := range []struct {
		name, node string
		n          int
		advance    time.Duration
		want       map[string]int
	}{
		{"first node", "a", 3, 0, map[string]int{"a": 3}},
		{"second node", "b", 4, 0, map[string]int{"a": 3, "b": 4}},
		{"a refreshes", "a", 2, 5 * time.Second, map[string]int{"a": 2, "b": 4}},
		{"b expired", "a", 2, 6 * time.Second, map[string]int{"a": 2}},
		{"a leaves", "a", 0, 0, map[string]int{}},
	} {
		now = now.Add(tc.advance)
		if err := b.SetPresence(ctx, "town", tc.node, tc.n, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		got, err := b.Presence(ctx, "town")
		if err != nil || len(got) != len(tc.want) {
			t.Fatalf("%s: %v %v, want %v", tc.name, got, err, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Fatalf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

// TestSnapshotSharedAtSameSeq connects many clients at once while nothing
// is published: they share one snapshot; a new event makes the next client
// build a fresh one.
func TestSnapshotSharedAtSameSeq(t *testing.T) {
	var calls atomic.Int32
	snap := func(ctx context.Context, ch string) (json.RawMessage, error) {
		n := calls.Add(1)
		time.Sleep(30 * time.Millisecond) // keep the build in progress while others join
		return json.RawMessage(`{"build":` + string(rune('0'+n)) + `}`), nil
	}
	hub, srv := MustServe(t, NewMemoryBroker(HistoryOptions{}), Options{SnapshotTTL: time.Minute}, HandlerOptions{Snapshot: snap})
	MustPublish(t, hub, "qa", 2)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, w := MustDial(t, srv, "qa", "")
			if m := MustRead(t, conn); m.Type != TypeSnapshot || m.Seq != 2 || w.Seq != 2 || string(m.Data) != `{"build":1}` {
				t.Errorf("got %s seq %d %s (welcome seq %d), want the first snapshot at seq 2", m.Type, m.Seq, m.Data, w.Seq)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("snapshot built %d times for 20 clients at one seq, want 1", n)
	}
	MustPublish(t, hub, "qa", 1)
	conn, _ := MustDial(t, srv, "qa", "")
	if m := MustRead(t, conn); m.Seq != 3 || string(m.Data) != `{"build":2}` {
		t.Fatalf("after a new event: %s seq %d %s, want a fresh snapshot at seq 3", m.Type, m.Seq, m.Data)
	}
}
