package realtime

import (
	"context"
	"fmt"
)

// RecheckFunc answers whether the viewer user (HandlerOptions.User's name
// for them, "" for anonymous) may still read channel. It runs on the Hub's
// own goroutine, once per connection of the channel on this node, and must
// read rights afresh (not from a cache older than the change).
type RecheckFunc func(ctx context.Context, user, channel string) bool

// recheckTo and TypeRecheck mark the private message that orders every
// node to re-check a channel's connections (Hub.Recheck). No viewer is
// named "*", so it never reaches a client.
const recheckTo = "*"

// TypeRecheck is the type of the broker message behind Hub.Recheck.
const TypeRecheck = "recheck"

// CloseRevoked is the close code of a connection whose viewer lost the
// right to read its channel (a re-check refused it); clients show that
// access ended and do not reconnect by themselves.
const CloseRevoked = 4003

// Recheck asks every node subscribed to channel to run its HandlerOptions'
// Recheck for each connection on channel and to disconnect, with
// CloseRevoked, those it refuses. It travels through the Broker
// (Broker.Send), so it reaches the connections of every node; it returns
// once the message was handed to the Broker (Errors: those of Send). Call it
// after a change that can take rights away: a consultation's status or
// phase, a membership, a role.
func (h *Hub) Recheck(ctx context.Context, channel string) error {
	if err := h.broker.Send(ctx, channel, recheckTo, TypeRecheck, nil); err != nil {
		return fmt.Errorf("realtime: recheck %q: %w", channel, err)
	}
	return nil
}

// recheckLocal re-checks this node's connections on channel in a goroutine
// owned by the Hub (deliver must not block).
func (h *Hub) recheckLocal(channel string) {
	h.mu.RLock()
	hc := h.channels[channel]
	var cs []*client
	if hc != nil && !h.closed {
		for c := range hc.clients {
			if c.recheck != nil {
				cs = append(cs, c)
			}
		}
	}
	if len(cs) > 0 {
		h.bgDone.Add(1) // under h.mu: Close cannot be waiting on bgDone yet
	}
	h.mu.RUnlock()
	if len(cs) == 0 {
		return
	}
	go func() {
		defer h.bgDone.Done()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-h.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		// One answer per viewer: a channel's connections of one user (or
		// every anonymous one) share it.
		seen := map[string]bool{}
		for _, c := range cs {
			ok, done := seen[c.user]
			if !done {
				ok = c.recheck(ctx, c.user, channel)
				seen[c.user] = ok
			}
			if !ok && ctx.Err() == nil {
				c.drop(CloseRevoked, "access revoked")
			}
		}
	}()
}
