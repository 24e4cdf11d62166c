package realtime

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// snapshotCache keeps, per channel, the last snapshot built and the Seq it
// was built at, so that clients joining while nothing was published share
// one database read and one encoding. Concurrent misses for the same Seq
// wait for the one build in progress (coalescing).
type snapshotCache struct {
	mu      sync.Mutex
	entries map[string]*snapshotEntry
}

// snapshotEntry is a snapshot of a channel at seq; ready is closed when
// pm or err is set.
type snapshotEntry struct {
	seq   uint64
	at    time.Time
	ready chan struct{}
	pm    *websocket.PreparedMessage
	err   error
}

// forget drops a channel's entry (its last client left).
func (c *snapshotCache) forget(channel string) {
	c.mu.Lock()
	delete(c.entries, channel)
	c.mu.Unlock()
}

// get returns the snapshot message of channel at seq, built by fn once for
// all clients that ask for the same seq within ttl (ttl < 0: never reused).
// The snapshot reflects at least every event up to seq because fn is
// called after seq was read (see client.resume).
func (c *snapshotCache) get(ctx context.Context, channel string, seq uint64, ttl time.Duration, fn SnapshotFunc) (*websocket.PreparedMessage, error) {
	c.mu.Lock()
	e := c.entries[channel]
	if e != nil && e.seq == seq && ttl >= 0 {
		select {
		case <-e.ready:
			if e.err == nil && time.Since(e.at) < ttl {
				c.mu.Unlock()
				return e.pm, nil
			}
			e = nil // stale or failed: build again
		default: // a build for this seq is in progress: wait for it
		}
		if e != nil {
			c.mu.Unlock()
			select {
			case <-e.ready:
				if e.err == nil {
					return e.pm, nil
				}
				return nil, e.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	e = &snapshotEntry{seq: seq, ready: make(chan struct{})}
	if ttl >= 0 {
		c.entries[channel] = e
	}
	c.mu.Unlock()
	e.pm, e.err = build(ctx, channel, seq, fn)
	e.at = time.Now()
	close(e.ready)
	return e.pm, e.err
}

// build calls fn and encodes its result as a snapshot message at seq.
func build(ctx context.Context, channel string, seq uint64, fn SnapshotFunc) (*websocket.PreparedMessage, error) {
	data, err := fn(ctx, channel)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(Event{Channel: channel, Seq: seq, Type: TypeSnapshot, Data: data, Time: time.Now()})
	if err != nil {
		return nil, err
	}
	return websocket.NewPreparedMessage(websocket.TextMessage, b)
}
