package realtime

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// frame is one queued websocket write. Broadcast frames are shared by all
// recipients and must not be modified after creation.
type frame struct {
	seq     uint64                     // channel Seq; 0 for private messages and control frames
	pm      *websocket.PreparedMessage // data message, encoded once
	control int                        // websocket.PongMessage when answering a ping frame
	payload []byte                     // control frame payload
}

// client is one websocket connection on one channel. Its writer goroutine
// (writeLoop) is the only goroutine that writes to conn; everything else
// enqueues frames or calls drop.
type client struct {
	hub     *Hub
	id      string
	channel string
	user    string
	conn    *websocket.Conn // set before writeLoop starts

	since    uint64 // resume point sent by the client, if hasSince
	hasSince bool
	snapshot SnapshotFunc
	recheck  RecheckFunc // nil: never re-checked
	last     uint64      // last Seq written; writer goroutine only

	qmu   sync.Mutex
	queue []*frame // pending frames, at most qmax; grows on demand so idle clients hold none
	qmax  int
	wake  chan struct{} // capacity 1: "queue is not empty"
	done  chan struct{} // closed by drop
	once  sync.Once
	code  int    // close code, set before done is closed
	why   string // close reason
}

// enqueue adds f to the queue without blocking; false means the queue is full
// (or the client is already closing) and the caller must drop the client.
func (c *client) enqueue(f *frame) bool {
	select {
	case <-c.done:
		return true // already going away; nothing to report
	default:
	}
	c.qmu.Lock()
	if len(c.queue) >= c.qmax {
		c.qmu.Unlock()
		return false
	}
	c.queue = append(c.queue, f)
	c.qmu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return true
}

// drop asks the writer to send a close frame with code (0: none) and stop.
// It never blocks and is safe to call many times; the first call wins.
func (c *client) drop(code int, reason string) {
	c.once.Do(func() {
		c.code, c.why = code, reason
		close(c.done)
	})
}

// writeLoop replays what the client missed, then writes queued frames and
// pings until drop is called or a write fails. It closes the connection when
// it returns, which also ends the reader.
func (c *client) writeLoop() {
	defer c.conn.Close()
	o := c.hub.opts
	if !c.resume() {
		return
	}
	ping := time.NewTicker(o.PingInterval)
	defer ping.Stop()
	var batch []*frame
	for {
		select {
		case <-c.wake:
			c.qmu.Lock()
			batch, c.queue = c.queue, batch[:0]
			c.qmu.Unlock()
			for i, f := range batch {
				batch[i] = nil
				if err := c.write(f); err != nil {
					c.drop(0, "")
					return
				}
			}
			if cap(batch) > 16 {
				batch = nil // give a burst's memory back
			}
		case <-ping.C:
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(o.WriteTimeout)); err != nil {
				c.drop(0, "")
				return
			}
		case <-c.done:
			if c.code != 0 {
				msg := websocket.FormatCloseMessage(c.code, c.why)
				_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			}
			return
		}
	}
}

// write sends f unless it is a channel event the client already has. A gap
// in Seq (which the hub should have caught) makes the client resume.
func (c *client) write(f *frame) error {
	deadline := time.Now().Add(c.hub.opts.WriteTimeout)
	if f.control != 0 {
		return c.conn.WriteControl(f.control, f.payload, deadline)
	}
	if f.seq != 0 {
		if f.seq <= c.last {
			return nil
		}
		if f.seq != c.last+1 {
			c.drop(CloseResync, "events lost")
			return nil
		}
		c.last = f.seq
	}
	if err := c.conn.SetWriteDeadline(deadline); err != nil {
		return err
	}
	return c.conn.WritePreparedMessage(f.pm)
}

// welcome is the first message on every connection (PROTOCOL.md).
type welcome struct {
	Type      string `json:"type"`
	Client    string `json:"client"`
	Channel   string `json:"channel"`
	Seq       uint64 `json:"seq"`
	Recovered bool   `json:"recovered"`
}

// resume writes the welcome, then either the events after since (when the
// history still holds all of them) or a snapshot. It runs on the writer
// goroutine before any queued frame, and events queued meanwhile with a Seq
// already covered are skipped by write.
func (c *client) resume() bool {
	o := c.hub.opts
	ctx, cancel := context.WithTimeout(context.Background(), o.BrokerTimeout)
	defer cancel()
	fail := func(what string, err error) bool {
		o.Logger.Warn("realtime: resume failed", "channel", c.channel, "client", c.id, "step", what, "err", err)
		c.drop(websocket.CloseTryAgainLater, "resume failed")
		c.closeNow()
		return false
	}
	var missed []Event
	recovered := false
	if c.hasSince {
		evs, complete, err := c.hub.broker.History(ctx, c.channel, c.since, o.RecoverLimit)
		if err != nil {
			return fail("history", err)
		}
		missed, recovered = evs, complete
	}
	var snap *websocket.PreparedMessage
	if recovered {
		c.last = c.since
	} else {
		seq, err := c.hub.broker.LastSeq(ctx, c.channel)
		if err != nil {
			return fail("last seq", err)
		}
		c.last = seq
		if c.snapshot != nil {
			// LastSeq first, then the snapshot: the snapshot reflects at
			// least every event up to seq, so nothing is lost; events after
			// seq may already be reflected and are applied idempotently.
			// Clients joining at the same seq share one snapshot.
			if snap, err = c.hub.snaps.get(ctx, c.channel, seq, o.SnapshotTTL, c.snapshot); err != nil {
				return fail("snapshot", err)
			}
		}
	}
	msgs := []any{welcome{TypeWelcome, c.id, c.channel, c.last, recovered}}
	for i := range missed {
		msgs = append(msgs, &missed[i])
	}
	for i, m := range msgs {
		if err := c.conn.SetWriteDeadline(time.Now().Add(o.WriteTimeout)); err != nil {
			return false
		}
		err := c.conn.WriteJSON(m)
		if i == 0 && err == nil && snap != nil {
			err = c.conn.WritePreparedMessage(snap)
		}
		if err != nil {
			c.drop(0, "")
			return false
		}
	}
	if n := len(missed); n > 0 {
		c.last = missed[n-1].Seq
	}
	return true
}

// closeNow sends the close frame requested by drop; used before writeLoop's
// main loop starts.
func (c *client) closeNow() {
	msg := websocket.FormatCloseMessage(c.code, c.why)
	_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
}

// readLoop runs on its own goroutine: it keeps the read deadline
// fresh, hands pings and application pings to the writer, and returns when
// the connection fails or closes.
func (c *client) readLoop() {
	o := c.hub.opts
	conn := c.conn
	conn.SetReadLimit(o.MaxMessageSize)
	fresh := func() { _ = conn.SetReadDeadline(time.Now().Add(o.PongTimeout)) }
	fresh()
	conn.SetPongHandler(func(string) error { fresh(); return nil })
	conn.SetPingHandler(func(p string) error {
		fresh()
		if !c.enqueue(&frame{control: websocket.PongMessage, payload: []byte(p)}) {
			c.drop(CloseSlow, "send queue full")
		}
		return nil
	})
	conn.SetCloseHandler(func(code int, _ string) error {
		c.drop(websocket.CloseNormalClosure, "")
		return nil
	})
	for {
		_, r, err := conn.NextReader()
		if err != nil {
			return
		}
		fresh()
		var msg struct {
			Type string `json:"type"`
		}
		if json.NewDecoder(r).Decode(&msg) == nil && msg.Type == "ping" {
			if !c.enqueue(c.hub.pong) {
				c.drop(CloseSlow, "send queue full")
			}
		}
		_, _ = io.Copy(io.Discard, r)
	}
}
