package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"
)

// MustRedis connects to REMBUG_TEST_REDIS_URL or skips the test. It returns a
// fresh key prefix and deletes that prefix's keys when the test ends.
func MustRedis(tb testing.TB) (func() *redis.Client, string) {
	tb.Helper()
	url := os.Getenv("REMBUG_TEST_REDIS_URL")
	if url == "" {
		tb.Skip("REMBUG_TEST_REDIS_URL not set (e.g. redis://127.0.0.1:6379/0); skipping Redis test")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("REMBUG_TEST_REDIS_URL: %v", err)
	}
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	prefix := "rembugtest:" + hex.EncodeToString(nonce[:]) + ":"
	newClient := func() *redis.Client {
		c := redis.NewClient(opt)
		tb.Cleanup(func() { _ = c.Close() })
		return c
	}
	admin := newClient()
	tb.Cleanup(func() {
		ctx := context.Background()
		keys, _ := admin.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			admin.Del(ctx, keys...)
		}
	})
	return newClient, prefix
}

// MustRedisBroker is one node's broker on its own connection.
func MustRedisBroker(tb testing.TB, newClient func() *redis.Client, prefix string, h HistoryOptions) *RedisBroker {
	tb.Helper()
	b, err := NewRedisBroker(context.Background(), newClient(), RedisOptions{Prefix: prefix, History: h})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = b.Close() })
	return b
}

func TestRedisBrokerContract(t *testing.T) {
	MustRedis(t) // skip early when unset
	testBrokerContract(t, func(tb testing.TB, opts HistoryOptions) Broker {
		newClient, prefix := MustRedis(tb)
		return MustRedisBroker(tb, newClient, prefix, opts)
	})
}

// TestRedisTwoNodesSameOrder runs two hubs (two nodes) on one Redis,
// publishes on both at once and checks every client on both nodes sees the
// identical sequence of events.
func TestRedisTwoNodesSameOrder(t *testing.T) {
	newClient, prefix := MustRedis(t)
	const perNode, writers, each = 3, 2, 100
	total := 2 * writers * each
	var hubs [2]*Hub
	var conns []*websocket.Conn
	for n := range hubs {
		b := MustRedisBroker(t, newClient, prefix, HistoryOptions{Size: 1000})
		h, srv := MustServe(t, b, Options{QueueSize: total}, HandlerOptions{})
		hubs[n] = h
		for i := 0; i < perNode; i++ {
			c, _ := MustDial(t, srv, "qa", "")
			conns = append(conns, c)
		}
	}
	var wg sync.WaitGroup
	for n, h := range hubs {
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					data := json.RawMessage(fmt.Sprintf(`{"node":%d,"writer":%d,"i":%d}`, n, w, i))
					if _, err := h.Publish(context.Background(), "qa", "test", data); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	var reference []string
	for ci, c := range conns {
		var got []string
		for s := 1; s <= total; s++ {
			m := MustRead(t, c)
			if m.Seq != uint64(s) {
				t.Fatalf("client %d: seq %d, want %d", ci, m.Seq, s)
			}
			got = append(got, string(m.Data))
		}
		if reference == nil {
			reference = got
			continue
		}
		for i := range got {
			if got[i] != reference[i] {
				t.Fatalf("client %d differs at seq %d: %s vs %s", ci, i+1, got[i], reference[i])
			}
		}
	}
}

// TestRedisResumeOnOtherNode: a client leaves node A and resumes on node B.
func TestRedisResumeOnOtherNode(t *testing.T) {
	newClient, prefix := MustRedis(t)
	ba := MustRedisBroker(t, newClient, prefix, HistoryOptions{})
	bb := MustRedisBroker(t, newClient, prefix, HistoryOptions{})
	ha, srvA := MustServe(t, ba, Options{}, HandlerOptions{})
	hb, srvB := MustServe(t, bb, Options{}, HandlerOptions{})
	conn, _ := MustDial(t, srvA, "qa", "")
	MustPublish(t, ha, "qa", 2)
	expectSeqs(t, conn, 1, 2)
	conn.Close()
	MustPublish(t, hb, "qa", 3)
	conn, w := MustDial(t, srvB, "qa", "2")
	if !w.Recovered || w.Seq != 2 {
		t.Fatalf("welcome %+v, want recovered at 2", w)
	}
	expectSeqs(t, conn, 3, 4, 5)
	MustPublish(t, ha, "qa", 1)
	expectSeqs(t, conn, 6)
}
