package realtime

import (
	"context"
	"encoding/json"
	"time"
)

// EventHandler receives the events of a channel a node subscribed to. A
// Broker calls it for one channel's events one at a time, in Seq order; after
// a lost connection there may be a gap in Seq (the Hub detects it). The
// handler must not block and must not call back into the Broker.
type EventHandler func(Event)

// Broker carries events between nodes and keeps a bounded history per channel.
// It is the seam between one process (MemoryBroker) and many (RedisBroker).
// Implementations are safe for concurrent use.
type Broker interface {
	// Publish appends an event to channel and delivers it to every node
	// subscribed to channel. It assigns Seq (previous Seq + 1; the first is 1
	// more than where the channel's numbering starts, 0 unless
	// HistoryOptions.Start says otherwise) and Time atomically with the append, so the order of Seq is the order of
	// delivery on every node. data must be valid JSON or empty. Errors:
	// ErrInvalidChannel, ErrInvalidType (empty, bad alphabet or reserved),
	// ErrInvalidData, ErrClosed, or a transport error.
	Publish(ctx context.Context, channel, typ string, data json.RawMessage) (Event, error)

	// Subscribe registers this node's interest in channel: events published
	// after Subscribe returns, by any node, are passed to h. A node has at
	// most one handler per channel; subscribing again replaces it. When
	// Subscribe returns nil the subscription is active, so a History call
	// made afterwards plus the events delivered to h cover everything.
	Subscribe(ctx context.Context, channel string, h EventHandler) error

	// Unsubscribe ends this node's interest in channel; h is not called for
	// channel after it returns. Unsubscribing an unknown channel is a no-op.
	Unsubscribe(ctx context.Context, channel string) error

	// History returns the events of channel with Seq greater than sinceSeq,
	// oldest first, at most limit of them (limit <= 0 means the broker's
	// history size). complete is true when the result holds every event after
	// sinceSeq up to the channel's last Seq; it is false when some were
	// evicted (by size or age), when limit cut the list, or when sinceSeq is
	// ahead of the channel (its history was reset) — the caller then needs a
	// full snapshot.
	History(ctx context.Context, channel string, sinceSeq uint64, limit int) (events []Event, complete bool, err error)

	// LastSeq returns the Seq of the last event published on channel, or
	// where its numbering starts when none was (0 without
	// HistoryOptions.Start, which LastSeq then begins).
	LastSeq(ctx context.Context, channel string) (uint64, error)

	// Send delivers a private message for user on channel to every node
	// subscribed to channel, as an Event with Seq 0 and To = user; it is
	// never stored in history and never changes Seq. Each node hands it to
	// that user's connections only (Hub.SendToUser). A node without the
	// user's connections drops it. Errors: ErrInvalidChannel, ErrInvalidType
	// (bad type or empty user), ErrInvalidData, ErrClosed, or a transport
	// error.
	Send(ctx context.Context, channel, user, typ string, data json.RawMessage) error

	// SetPresence records that node holds n connections on channel, valid
	// for ttl (after which the record no longer counts, so a node that dies
	// stops counting); n <= 0 removes the record.
	SetPresence(ctx context.Context, channel, node string, n int, ttl time.Duration) error

	// Presence returns the unexpired connection counts of channel by node.
	Presence(ctx context.Context, channel string) (map[string]int, error)
}
