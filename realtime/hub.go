package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Options tune a Hub; zero fields take the defaults given per field.
type Options struct {
	QueueSize      int           // events queued per client before it is cut off; default 128
	WriteTimeout   time.Duration // deadline of one websocket write; default 10s
	PingInterval   time.Duration // websocket ping period; default 25s
	PongTimeout    time.Duration // read deadline, renewed by any frame or pong; default 60s
	MaxMessageSize int64         // read limit on client messages, bytes; default 1024
	RecoverLimit   int           // most events replayed on resume before a snapshot is used instead; default 1000
	BrokerTimeout  time.Duration // bound on Subscribe/History/Unsubscribe calls; default 5s
	// PresenceInterval is how often the Hub records its connection counts
	// in the Broker (Hub.Connected); records expire after 3 intervals.
	// Default 5s.
	PresenceInterval time.Duration
	// SnapshotTTL bounds how long a snapshot is reused for clients joining
	// at the same Seq; default 2s, negative disables the cache.
	SnapshotTTL time.Duration
	Logger      *slog.Logger // default: discard
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 128
	}
	def(&o.WriteTimeout, 10*time.Second)
	def(&o.PingInterval, 25*time.Second)
	def(&o.PongTimeout, 60*time.Second)
	def(&o.BrokerTimeout, 5*time.Second)
	def(&o.PresenceInterval, 5*time.Second)
	if o.SnapshotTTL == 0 {
		o.SnapshotTTL = 2 * time.Second
	}
	if o.MaxMessageSize <= 0 {
		o.MaxMessageSize = 1024
	}
	if o.RecoverLimit <= 0 {
		o.RecoverLimit = 1000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Hub holds this node's websocket clients by channel and fans out the events
// its Broker delivers. Create it with NewHub, serve it with Handler, stop it
// with Close.
type Hub struct {
	broker Broker
	opts   Options
	idBase string
	nextID atomic.Uint64
	pong   *frame // shared reply to an application ping

	subMu sync.Mutex // serializes join/leave so broker Subscribe/Unsubscribe never interleave for a channel

	mu       sync.RWMutex // guards the maps and closed; never held during a network write
	closed   bool
	channels map[string]*hubChannel
	clients  map[string]*client
	users    map[string]map[*client]struct{} // channel + "\x00" + user -> clients
	wg       sync.WaitGroup                  // one per connection (reader + writer)

	snaps snapshotCache

	stop   chan struct{} // closed by Close: stops the presence goroutine
	bgDone sync.WaitGroup
}

// hubChannel is one channel's clients on this node and the last Seq
// delivered to them (0 until the first event after subscribing).
type hubChannel struct {
	clients map[*client]struct{}
	lastSeq atomic.Uint64
}

// NewHub returns a Hub publishing and subscribing through b. The Hub does not
// own b: close the Hub first, then the broker.
func NewHub(b Broker, opts Options) *Hub {
	var nonce [4]byte
	_, _ = rand.Read(nonce[:])
	h := &Hub{
		broker:   b,
		opts:     opts.withDefaults(),
		idBase:   hex.EncodeToString(nonce[:]) + "-",
		channels: make(map[string]*hubChannel),
		clients:  make(map[string]*client),
		users:    make(map[string]map[*client]struct{}),
		stop:     make(chan struct{}),
	}
	h.snaps.entries = make(map[string]*snapshotEntry)
	pm, _ := websocket.NewPreparedMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
	h.pong = &frame{pm: pm}
	h.bgDone.Add(1)
	go h.presenceLoop()
	return h
}

// Publish appends an event to channel through the Broker (which assigns Seq)
// and so delivers it to every client of the channel on every node. Errors are
// those of Broker.Publish.
func (h *Hub) Publish(ctx context.Context, channel, typ string, data json.RawMessage) (Event, error) {
	return h.broker.Publish(ctx, channel, typ, data)
}

// deliver is the EventHandler the Hub gives the Broker: it encodes ev once
// and enqueues it to every client of the channel without blocking. Clients
// whose queue is full are cut off (CloseSlow); if ev reveals a gap in Seq all
// the channel's clients are told to resume (CloseResync).
func (h *Hub) deliver(ev Event) {
	if ev.Seq == 0 { // a private message from Broker.Send
		if ev.To == recheckTo && ev.Type == TypeRecheck {
			h.recheckLocal(ev.Channel)
			return
		}
		if ev.To == recheckTo && ev.Type == TypeRestart {
			h.restartLocal(ev.Channel)
			return
		}
		if ev.To != "" {
			_, _ = h.SendToUser(ev.Channel, ev.To, ev.Type, ev.Data)
		}
		return
	}
	f, err := eventFrame(ev)
	if err != nil {
		h.opts.Logger.Error("realtime: encode event", "channel", ev.Channel, "seq", ev.Seq, "err", err)
		return
	}
	var victims []*client
	code, reason := CloseSlow, "send queue full"
	h.mu.RLock()
	hc := h.channels[ev.Channel]
	if hc == nil {
		h.mu.RUnlock()
		return
	}
	last := hc.lastSeq.Load()
	switch {
	case last != 0 && ev.Seq <= last:
		h.mu.RUnlock()
		return // duplicate
	case last != 0 && ev.Seq > last+1:
		code, reason = CloseResync, "events lost on this node"
		for c := range hc.clients {
			victims = append(victims, c)
		}
		h.opts.Logger.Warn("realtime: gap in channel", "channel", ev.Channel, "last", last, "seq", ev.Seq)
	default:
		for c := range hc.clients {
			if !c.enqueue(f) {
				victims = append(victims, c)
			}
		}
	}
	hc.lastSeq.Store(ev.Seq)
	h.mu.RUnlock()
	for _, c := range victims {
		c.drop(code, reason)
	}
}

// eventFrame encodes ev once for all its recipients.
func eventFrame(ev Event) (*frame, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
	if err != nil {
		return nil, err
	}
	return &frame{seq: ev.Seq, pm: pm}, nil
}

// newClientID returns an id unique within this Hub.
func (h *Hub) newClientID() string {
	return h.idBase + strconv.FormatUint(h.nextID.Add(1), 10)
}

// join registers c, subscribing the Broker to c's channel if c is the
// channel's first client here. On success the caller owns one count of h.wg
// and must call leave.
func (h *Hub) join(ctx context.Context, c *client) error {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	h.mu.RLock()
	closed, hc := h.closed, h.channels[c.channel]
	h.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	if hc == nil {
		ctx, cancel := context.WithTimeout(ctx, h.opts.BrokerTimeout)
		defer cancel()
		if err := h.broker.Subscribe(ctx, c.channel, h.deliver); err != nil {
			return fmt.Errorf("realtime: join %q: %w", c.channel, err)
		}
		hc = &hubChannel{clients: make(map[*client]struct{})}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		if len(hc.clients) == 0 {
			_ = h.broker.Unsubscribe(ctx, c.channel)
		}
		return ErrClosed
	}
	h.channels[c.channel] = hc
	hc.clients[c] = struct{}{}
	h.clients[c.id] = c
	if c.user != "" {
		k := c.channel + "\x00" + c.user
		if h.users[k] == nil {
			h.users[k] = make(map[*client]struct{})
		}
		h.users[k][c] = struct{}{}
	}
	h.wg.Add(1)
	return nil
}

// leave unregisters c and unsubscribes the Broker from a channel left empty.
func (h *Hub) leave(c *client) {
	defer h.wg.Done()
	h.subMu.Lock()
	defer h.subMu.Unlock()
	h.mu.Lock()
	hc := h.channels[c.channel]
	empty := false
	if hc != nil {
		delete(hc.clients, c)
		if empty = len(hc.clients) == 0; empty {
			delete(h.channels, c.channel)
			h.snaps.forget(c.channel)
		}
	}
	delete(h.clients, c.id)
	if c.user != "" {
		k := c.channel + "\x00" + c.user
		delete(h.users[k], c)
		if len(h.users[k]) == 0 {
			delete(h.users, k)
		}
	}
	h.mu.Unlock()
	if empty {
		ctx, cancel := context.WithTimeout(context.Background(), h.opts.BrokerTimeout)
		defer cancel()
		if err := h.broker.Unsubscribe(ctx, c.channel); err != nil {
			h.opts.Logger.Warn("realtime: unsubscribe", "channel", c.channel, "err", err)
		}
	}
}

// TypeRestart is the type of the message a Broker hands its handler (never
// a client) when its stream of a channel restarted: it lost its connection
// to Redis and subscribed again, so events may have been missed and sequence
// numbers may start again from 1 (a Redis without persistence forgets them).
const TypeRestart = "restart"

// restartLocal forgets the channel's last sequence number on this node and
// closes its connections with CloseResync: each client reconnects with
// since, resumes from history when that still holds its events, and is
// otherwise sent a snapshot (a since ahead of the channel after a restart).
func (h *Hub) restartLocal(channel string) {
	h.mu.RLock()
	hc := h.channels[channel]
	var cs []*client
	if hc != nil {
		hc.lastSeq.Store(0)
		for c := range hc.clients {
			cs = append(cs, c)
		}
	}
	h.mu.RUnlock()
	if len(cs) > 0 {
		h.opts.Logger.Warn("realtime: channel stream restarted, clients resume", "channel", channel, "clients", len(cs))
	}
	for _, c := range cs {
		c.drop(CloseResync, "event stream restarted")
	}
}
