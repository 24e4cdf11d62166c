package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rembug/rembug/web"
)

var watchChecksRE = regexp.MustCompile(`(?m)^rembug_dashboard_watch_checks_total (\d+)`)

// TestDashboardWatcherIdles: the live-dashboard watcher reads the complaint
// tables only while a dashboard is connected to the node: its checks stop
// after the last one leaves and start again with the next.
func TestDashboardWatcherIdles(t *testing.T) {
	f := newFixture(t)
	srv, err := web.New(context.Background(), web.Config{DB: f.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	checks := func() int {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		m := watchChecksRE.FindStringSubmatch(rec.Body.String())
		if m == nil {
			return 0
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	// until waits (up to 20 s, for a loaded machine) for ok.
	until := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d checks", what, checks())
			}
		}
	}
	if n := checks(); n != 0 {
		t.Fatalf("%d checks before any dashboard connected", n)
	}
	dial := func() *websocket.Conn {
		t.Helper()
		conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/dasbor/ws?channel=dasbor-publik",
			http.Header{"Origin": {ts.URL}})
		if err != nil {
			t.Fatal(err)
		}
		return conn
	}
	conn := dial()
	base := checks()
	until("checks while a dashboard is open", func() bool { return checks() >= base+2 })
	conn.Close()
	var idle int
	until("the watcher going idle", func() bool {
		n := checks()
		time.Sleep(2500 * time.Millisecond) // more than two ticks
		idle = checks()
		return idle == n
	})
	conn = dial()
	defer conn.Close()
	until("checks again with a new dashboard", func() bool { return checks() >= idle+2 })
}
