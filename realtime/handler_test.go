package realtime

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestOriginPolicy(t *testing.T) {
	trusted := func(r *http.Request) bool { return r.Header.Get("Origin") == "https://rembug.example" }
	cases := []struct {
		name   string
		check  func(*http.Request) bool
		origin string
		ok     bool
	}{
		{"default accepts same host", nil, "", true},
		{"default refuses foreign origin", nil, "https://evil.example", false},
		{"custom accepts trusted origin", trusted, "https://rembug.example", true},
		{"custom refuses other origin", trusted, "https://evil.example", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := MustServe(t, NewMemoryBroker(HistoryOptions{}), Options{}, HandlerOptions{CheckOrigin: tc.check})
			hdr := http.Header{}
			if tc.origin != "" {
				hdr.Set("Origin", tc.origin)
			}
			conn, _, err := websocket.DefaultDialer.Dial(wsURL(srv, "qa", ""), hdr)
			if (err == nil) != tc.ok {
				t.Fatalf("dial err = %v, want ok=%v", err, tc.ok)
			}
			if conn != nil {
				conn.Close()
			}
		})
	}
}

func TestReadLimit(t *testing.T) {
	h, srv := MustServe(t, NewMemoryBroker(HistoryOptions{}), Options{MaxMessageSize: 256}, HandlerOptions{})
	conn, _ := MustDial(t, srv, "qa", "")
	big := `{"type":"ping","pad":"` + strings.Repeat("x", 1000) + `"}`
	if err := conn.WriteMessage(websocket.TextMessage, []byte(big)); err != nil {
		t.Fatal(err)
	}
	_, err := readMsg(conn, 2*time.Second)
	if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Fatalf("after oversized message: %v, want close 1009", err)
	}
	waitFor(t, 2*time.Second, "client removed", func() bool { return h.TotalClients() == 0 })
}
