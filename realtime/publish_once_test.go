package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestRedisPublishLostReply: Redis runs a publish but its reply never
// reaches the node (the connection is cut in between, as in a partition or
// a proxy restarting). The client library sends the command again on a new
// connection. The channel must still carry the event once, under the seq
// the publisher was given.
func TestRedisPublishLostReply(t *testing.T) {
	_, prefix := MustRedis(t)
	opt, err := redis.ParseURL(os.Getenv("REMBUG_TEST_REDIS_URL"))
	if err != nil {
		t.Fatal(err)
	}
	cut := newReplyCutter(t, opt.Addr)
	opt.Addr = cut.addr
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	b, err := NewRedisBroker(ctx, rdb, RedisOptions{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	data := json.RawMessage(`{"n":1}`)
	first, err := b.Publish(ctx, "live:1", "note", data) // loads the script
	if err != nil {
		t.Fatal(err)
	}
	cut.arm()
	ev, err := b.Publish(ctx, "live:1", "note", data)
	if err != nil {
		t.Fatalf("publish after a lost reply: %v", err)
	}
	if !cut.cut.Load() {
		t.Fatal("no reply was cut: the test proved nothing")
	}
	events, complete, err := b.History(ctx, "live:1", first.Seq, 0)
	if err != nil || !complete {
		t.Fatalf("history: %v complete=%v", err, complete)
	}
	if len(events) != 1 || events[0].Seq != ev.Seq {
		var seqs []uint64
		for _, e := range events {
			seqs = append(seqs, e.Seq)
		}
		t.Fatalf("after the lost reply the channel has events %v after %d, want only the publisher's %d", seqs, first.Seq, ev.Seq)
	}
}

// replyCutter is a TCP proxy to Redis that, once armed, closes the
// connection instead of passing on the next integer reply to an EVAL or
// EVALSHA (the publish script's reply is its seq), after Redis ran it.
type replyCutter struct {
	addr  string
	armed atomic.Bool
	cut   atomic.Bool
}

func newReplyCutter(t *testing.T, upstream string) *replyCutter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rc := &replyCutter{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			down, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", upstream)
			if err != nil {
				down.Close()
				continue
			}
			var sawEval atomic.Bool
			wg.Add(2)
			go func() { // node to Redis
				defer wg.Done()
				buf := make([]byte, 64<<10)
				for {
					n, err := down.Read(buf)
					if n > 0 {
						if bytes.Contains(bytes.ToLower(buf[:n]), []byte("eval")) {
							sawEval.Store(true)
						}
						if _, werr := up.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				up.Close()
			}()
			go func() { // Redis to node
				defer wg.Done()
				buf := make([]byte, 64<<10)
				for {
					n, err := up.Read(buf)
					if n > 0 && sawEval.Load() && buf[0] == ':' && rc.armed.CompareAndSwap(true, false) {
						rc.cut.Store(true)
						break // Redis ran the script; the node never hears so
					}
					if n > 0 {
						if _, werr := down.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				down.Close()
				up.Close()
			}()
		}
	}()
	return rc
}

func (rc *replyCutter) arm() { rc.armed.Store(true) }
