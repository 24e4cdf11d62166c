//go:build unix

package realtime

import (
	"context"
	"encoding/json"
	"net"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// stalledDialer connects with a tiny receive buffer; the caller never reads,
// so the server's writes to it stop progressing (CASES C11).
var stalledDialer = websocket.Dialer{
	NetDialContext: (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048)
		})
		if err != nil {
			return err
		}
		return serr
	}}).DialContext,
}

func TestStalledClientIsDroppedAndDoesNotDelayOthers(t *testing.T) {
	base := runtime.NumGoroutine()
	b := NewMemoryBroker(HistoryOptions{Size: 100})
	h := NewHub(b, Options{QueueSize: 256, WriteTimeout: 300 * time.Millisecond})
	srv := newServer(h.Handler(HandlerOptions{Authorize: allowAll}))

	stalled, _, err := stalledDialer.Dial(wsURL(srv, "qa", ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	normal, _ := MustDial(t, srv, "qa", "")

	const events = 2000
	payload := json.RawMessage(`{"text":"` + strings.Repeat("x", 1000) + `"}`)
	type result struct {
		worst time.Duration
		n     int
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for r.n < events {
			m, err := readMsg(normal, 5*time.Second)
			if err != nil {
				r.err = err
				break
			}
			if m.Seq != uint64(r.n+1) {
				t.Errorf("normal client got seq %d, want %d", m.Seq, r.n+1)
			}
			r.worst = max(r.worst, time.Since(m.Time))
			r.n++
		}
		done <- r
	}()
	for i := 0; i < events; i++ {
		if _, err := h.Publish(context.Background(), "qa", "test", payload); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	r := <-done
	if r.err != nil || r.n != events {
		t.Fatalf("normal client read %d/%d events: %v", r.n, events, r.err)
	}
	if r.worst > time.Second {
		t.Errorf("worst delivery to the normal client %v, want under 1s", r.worst)
	}
	waitFor(t, 3*time.Second, "stalled client dropped", func() bool { return h.ClientCount("qa") == 1 })
	t.Logf("worst delivery to normal client: %v", r.worst)

	stalled.Close()
	normal.Close()
	waitFor(t, 3*time.Second, "all clients gone", func() bool { return h.TotalClients() == 0 })
	_ = h.Close()
	srv.Close()
	waitGoroutines(t, base)
}
