package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// setPresenceScript records one node's count on Redis's clock, so nodes
// with skewed clocks agree on expiry. KEYS[1] the channel's presence hash
// (field node, value "count:expiry ms"); ARGV[1] node, ARGV[2] count,
// ARGV[3] ttl ms.
const setPresenceScript = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(ARGV[2]) <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
`

// presenceScript returns {node, count, ...} for the unexpired records of
// KEYS[1] and deletes the expired ones.
const presenceScript = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  local n, u = string.match(all[i + 1], '^(%d+):(%d+)$')
  if n and tonumber(u) > now then
    out[#out + 1] = all[i]
    out[#out + 1] = tonumber(n)
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return out
`

// Send implements Broker: one PUBLISH on the channel's pub/sub name, so a
// private message keeps its place among the channel's events on every node.
func (b *RedisBroker) Send(ctx context.Context, channel, user, typ string, data json.RawMessage) error {
	if err := validateSend(channel, user, typ, data); err != nil {
		return err
	}
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return ErrClosed
	}
	body, err := json.Marshal(Event{Channel: channel, Type: typ, Data: data, Time: b.opts.History.Now(), To: user})
	if err != nil {
		return fmt.Errorf("realtime: encode private message for %q: %w", channel, err)
	}
	if err := b.rdb.Publish(ctx, b.name(channel), body).Err(); err != nil {
		return fmt.Errorf("realtime: redis send on %q: %w", channel, err)
	}
	return nil
}

// SetPresence implements Broker; the record lives in a hash per channel
// whose fields carry their own expiry.
func (b *RedisBroker) SetPresence(ctx context.Context, channel, node string, n int, ttl time.Duration) error {
	if !ValidChannel(channel) {
		return ErrInvalidChannel
	}
	ms := max(ttl.Milliseconds(), 1)
	if err := b.setPres.Run(ctx, b.rdb, []string{b.name(channel) + ":presence"}, node, n, ms).Err(); err != nil {
		return fmt.Errorf("realtime: redis presence of %q: %w", channel, err)
	}
	return nil
}

// Presence implements Broker.
func (b *RedisBroker) Presence(ctx context.Context, channel string) (map[string]int, error) {
	if !ValidChannel(channel) {
		return nil, ErrInvalidChannel
	}
	res, err := b.getPres.Run(ctx, b.rdb, []string{b.name(channel) + ":presence"}).Slice()
	if err != nil {
		return nil, fmt.Errorf("realtime: redis presence of %q: %w", channel, err)
	}
	out := make(map[string]int, len(res)/2)
	for i := 0; i+1 < len(res); i += 2 {
		node, _ := res[i].(string)
		n, _ := res[i+1].(int64)
		out[node] += int(n)
	}
	return out, nil
}
