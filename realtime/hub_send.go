package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SendTo queues a private message for one client: an Event of type typ with
// Seq 0 on the client's channel, never stored in history and never seen by
// other clients (use it for per-user state such as "my upvotes"). Errors:
// ErrInvalidType, ErrInvalidData, ErrClientNotFound, or ErrSlowClient when
// the client's queue was full (the client is then disconnected).
func (h *Hub) SendTo(clientID, typ string, data json.RawMessage) error {
	h.mu.RLock()
	c := h.clients[clientID]
	h.mu.RUnlock()
	if c == nil {
		return fmt.Errorf("%w: %q", ErrClientNotFound, clientID)
	}
	f, err := privateFrame(c.channel, typ, data)
	if err != nil {
		return err
	}
	if !c.enqueue(f) {
		c.drop(CloseSlow, "send queue full")
		return fmt.Errorf("%w: %q", ErrSlowClient, clientID)
	}
	return nil
}

// SendToUser queues a private message (as SendTo) for every connection of
// user on channel on this node, where user is the identity returned by
// HandlerOptions.User. It returns how many connections it reached; slow
// connections are disconnected and not counted.
func (h *Hub) SendToUser(channel, user, typ string, data json.RawMessage) (int, error) {
	f, err := privateFrame(channel, typ, data)
	if err != nil {
		return 0, err
	}
	var victims []*client
	n := 0
	h.mu.RLock()
	for c := range h.users[channel+"\x00"+user] {
		if c.enqueue(f) {
			n++
		} else {
			victims = append(victims, c)
		}
	}
	h.mu.RUnlock()
	for _, c := range victims {
		c.drop(CloseSlow, "send queue full")
	}
	return n, nil
}

// PublishToUser sends a private message (as SendToUser) to user's
// connections on channel on every node, through the Broker; other viewers
// never receive it. Errors: those of Broker.Send.
func (h *Hub) PublishToUser(ctx context.Context, channel, user, typ string, data json.RawMessage) error {
	return h.broker.Send(ctx, channel, user, typ, data)
}

func privateFrame(channel, typ string, data json.RawMessage) (*frame, error) {
	if err := validateType(typ); err != nil {
		return nil, err
	}
	if len(data) > 0 && !json.Valid(data) {
		return nil, fmt.Errorf("%w (type %q)", ErrInvalidData, typ)
	}
	return eventFrame(Event{Channel: channel, Type: typ, Data: data, Time: time.Now()})
}

// ClientCount returns the number of clients connected to channel on this
// node.
func (h *Hub) ClientCount(channel string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if hc := h.channels[channel]; hc != nil {
		return len(hc.clients)
	}
	return 0
}

// TotalClients returns the number of clients connected to this node.
func (h *Hub) TotalClients() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.clients)
}

// Channels returns, for each channel with clients on this node, how many.
func (h *Hub) Channels() map[string]int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make(map[string]int, len(h.channels))
	for name, hc := range h.channels {
		out[name] = len(hc.clients)
	}
	return out
}

// Disconnect closes a client's connection with code CloseResync so that it
// reconnects and resumes (for example after its permissions changed; the
// reconnect runs Authorize again). Errors: ErrClientNotFound.
func (h *Hub) Disconnect(clientID string) error {
	h.mu.RLock()
	c := h.clients[clientID]
	h.mu.RUnlock()
	if c == nil {
		return fmt.Errorf("%w: %q", ErrClientNotFound, clientID)
	}
	c.drop(CloseResync, "disconnected by server")
	return nil
}

// Close disconnects every client (close code CloseReconnect, 4002: resume
// on another node), waits until
// all their goroutines have stopped and unsubscribes the Broker from their
// channels; it stops the presence goroutine and removes this node's
// presence records. Later connections are refused with 503. It returns nil.
func (h *Hub) Close() error {
	h.mu.Lock()
	if !h.closed {
		close(h.stop)
	}
	h.closed = true
	all := make([]*client, 0, len(h.clients))
	for _, c := range h.clients {
		all = append(all, c)
	}
	h.mu.Unlock()
	for _, c := range all {
		c.drop(CloseReconnect, "server shutting down, reconnect")
	}
	h.wg.Wait()
	h.bgDone.Wait()
	return nil
}
