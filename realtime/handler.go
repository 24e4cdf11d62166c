package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/gorilla/websocket"
)

// SnapshotFunc returns the full current state of channel as JSON, for a
// client that connects fresh or fell too far behind to resume from history.
// It must reflect at least every event published before it was called.
type SnapshotFunc func(ctx context.Context, channel string) (json.RawMessage, error)

// HandlerOptions are the web layer's callbacks and the connection settings of
// Hub.Handler.
type HandlerOptions struct {
	// Authorize reports whether the request may read channel. It runs before
	// the websocket upgrade; false answers 403 and nothing of the channel is
	// sent. A nil Authorize refuses every request.
	Authorize func(r *http.Request, channel string) bool
	// Snapshot is optional; without it a client that cannot resume receives
	// only events published after it connected.
	Snapshot SnapshotFunc
	// User optionally names the viewer (for Hub.SendToUser); "" is anonymous.
	User func(r *http.Request) string
	// Recheck is asked again for each open connection when Hub.Recheck is
	// called for its channel; a connection it refuses is closed with
	// CloseRevoked. Nil keeps connections until they end.
	Recheck RecheckFunc
	// CheckOrigin decides whether a browser Origin may connect; nil accepts
	// only an Origin whose host equals the request's Host (gorilla's default).
	CheckOrigin func(r *http.Request) bool
	// ReadBufferSize and WriteBufferSize are the websocket I/O buffer sizes in
	// bytes; defaults 512 and 2048. Write buffers are pooled and held only
	// while a message is being written.
	ReadBufferSize, WriteBufferSize int
}

// Handler returns the websocket endpoint for this Hub:
//
//	GET <path>?channel=NAME[&since=SEQ]
//
// It answers 405 for other methods, 400 for a bad channel or since, 403 when
// Authorize refuses, 503 when the Hub is closed or the Broker unavailable, and
// otherwise upgrades and speaks the protocol of PROTOCOL.md until the
// connection ends.
func (h *Hub) Handler(opts HandlerOptions) http.Handler {
	if opts.ReadBufferSize <= 0 {
		opts.ReadBufferSize = 512
	}
	if opts.WriteBufferSize <= 0 {
		opts.WriteBufferSize = 2048
	}
	return &handler{hub: h, opts: opts, up: websocket.Upgrader{
		ReadBufferSize:  opts.ReadBufferSize,
		WriteBufferSize: opts.WriteBufferSize,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     opts.CheckOrigin,
	}}
}

type handler struct {
	hub  *Hub
	opts HandlerOptions
	up   websocket.Upgrader
}

func (s *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	channel := q.Get("channel")
	if !ValidChannel(channel) {
		http.Error(w, "invalid channel", http.StatusBadRequest)
		return
	}
	c := &client{hub: s.hub, channel: channel, snapshot: s.opts.Snapshot, recheck: s.opts.Recheck}
	if v := q.Get("since"); v != "" {
		since, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			http.Error(w, "invalid since", http.StatusBadRequest)
			return
		}
		c.since, c.hasSince = since, true
	}
	if s.opts.Authorize == nil || !s.opts.Authorize(r, channel) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if s.opts.User != nil {
		c.user = s.opts.User(r)
	}
	c.id = s.hub.newClientID()
	c.qmax = s.hub.opts.QueueSize
	c.wake = make(chan struct{}, 1)
	c.done = make(chan struct{})
	// Join before upgrading: events published from now on are queued, and a
	// broker failure can still be answered with a plain HTTP status.
	if err := s.hub.join(r.Context(), c); err != nil {
		if !errors.Is(err, ErrClosed) {
			s.hub.opts.Logger.Warn("realtime: join", "channel", channel, "err", err)
		}
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	conn, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		s.hub.leave(c)
		return // Upgrade has answered with an HTTP error
	}
	c.conn = conn
	// The handler returns now, releasing net/http's per-request buffers and
	// its goroutine stack; the connection lives on in two goroutines owned by
	// the Hub (counted by join, released by leave).
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		c.writeLoop()
	}()
	go func() {
		c.readLoop()
		c.drop(0, "")
		<-writerDone
		s.hub.leave(c)
	}()
}
