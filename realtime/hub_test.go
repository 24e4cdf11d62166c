package realtime

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestResumeGetsExactlyWhatWasMissed(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{Size: 100})
	h, srv := MustServe(t, b, Options{}, HandlerOptions{})
	conn, w := MustDial(t, srv, "qa", "")
	if w.Seq != 0 || w.Recovered {
		t.Fatalf("welcome = %+v, want seq 0, not recovered", w)
	}
	MustPublish(t, h, "qa", 3)
	expectSeqs(t, conn, 1, 2, 3)
	conn.Close()
	waitFor(t, 2*time.Second, "client to leave", func() bool { return h.TotalClients() == 0 })

	MustPublish(t, h, "qa", 4) // missed while offline: 4..7
	conn, w = MustDial(t, srv, "qa", "3")
	if w.Seq != 3 || !w.Recovered {
		t.Fatalf("welcome = %+v, want seq 3, recovered", w)
	}
	expectSeqs(t, conn, 4, 5, 6, 7)
	MustPublish(t, h, "qa", 1)
	expectSeqs(t, conn, 8)
	expectQuiet(t, conn, 100*time.Millisecond)
}

// TestResumeWhilePublishing reconnects many times while a publisher runs: each
// connection must see a gapless, duplicate-free run continuing the last one.
func TestResumeWhilePublishing(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{Size: 10000})
	h, srv := MustServe(t, b, Options{}, HandlerOptions{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				if _, err := h.Publish(context.Background(), "qa", "test", nil); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(100 * time.Microsecond)
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	var last uint64
	for round := 0; round < 10; round++ {
		since := ""
		if round > 0 {
			since = strconv.FormatUint(last, 10)
		}
		conn, w := MustDial(t, srv, "qa", since)
		if round > 0 && (!w.Recovered || w.Seq != last) {
			t.Fatalf("round %d: welcome %+v, want recovered at %d", round, w, last)
		}
		last = w.Seq
		for i := 0; i < 30; i++ {
			m := MustRead(t, conn)
			if m.Seq != last+1 {
				t.Fatalf("round %d: got seq %d after %d", round, m.Seq, last)
			}
			last = m.Seq
		}
		conn.Close()
	}
}

func TestSnapshot(t *testing.T) {
	cases := []struct {
		name      string
		since     string
		recovered bool
	}{
		{"fresh client", "", false},
		{"too far behind", "2", false},
		{"ahead of channel after reset", "99", false},
		{"within history", "18", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := NewMemoryBroker(HistoryOptions{Size: 5})
			calls := 0
			snap := func(_ context.Context, ch string) (json.RawMessage, error) {
				calls++
				return json.RawMessage(`{"state":"` + ch + `"}`), nil
			}
			h, srv := MustServe(t, b, Options{}, HandlerOptions{Snapshot: snap})
			MustPublish(t, h, "qa", 20)
			conn, w := MustDial(t, srv, "qa", tc.since)
			if w.Recovered != tc.recovered {
				t.Fatalf("welcome %+v, want recovered=%v", w, tc.recovered)
			}
			if tc.recovered {
				expectSeqs(t, conn, 19, 20)
			} else {
				m := MustRead(t, conn)
				if m.Type != TypeSnapshot || m.Seq != 20 || string(m.Data) != `{"state":"qa"}` || w.Seq != 20 {
					t.Fatalf("got %+v after %+v, want snapshot at seq 20", m, w)
				}
			}
			MustPublish(t, h, "qa", 1)
			expectSeqs(t, conn, 21)
			if want := map[bool]int{true: 0, false: 1}[tc.recovered]; calls != want {
				t.Errorf("snapshot called %d times, want %d", calls, want)
			}
		})
	}
}

func TestHandlerRefusesBeforeUpgrade(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{})
	authz := func(r *http.Request, ch string) bool { return ch != "secret" }
	_, srv := MustServe(t, b, Options{}, HandlerOptions{Authorize: authz})
	cases := []struct {
		name    string
		url     string
		method  string
		origin  string
		status  int
		upgrade bool
	}{
		{"unauthorised channel", wsURL(srv, "secret", ""), "", "", http.StatusForbidden, true},
		{"bad channel", wsURL(srv, "a%20b", ""), "", "", http.StatusBadRequest, true},
		{"bad since", wsURL(srv, "qa", "x"), "", "", http.StatusBadRequest, true},
		{"foreign origin", wsURL(srv, "qa", ""), "", "https://evil.example", http.StatusForbidden, true},
		{"post", srv.URL + "/ws?channel=qa", http.MethodPost, "", http.StatusMethodNotAllowed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var status int
			if tc.upgrade {
				hdr := http.Header{}
				if tc.origin != "" {
					hdr.Set("Origin", tc.origin)
				}
				_, resp, err := websocket.DefaultDialer.Dial(tc.url, hdr)
				if err == nil || resp == nil {
					t.Fatalf("dial succeeded or no response: %v", err)
				}
				status = resp.StatusCode
			} else {
				resp, err := http.Post(tc.url, "text/plain", nil)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				status = resp.StatusCode
			}
			if status != tc.status {
				t.Errorf("status = %d, want %d", status, tc.status)
			}
		})
	}
}

func TestConcurrentPublishersManyClientsSameOrder(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{})
	const clients, writers, each = 20, 4, 50
	// The queue holds the whole burst: this test is about order, not overflow.
	h, srv := MustServe(t, b, Options{QueueSize: writers * each}, HandlerOptions{})
	conns := make([]*websocket.Conn, clients)
	for i := range conns {
		conns[i], _ = MustDial(t, srv, "qa", "")
	}
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); MustPublish(t, h, "qa", each) }()
	}
	wg.Wait()
	want := seqRange(1, writers*each)
	for i, conn := range conns {
		var got []uint64
		for range want {
			got = append(got, MustRead(t, conn).Seq)
		}
		if !equalSeqs(got, want) {
			t.Fatalf("client %d saw %v", i, got)
		}
	}
}

func TestPrivateMessages(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{})
	user := func(r *http.Request) string { return r.URL.Query().Get("u") }
	h, srv := MustServe(t, b, Options{}, HandlerOptions{User: user})
	dial := func(u string) (*websocket.Conn, wireMsg) {
		conn, _, err := websocket.DefaultDialer.Dial(wsURL(srv, "qa", "")+"&u="+u, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn, MustRead(t, conn)
	}
	alice, wa := dial("alice")
	bob, _ := dial("bob")
	if n, err := h.SendToUser("qa", "alice", "me", json.RawMessage(`{"upvoted":[3]}`)); n != 1 || err != nil {
		t.Fatalf("SendToUser = %d, %v", n, err)
	}
	if err := h.SendTo(wa.Client, "me", json.RawMessage(`{"voted":true}`)); err != nil {
		t.Fatal(err)
	}
	MustPublish(t, h, "qa", 1)
	for _, want := range []string{`{"upvoted":[3]}`, `{"voted":true}`} {
		if m := MustRead(t, alice); m.Type != "me" || m.Seq != 0 || string(m.Data) != want {
			t.Fatalf("alice got %+v, want private %s", m, want)
		}
	}
	expectSeqs(t, alice, 1)
	expectSeqs(t, bob, 1) // bob's first message after welcome is the broadcast
	if err := h.SendTo("nobody", "me", nil); err == nil {
		t.Error("SendTo unknown client succeeded")
	}
}

func TestAppPingAndCounts(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{})
	h, srv := MustServe(t, b, Options{}, HandlerOptions{})
	a, _ := MustDial(t, srv, "qa", "")
	MustDial(t, srv, "qa", "")
	MustDial(t, srv, "poll", "")
	if err := a.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	if m := MustRead(t, a); m.Type != TypePong {
		t.Fatalf("got %+v, want pong", m)
	}
	if got := h.ClientCount("qa"); got != 2 {
		t.Errorf("ClientCount(qa) = %d, want 2", got)
	}
	if got := h.TotalClients(); got != 3 {
		t.Errorf("TotalClients = %d, want 3", got)
	}
	if got := h.Channels(); got["qa"] != 2 || got["poll"] != 1 || len(got) != 2 {
		t.Errorf("Channels = %v", got)
	}
}

func TestGapMakesClientsResync(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{})
	h, srv := MustServe(t, b, Options{}, HandlerOptions{})
	conn, _ := MustDial(t, srv, "qa", "")
	h.deliver(Event{Channel: "qa", Seq: 1, Type: "test"})
	h.deliver(Event{Channel: "qa", Seq: 1, Type: "test"}) // duplicate: ignored
	h.deliver(Event{Channel: "qa", Seq: 4, Type: "test"}) // 2 and 3 lost
	// The resync close may overtake event 1 still in the queue: the client
	// resumes from its last seen seq either way. What must never arrive is
	// event 4 or event 1 twice.
	var seen []uint64
	for {
		m, err := readMsg(conn, 2*time.Second)
		if err != nil {
			if !websocket.IsCloseError(err, CloseResync) {
				t.Fatalf("read after gap: %v, want close %d", err, CloseResync)
			}
			break
		}
		seen = append(seen, m.Seq)
	}
	if len(seen) > 1 || (len(seen) == 1 && seen[0] != 1) {
		t.Fatalf("events before the resync close: %v, want [1] or none", seen)
	}
}

// A broker whose stream restarted (Redis restarted: numbering from 1 again)
// makes the hub close the channel's clients with 4001 and accept the new
// numbering, where seq 1 would otherwise be dropped as a duplicate.
func TestRestartMakesClientsResync(t *testing.T) {
	b := NewMemoryBroker(HistoryOptions{})
	h, srv := MustServe(t, b, Options{}, HandlerOptions{})
	conn, _ := MustDial(t, srv, "qa", "")
	h.deliver(Event{Channel: "qa", Seq: 7, Type: "test"})
	h.deliver(Event{Channel: "qa", Type: TypeRestart, To: recheckTo})
	for {
		m, err := readMsg(conn, 2*time.Second)
		if err != nil {
			if !websocket.IsCloseError(err, CloseResync) {
				t.Fatalf("read after restart: %v, want close %d", err, CloseResync)
			}
			break
		}
		if m.Seq != 7 {
			t.Fatalf("event %d before the resync close, want only 7", m.Seq)
		}
	}
	conn2, _ := MustDial(t, srv, "qa", "")
	h.deliver(Event{Channel: "qa", Seq: 1, Type: "test"})
	m, err := readMsg(conn2, 2*time.Second)
	if err != nil || m.Seq != 1 {
		t.Fatalf("first event after the restart: %+v, %v; want seq 1", m, err)
	}
}

func TestCloseStopsEverything(t *testing.T) {
	base := runtime.NumGoroutine()
	b := NewMemoryBroker(HistoryOptions{})
	h := NewHub(b, Options{})
	srv := newServer(h.Handler(HandlerOptions{Authorize: allowAll}))
	conns := make([]*websocket.Conn, 5)
	for i := range conns {
		conns[i], _ = MustDial(t, srv, "qa", "")
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		if _, err := readMsg(c, 2*time.Second); !websocket.IsCloseError(err, CloseReconnect) {
			t.Errorf("after Close: %v, want %d (reconnect)", err, CloseReconnect)
		}
		c.Close()
	}
	_, resp, err := websocket.DefaultDialer.Dial(wsURL(srv, "qa", ""), nil)
	if err == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial after Close: %v, want 503", err)
	}
	srv.Close()
	http.DefaultClient.CloseIdleConnections()
	waitGoroutines(t, base)
}
