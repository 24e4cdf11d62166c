package realtime

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// HistoryOptions bound the history a broker keeps per channel.
type HistoryOptions struct {
	// Size is the number of most recent events kept per channel; default 1000.
	Size int
	// TTL drops events older than TTL from history; 0 keeps them until Size
	// pushes them out. (Sequence numbers are never reset by TTL.)
	TTL time.Duration
	// Now is the clock used for Event.Time and TTL; default time.Now.
	Now func() time.Time
	// Start, when set, is the number a channel's numbering starts from
	// (its LastSeq before its first event), taken from Now when the broker
	// first meets the channel: ClockStart in production, so that a
	// numbering begun again (a restarted process, a Redis that lost its
	// keys) never reuses numbers a client may still hold as its since, and
	// such a client gets a snapshot instead of events of the new numbering.
	// nil starts at 0 (the first event is 1).
	Start func(now time.Time) uint64
}

// ClockStart starts a channel's numbering at the Unix time in seconds ×
// 10,000. A numbering begun later starts above every number the earlier
// one gave, as long as that channel averaged fewer than 10,000 events a
// second and the clock did not go back; numbers stay below 2^53 (exact in
// JavaScript and in Redis's Lua) until the year 2286.
func ClockStart(now time.Time) uint64 { return uint64(max(now.Unix(), 0)) * 10000 }

// start is the number a channel met now starts from.
func (o HistoryOptions) start() uint64 {
	if o.Start == nil {
		return 0
	}
	return o.Start(o.Now())
}

func (o HistoryOptions) withDefaults() HistoryOptions {
	if o.Size <= 0 {
		o.Size = 1000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// MemoryBroker is the in-process Broker: one node, sequence numbers and
// history held in memory (lost on restart; clients then take a snapshot
// because their since is ahead of the channel). Channel state lives for the
// life of the broker. The zero value is not usable; call NewMemoryBroker.
type MemoryBroker struct {
	opts     HistoryOptions
	mu       sync.Mutex
	closed   bool
	channels map[string]*memChannel
	presence map[string]map[string]presenceRecord // channel -> node -> record
}

// memChannel is one channel's sequence, history ring and handler; mu orders
// Publish and delivery so handlers see events in Seq order.
type memChannel struct {
	mu      sync.Mutex
	seq     uint64
	ring    []Event // capacity Size; ring[head] is the oldest of n events
	head, n int
	handler EventHandler
}

// NewMemoryBroker returns an empty in-process broker with the given history
// bounds.
func NewMemoryBroker(opts HistoryOptions) *MemoryBroker {
	return &MemoryBroker{opts: opts.withDefaults(), channels: make(map[string]*memChannel),
		presence: make(map[string]map[string]presenceRecord)}
}

func (b *MemoryBroker) channel(name string) (*memChannel, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	ch := b.channels[name]
	if ch == nil {
		ch = &memChannel{ring: make([]Event, b.opts.Size), seq: b.opts.start()}
		b.channels[name] = ch
	}
	return ch, nil
}

// Publish implements Broker. The subscribed handler runs before Publish
// returns, under the channel's lock.
func (b *MemoryBroker) Publish(_ context.Context, channel, typ string, data json.RawMessage) (Event, error) {
	if err := validatePublish(channel, typ, data); err != nil {
		return Event{}, err
	}
	ch, err := b.channel(channel)
	if err != nil {
		return Event{}, err
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	ch.seq++
	ev := Event{Channel: channel, Seq: ch.seq, Type: typ, Data: append(json.RawMessage(nil), data...), Time: b.opts.Now()}
	size := len(ch.ring)
	if ch.n < size {
		ch.ring[(ch.head+ch.n)%size] = ev
		ch.n++
	} else {
		ch.ring[ch.head] = ev
		ch.head = (ch.head + 1) % size
	}
	if ch.handler != nil {
		ch.handler(ev)
	}
	return ev, nil
}

// Subscribe implements Broker.
func (b *MemoryBroker) Subscribe(_ context.Context, channel string, h EventHandler) error {
	if !ValidChannel(channel) {
		return ErrInvalidChannel
	}
	ch, err := b.channel(channel)
	if err != nil {
		return err
	}
	ch.mu.Lock()
	ch.handler = h
	ch.mu.Unlock()
	return nil
}

// Unsubscribe implements Broker.
func (b *MemoryBroker) Unsubscribe(_ context.Context, channel string) error {
	b.mu.Lock()
	ch := b.channels[channel]
	b.mu.Unlock()
	if ch != nil {
		ch.mu.Lock()
		ch.handler = nil
		ch.mu.Unlock()
	}
	return nil
}

// History implements Broker.
func (b *MemoryBroker) History(_ context.Context, channel string, sinceSeq uint64, limit int) ([]Event, bool, error) {
	if !ValidChannel(channel) {
		return nil, false, ErrInvalidChannel
	}
	ch, err := b.channel(channel)
	if err != nil {
		return nil, false, err
	}
	if limit <= 0 {
		limit = b.opts.Size
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	ch.expire(b.opts)
	switch {
	case sinceSeq > ch.seq:
		return nil, false, nil
	case sinceSeq == ch.seq:
		return nil, true, nil
	}
	oldest := ch.seq - uint64(ch.n) + 1 // Seq of ring[head] when n > 0
	if ch.n == 0 || oldest > sinceSeq+1 {
		return nil, false, nil
	}
	skip := int(sinceSeq + 1 - oldest)
	count := min(ch.n-skip, limit)
	out := make([]Event, count)
	for i := range out {
		out[i] = ch.ring[(ch.head+skip+i)%len(ch.ring)]
	}
	return out, out[count-1].Seq == ch.seq, nil
}

// expire drops events older than TTL from the front of the ring; ch.mu held.
func (ch *memChannel) expire(o HistoryOptions) {
	if o.TTL <= 0 {
		return
	}
	cutoff := o.Now().Add(-o.TTL)
	for ch.n > 0 && ch.ring[ch.head].Time.Before(cutoff) {
		ch.ring[ch.head] = Event{}
		ch.head = (ch.head + 1) % len(ch.ring)
		ch.n--
	}
}

// LastSeq implements Broker. With HistoryOptions.Start it begins the
// channel's numbering when it has none, so that the first event follows it.
func (b *MemoryBroker) LastSeq(_ context.Context, channel string) (uint64, error) {
	if b.opts.Start != nil {
		ch, err := b.channel(channel)
		if err != nil {
			return 0, err
		}
		ch.mu.Lock()
		defer ch.mu.Unlock()
		return ch.seq, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, ErrClosed
	}
	if ch := b.channels[channel]; ch != nil {
		ch.mu.Lock()
		defer ch.mu.Unlock()
		return ch.seq, nil
	}
	return 0, nil
}

// Close stops the broker: later calls return ErrClosed. It never fails.
func (b *MemoryBroker) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return nil
}
