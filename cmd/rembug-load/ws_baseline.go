package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The baseline is the minimal gorilla/websocket hub: a map of connections,
// one writer goroutine per connection fed by a buffered channel, and a
// broadcast of one message to all. It runs as a child process of
// rembug-load (the same binary, "ws-baseline-server"), so that its memory
// is measured like rembug's: the resident size of a server process.
type baseHub struct {
	mu    sync.Mutex
	conns map[chan []byte]struct{}
	seq   uint64
}

var baseUpgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (h *baseHub) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := baseUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ch := make(chan []byte, 128)
	h.mu.Lock()
	h.conns[ch] = struct{}{}
	h.mu.Unlock()
	go func() {
		for b := range ch {
			if conn.WriteMessage(websocket.TextMessage, b) != nil {
				break
			}
		}
		conn.Close()
	}()
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			break
		}
	}
	h.mu.Lock()
	if _, ok := h.conns[ch]; ok {
		delete(h.conns, ch)
		close(ch)
	}
	h.mu.Unlock()
}

// publish sends one event, stamped with the time and the next seq, to all.
// With ?size=N the event carries a filler field so that it is N bytes
// long (as long as the events it is compared with).
func (h *baseHub) publish(w http.ResponseWriter, r *http.Request) {
	size, _ := strconv.Atoi(r.URL.Query().Get("size"))
	h.mu.Lock()
	h.seq++
	b, _ := json.Marshal(wsMsg{Type: "event", Seq: h.seq, Time: time.Now()})
	if pad := size - len(b) - len(`,"data":""`); pad > 0 {
		b = append(b[:len(b)-1], `,"data":"`...)
		b = append(b, strings.Repeat("x", pad)...)
		b = append(b, `"}`...)
	}
	for ch := range h.conns {
		select {
		case ch <- b:
		default: // full: drop the client, as any sane hub does
			delete(h.conns, ch)
			close(ch)
		}
	}
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// baselineServer is the child process: it listens on 127.0.0.1:0, prints
// its address on stdout and serves until interrupted. /rss reports its
// resident memory in bytes.
func baselineServer() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	h := &baseHub{conns: map[chan []byte]struct{}{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", h.serveWS)
	mux.HandleFunc("POST /publish", h.publish)
	mux.HandleFunc("/rss", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, selfRSS()) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	srv := &http.Server{Handler: mux}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// selfRSS reads this process's resident set size (VmRSS) in bytes.
func selfRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
