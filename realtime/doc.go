// Package realtime is the websocket hub behind live sessions: clients join a
// channel (one per live session), every event on a channel carries a sequence
// number assigned by a Broker, and a client that reconnects with the last
// sequence number it saw gets exactly what it missed, or a full snapshot when
// it fell too far behind. The package knows channels and events, not the forum;
// the web layer supplies authorization and snapshots as callbacks.
//
// The design follows centrifugal/centrifuge: a Hub of clients per channel, one
// writer goroutine per connection fed by a bounded queue, a Broker interface
// with an in-process implementation (MemoryBroker) and a Redis one
// (RedisBroker) for many nodes, and a bounded history addressed by sequence
// number. The wire protocol is described in PROTOCOL.md.
//
// Concurrency guarantees:
//   - Every method of Hub, MemoryBroker, RedisBroker and Coalescer is safe for
//     concurrent use.
//   - Each websocket connection has exactly one writer goroutine; events,
//     private messages, pings, pongs and close frames all pass through it.
//   - A broadcast encodes an event once (websocket.PreparedMessage), enqueues
//     it without blocking, and never holds the hub lock during a network write.
//     A client whose queue is full is disconnected and resumes later.
//   - Events of one channel reach every client, on every node, in sequence
//     order, without gaps and without duplicates; a node that detects a gap
//     (for example after a lost Redis connection) disconnects the channel's
//     clients so that they resume from history.
//   - Private messages (Hub.PublishToUser) travel through the Broker to the
//     user's connections on every node and reach no other connection.
//   - Each Hub records its connection counts in the Broker every
//     PresenceInterval with an expiry, so Hub.Connected counts every node.
//   - Clients joining a channel at the same Seq share one snapshot (built
//     once, reused for SnapshotTTL while nothing is published).
//   - Hub.Recheck travels through the Broker to every node, which asks the
//     handler's Recheck again for each connection of the channel (on a Hub
//     goroutine, never in a broadcast) and closes refused ones with
//     CloseRevoked.
//   - Every goroutine started here has an owner (Hub, RedisBroker, Coalescer)
//     and stops when its owner's Close returns.
package realtime
