package realtime

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// publishScript appends an event and publishes it in one atomic step, so the
// order of sequence numbers is the order of PUBLISH and therefore the order in
// which every subscribed node receives the events of a channel.
// KEYS[1] sequence counter, KEYS[2] history sorted set (score = seq),
// KEYS[3] this publish's id (set to its seq once done; a second run with
// the same id returns that seq and changes nothing);
// ARGV[1] pub/sub channel, ARGV[2] the event as a JSON object without "seq",
// ARGV[3] history size, ARGV[4] history TTL in seconds (0: none), ARGV[5]
// the number a new numbering starts from (HistoryOptions.Start; "0": none),
// ARGV[6] how long the id is kept, in seconds (publishOnceTTL).
const publishScript = `
local done = redis.call('GET', KEYS[3])
if done then return tonumber(done) end
if ARGV[5] ~= '0' then redis.call('SET', KEYS[1], ARGV[5], 'NX') end
local seq = redis.call('INCR', KEYS[1])
local payload = '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2)
redis.call('ZADD', KEYS[2], seq, payload)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[3]) + 1))
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[2], ARGV[4]) end
redis.call('PUBLISH', ARGV[1], payload)
redis.call('SET', KEYS[3], seq, 'EX', ARGV[6])
return seq
`

// publishOnceTTL is how long Redis remembers a publish by its id (KEYS[3]
// of publishScript), in seconds. The client library sends a command again
// when its reply is lost (a connection cut after Redis ran it: a partition,
// a proxy restarting); within this time the second run returns the first
// one's seq instead of publishing the event again under a new number. It is
// well above go-redis v9's default retries: 4 attempts, each bounded by its
// 5 s read timeout, with at most 1 s between them (about 23 s in all). A
// Redis URL that raises read_timeout or max_retries must keep that total
// under it.
const publishOnceTTL = 60

// historyScript returns {last seq, complete flag, events...} for events after
// ARGV[1] (at most ARGV[2]); the flag is 0 when events after ARGV[1] were
// evicted or ARGV[1] is ahead of the channel. ARGV[3] starts the numbering
// of a channel that has none, as publishScript's ARGV[5].
const historyScript = `
if ARGV[3] ~= '0' then redis.call('SET', KEYS[1], ARGV[3], 'NX') end
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local since = tonumber(ARGV[1])
if since > last then return {last, 0} end
if since == last then return {last, 1} end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 or tonumber(first[2]) > since + 1 then return {last, 0} end
local out = {last, 1}
for _, e in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'LIMIT', 0, tonumber(ARGV[2]))) do
  out[#out + 1] = e
end
return out
`

// lastSeqScript returns the channel's last Seq, first starting its
// numbering at ARGV[1] when it has none (and ARGV[1] is not "0").
const lastSeqScript = `
if ARGV[1] ~= '0' then redis.call('SET', KEYS[1], ARGV[1], 'NX') end
return tonumber(redis.call('GET', KEYS[1]) or '0')
`

// RedisOptions configure a RedisBroker.
type RedisOptions struct {
	// Prefix starts every key and pub/sub channel name; default "rembug:rt:".
	// Names use a hash tag ({channel}) so one channel's keys share a Redis
	// Cluster slot.
	Prefix string
	// History bounds the per-channel history. With Redis the TTL applies to
	// the whole history of a channel: it expires TTL after the last Publish.
	// Every broker on one Redis must have the same History.Start: whichever
	// touches a channel first starts its numbering.
	History HistoryOptions
}

// RedisBroker is the Broker for many nodes: each node creates one RedisBroker
// on the same Redis. Publish runs one Lua script (INCR the channel's counter,
// ZADD to a capped history, PUBLISH), so sequence numbers are global and every
// node receives a channel's events in the same order over Redis pub/sub. One
// goroutine per broker reads pub/sub; Close stops it.
type RedisBroker struct {
	rdb     redis.UniversalClient
	opts    RedisOptions
	publish *redis.Script
	history *redis.Script
	lastSeq *redis.Script
	setPres *redis.Script
	getPres *redis.Script
	ps      *redis.PubSub
	done    chan struct{}
	wg      sync.WaitGroup

	mu       sync.Mutex // guards handlers, waiters and closed; held while a handler runs
	closed   bool
	handlers map[string]EventHandler  // pub/sub name -> handler
	waiters  map[string]chan struct{} // pub/sub name -> closed on subscribe confirmation
}

// NewRedisBroker returns a broker using rdb (which the caller owns and closes
// after the broker). It opens one pub/sub connection and starts its reader.
func NewRedisBroker(ctx context.Context, rdb redis.UniversalClient, opts RedisOptions) (*RedisBroker, error) {
	if opts.Prefix == "" {
		opts.Prefix = "rembug:rt:"
	}
	opts.History = opts.History.withDefaults()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("realtime: redis ping: %w", err)
	}
	b := &RedisBroker{
		rdb: rdb, opts: opts,
		publish:  redis.NewScript(publishScript),
		history:  redis.NewScript(historyScript),
		lastSeq:  redis.NewScript(lastSeqScript),
		setPres:  redis.NewScript(setPresenceScript),
		getPres:  redis.NewScript(presenceScript),
		ps:       rdb.Subscribe(ctx),
		done:     make(chan struct{}),
		handlers: make(map[string]EventHandler),
		waiters:  make(map[string]chan struct{}),
	}
	msgs := b.ps.ChannelWithSubscriptions(redis.WithChannelSize(4096))
	b.wg.Add(1)
	go b.receive(msgs)
	return b, nil
}

func (b *RedisBroker) name(channel string) string { return b.opts.Prefix + "{" + channel + "}" }

// receive dispatches pub/sub messages to handlers, in arrival order.
func (b *RedisBroker) receive(msgs <-chan interface{}) {
	defer b.wg.Done()
	for {
		select {
		case <-b.done:
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			b.dispatch(m)
		}
	}
}

func (b *RedisBroker) dispatch(m interface{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch m := m.(type) {
	case *redis.Subscription:
		if m.Kind != "subscribe" {
			return
		}
		if w := b.waiters[m.Channel]; w != nil {
			close(w)
			delete(b.waiters, m.Channel)
			return
		}
		// A confirmation nobody waits for is the pub/sub connection
		// subscribing again after it was lost (Redis restarted or the
		// network failed): events published meanwhile never reached this
		// node, and a restarted Redis without persistence numbers the
		// channel from 1 again. The handler hears of it as a restart.
		if h := b.handlers[m.Channel]; h != nil && len(m.Channel) > len(b.opts.Prefix)+2 {
			h(Event{Channel: m.Channel[len(b.opts.Prefix)+1 : len(m.Channel)-1], Type: TypeRestart, To: recheckTo})
		}
	case *redis.Message:
		h := b.handlers[m.Channel]
		if h == nil {
			return
		}
		var ev Event
		if err := json.Unmarshal([]byte(m.Payload), &ev); err != nil {
			return // not ours; nothing sensible to deliver
		}
		h(ev)
	}
}

// Publish implements Broker.
func (b *RedisBroker) Publish(ctx context.Context, channel, typ string, data json.RawMessage) (Event, error) {
	if err := validatePublish(channel, typ, data); err != nil {
		return Event{}, err
	}
	ev := Event{Channel: channel, Type: typ, Data: data, Time: b.opts.History.Now()}
	body, err := json.Marshal(struct {
		Channel string          `json:"channel"`
		Type    string          `json:"type"`
		Data    json.RawMessage `json:"data,omitempty"`
		Time    time.Time       `json:"time"`
	}{ev.Channel, ev.Type, ev.Data, ev.Time})
	if err != nil {
		return Event{}, fmt.Errorf("realtime: encode event for %q: %w", channel, err)
	}
	name := b.name(channel)
	// The publish's own id: a command the client sends again after a lost
	// reply carries the same id, so the script runs its effect once.
	var id [12]byte
	_, _ = crand.Read(id[:])
	keys := []string{name + ":seq", name + ":hist", name + ":pub:" + hex.EncodeToString(id[:])}
	ttl := int64(b.opts.History.TTL / time.Second)
	start := strconv.FormatUint(b.opts.History.start(), 10)
	seq, err := b.publish.Run(ctx, b.rdb, keys, name, body, b.opts.History.Size, ttl, start, publishOnceTTL).Uint64()
	if err != nil {
		return Event{}, fmt.Errorf("realtime: redis publish on %q: %w", channel, err)
	}
	ev.Seq = seq
	return ev, nil
}

// Subscribe implements Broker; it returns once Redis confirmed the
// subscription, or with ctx's error.
func (b *RedisBroker) Subscribe(ctx context.Context, channel string, h EventHandler) error {
	if !ValidChannel(channel) {
		return ErrInvalidChannel
	}
	name := b.name(channel)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrClosed
	}
	_, had := b.handlers[name]
	b.handlers[name] = h
	w := b.waiters[name]
	if !had && w == nil {
		w = make(chan struct{})
		b.waiters[name] = w
	}
	b.mu.Unlock()
	if w == nil {
		return nil // already active
	}
	if !had {
		if err := b.ps.Subscribe(ctx, name); err != nil {
			b.forget(name)
			return fmt.Errorf("realtime: redis subscribe %q: %w", channel, err)
		}
	}
	select {
	case <-w:
		return nil
	case <-b.done:
		return ErrClosed
	case <-ctx.Done():
		b.forget(name)
		_ = b.ps.Unsubscribe(context.Background(), name)
		return ctx.Err()
	}
}

func (b *RedisBroker) forget(name string) {
	b.mu.Lock()
	delete(b.handlers, name)
	delete(b.waiters, name)
	b.mu.Unlock()
}

// Unsubscribe implements Broker.
func (b *RedisBroker) Unsubscribe(ctx context.Context, channel string) error {
	name := b.name(channel)
	b.mu.Lock()
	_, had := b.handlers[name]
	delete(b.handlers, name)
	b.mu.Unlock()
	if !had {
		return nil
	}
	if err := b.ps.Unsubscribe(ctx, name); err != nil {
		return fmt.Errorf("realtime: redis unsubscribe %q: %w", channel, err)
	}
	return nil
}

// History implements Broker.
func (b *RedisBroker) History(ctx context.Context, channel string, sinceSeq uint64, limit int) ([]Event, bool, error) {
	if !ValidChannel(channel) {
		return nil, false, ErrInvalidChannel
	}
	if limit <= 0 {
		limit = b.opts.History.Size
	}
	name := b.name(channel)
	keys := []string{name + ":seq", name + ":hist"}
	start := strconv.FormatUint(b.opts.History.start(), 10)
	res, err := b.history.Run(ctx, b.rdb, keys, strconv.FormatUint(sinceSeq, 10), limit, start).Slice()
	if err != nil {
		return nil, false, fmt.Errorf("realtime: redis history of %q: %w", channel, err)
	}
	if len(res) < 2 {
		return nil, false, fmt.Errorf("realtime: redis history of %q: short reply", channel)
	}
	last, _ := res[0].(int64)
	if flag, _ := res[1].(int64); flag == 0 {
		return nil, false, nil
	}
	events := make([]Event, 0, len(res)-2)
	for _, r := range res[2:] {
		s, _ := r.(string)
		var ev Event
		if err := json.Unmarshal([]byte(s), &ev); err != nil {
			return nil, false, fmt.Errorf("realtime: redis history of %q: %w", channel, err)
		}
		events = append(events, ev)
	}
	complete := sinceSeq == uint64(last) || (len(events) > 0 && events[len(events)-1].Seq == uint64(last))
	return events, complete, nil
}

// LastSeq implements Broker.
func (b *RedisBroker) LastSeq(ctx context.Context, channel string) (uint64, error) {
	start := strconv.FormatUint(b.opts.History.start(), 10)
	v, err := b.lastSeq.Run(ctx, b.rdb, []string{b.name(channel) + ":seq"}, start).Uint64()
	if err != nil {
		return 0, fmt.Errorf("realtime: redis last seq of %q: %w", channel, err)
	}
	return v, nil
}

// Close unsubscribes everything, closes the pub/sub connection and waits for
// the reader goroutine. The redis client passed to NewRedisBroker stays open.
func (b *RedisBroker) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.handlers = map[string]EventHandler{}
	close(b.done)
	b.mu.Unlock()
	err := b.ps.Close()
	b.wg.Wait()
	return err
}
