package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wireMsg is any server message, decoded loosely.
type wireMsg struct {
	Type      string          `json:"type"`
	Channel   string          `json:"channel"`
	Seq       uint64          `json:"seq"`
	Client    string          `json:"client"`
	Recovered bool            `json:"recovered"`
	Data      json.RawMessage `json:"data"`
	Time      time.Time       `json:"time"`
}

// allowAll is an Authorize callback for tests that are not about authorization.
func allowAll(*http.Request, string) bool { return true }

// MustServe starts a Hub on b behind an httptest server and closes both (hub
// first) when the test ends.
func MustServe(tb testing.TB, b Broker, opts Options, hopts HandlerOptions) (*Hub, *httptest.Server) {
	tb.Helper()
	if hopts.Authorize == nil {
		hopts.Authorize = allowAll
	}
	h := NewHub(b, opts)
	srv := httptest.NewServer(h.Handler(hopts))
	tb.Cleanup(srv.Close)
	tb.Cleanup(func() { _ = h.Close() })
	return h, srv
}

// wsURL returns the websocket URL of srv for channel with an optional since.
func wsURL(srv *httptest.Server, channel, since string) string {
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws?channel=" + channel
	if since != "" {
		u += "&since=" + since
	}
	return u
}

// MustDial connects to channel and reads the welcome message.
func MustDial(tb testing.TB, srv *httptest.Server, channel, since string) (*websocket.Conn, wireMsg) {
	tb.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(srv, channel, since), nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		tb.Fatalf("dial %s since=%q: %v (HTTP %d)", channel, since, err, status)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	w := MustRead(tb, conn)
	if w.Type != TypeWelcome {
		tb.Fatalf("first message type = %q, want welcome", w.Type)
	}
	return conn, w
}

// MustRead reads one message within 5 seconds.
func MustRead(tb testing.TB, conn *websocket.Conn) wireMsg {
	tb.Helper()
	m, err := readMsg(conn, 5*time.Second)
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	return m
}

func readMsg(conn *websocket.Conn, timeout time.Duration) (wireMsg, error) {
	var m wireMsg
	_ = conn.SetReadDeadline(time.Now().Add(timeout))
	_, data, err := conn.ReadMessage()
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(data, &m)
}

// MustPublish publishes n events of type "test" whose data is {"i":k}.
func MustPublish(tb testing.TB, p interface {
	Publish(context.Context, string, string, json.RawMessage) (Event, error)
}, channel string, n int) []Event {
	tb.Helper()
	out := make([]Event, 0, n)
	for k := 0; k < n; k++ {
		ev, err := p.Publish(context.Background(), channel, "test", json.RawMessage(fmt.Sprintf(`{"i":%d}`, k)))
		if err != nil {
			tb.Fatalf("publish: %v", err)
		}
		out = append(out, ev)
	}
	return out
}

// expectSeqs reads len(want) events and checks their Seq in order.
func expectSeqs(tb testing.TB, conn *websocket.Conn, want ...uint64) {
	tb.Helper()
	for _, w := range want {
		m := MustRead(tb, conn)
		if m.Seq != w || m.Type != "test" {
			tb.Fatalf("got %s seq %d, want test seq %d", m.Type, m.Seq, w)
		}
	}
}

// expectQuiet fails if a message arrives within d.
func expectQuiet(tb testing.TB, conn *websocket.Conn, d time.Duration) {
	tb.Helper()
	if m, err := readMsg(conn, d); err == nil {
		tb.Fatalf("unexpected message %s seq %d", m.Type, m.Seq)
	}
}

// waitFor polls cond for up to timeout.
func waitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitGoroutines waits until the goroutine count is back to base.
func waitGoroutines(tb testing.TB, base int) {
	tb.Helper()
	waitFor(tb, 5*time.Second, fmt.Sprintf("goroutines back to %d", base), func() bool {
		return runtime.NumGoroutine() <= base
	})
}

func seqRange(from, to uint64) []uint64 {
	var out []uint64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

// newServer starts an httptest server the caller closes.
func newServer(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
