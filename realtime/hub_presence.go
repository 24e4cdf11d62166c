package realtime

import (
	"context"
	"strings"
	"time"
)

// Node returns this Hub's node name: random per Hub, the key of its
// presence records.
func (h *Hub) Node() string { return strings.TrimSuffix(h.idBase, "-") }

// presenceLoop records this node's connection counts in the Broker every
// PresenceInterval, with a TTL of three intervals, and clears the records
// of channels it left; on Close it clears all of its records.
func (h *Hub) presenceLoop() {
	defer h.bgDone.Done()
	every := h.opts.PresenceInterval
	t := time.NewTicker(every)
	defer t.Stop()
	reported := map[string]bool{}
	report := func(counts map[string]int) {
		ctx, cancel := context.WithTimeout(context.Background(), h.opts.BrokerTimeout)
		defer cancel()
		for ch := range reported {
			if counts[ch] == 0 {
				counts[ch] = 0 // cleared below
			}
		}
		for ch, n := range counts {
			if err := h.broker.SetPresence(ctx, ch, h.Node(), n, 3*every); err != nil {
				h.opts.Logger.Warn("realtime: presence", "channel", ch, "err", err)
				continue
			}
			if n > 0 {
				reported[ch] = true
			} else {
				delete(reported, ch)
			}
		}
	}
	for {
		select {
		case <-h.stop:
			report(map[string]int{})
			return
		case <-t.C:
			report(h.Channels())
		}
	}
}

// Connected returns how many connections channel has on every node: this
// node's live count plus the other nodes' latest records (at most
// PresenceInterval old; a node that stopped reporting drops out after three
// intervals). Errors: those of Broker.Presence.
func (h *Hub) Connected(ctx context.Context, channel string) (int, error) {
	all, err := h.broker.Presence(ctx, channel)
	if err != nil {
		return h.ClientCount(channel), err
	}
	n := h.ClientCount(channel)
	for node, c := range all {
		if node != h.Node() {
			n += c
		}
	}
	return n, nil
}
