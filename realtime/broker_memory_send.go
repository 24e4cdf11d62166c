package realtime

import (
	"context"
	"encoding/json"
	"time"
)

// presenceRecord is one node's connection count on a channel, valid until
// the given time.
type presenceRecord struct {
	n     int
	until time.Time
}

// Send implements Broker: the subscribed handler (if any) runs before Send
// returns, under the channel's lock, so private messages keep their place
// among the channel's events.
func (b *MemoryBroker) Send(_ context.Context, channel, user, typ string, data json.RawMessage) error {
	if err := validateSend(channel, user, typ, data); err != nil {
		return err
	}
	ch, err := b.channel(channel)
	if err != nil {
		return err
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if ch.handler != nil {
		ch.handler(Event{Channel: channel, Type: typ, Data: append(json.RawMessage(nil), data...), Time: b.opts.Now(), To: user})
	}
	return nil
}

// SetPresence implements Broker.
func (b *MemoryBroker) SetPresence(_ context.Context, channel, node string, n int, ttl time.Duration) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if n <= 0 {
		delete(b.presence[channel], node)
		if len(b.presence[channel]) == 0 {
			delete(b.presence, channel)
		}
		return nil
	}
	if b.presence[channel] == nil {
		b.presence[channel] = make(map[string]presenceRecord)
	}
	b.presence[channel][node] = presenceRecord{n: n, until: b.opts.Now().Add(ttl)}
	return nil
}

// Presence implements Broker.
func (b *MemoryBroker) Presence(_ context.Context, channel string) (map[string]int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	now := b.opts.Now()
	out := make(map[string]int)
	for node, r := range b.presence[channel] {
		if r.until.After(now) {
			out[node] = r.n
		}
	}
	return out, nil
}
