//go:build cluster

package main

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rembug/rembug/realtime"
)

// partition is a TCP proxy to target that can stop carrying bytes without
// closing anything, as a network partition does (packets dropped, no RST):
// while cut, what each side sends is held, and new connections get no
// answer; once healed, the held bytes go through, as TCP retransmission
// delivers them.
type partition struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	open   chan struct{} // closed while the link carries bytes
	conns  []net.Conn
}

func startPartition(t testing.TB, target string) *partition {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &partition{ln: ln, target: target, open: make(chan struct{})}
	close(p.open)
	go func() {
		for {
			down, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(down)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.setCut(false)
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
	})
	return p
}

func (p *partition) addr() string { return p.ln.Addr().String() }

// setCut cuts (on) or heals the link.
func (p *partition) setCut(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.open:
		if on {
			p.open = make(chan struct{})
		}
	default:
		if !on {
			close(p.open)
		}
	}
}

// wait blocks while the link is cut.
func (p *partition) wait() {
	p.mu.Lock()
	ch := p.open
	p.mu.Unlock()
	<-ch
}

func (p *partition) serve(down net.Conn) {
	p.wait()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		down.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, down, up)
	p.mu.Unlock()
	go p.pipe(up, down)
	p.pipe(down, up)
}

func (p *partition) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		p.wait()
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				src.Close()
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// readyAll polls every node's /readyz, all at once, until each answers
// want (200 or 503), and returns how long the slowest node took; it fails
// after limit.
func readyAll(t *testing.T, c *cluster, want int, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	client := &http.Client{Timeout: 3 * time.Second} // /readyz bounds its checks at 2 s
	took := make([]time.Duration, len(c.nodes))
	var wg sync.WaitGroup
	for i, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < limit {
				res, err := client.Get("http://" + n.addr + "/readyz")
				if err == nil {
					res.Body.Close()
					if res.StatusCode == want {
						took[i] = time.Since(start)
						return
					}
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	slowest := time.Duration(0)
	for i, d := range took {
		if d == 0 {
			t.Fatalf("node %s: /readyz not %d within %v\n%s", c.nodes[i].name, want, limit, c.nodes[i].logTail())
		}
		slowest = max(slowest, d)
	}
	return slowest
}

// TestClusterRedisUnreachable cuts the network between the nodes and Redis
// for 6 s during a live session (no connection refused, no reset: Redis
// stops answering, as a host behind a failed switch does), then heals it.
// Every node must notice (its /readyz answers 503 within its 2 s check
// bound, so HAProxy stops sending it traffic) and come back by itself once
// Redis answers again; afterwards every websocket client is at the
// channel's last event, with nothing missed and nothing twice. (A publish
// during the cut waits: go-redis retries it and it goes through on the
// heal.)
func TestClusterRedisUnreachable(t *testing.T) {
	rs := startRedisServer(t)
	p := startPartition(t, rs.addr)
	c := newClusterOn(t, 3, "redis://"+p.addr()+"/0", votesSeed(4))
	room := newLiveRoom(t, c, 90)
	room.allowResets = true // a client that reconnects during the cut may need a snapshot
	time.Sleep(2 * time.Second)

	before := room.published.Load()
	p.setCut(true)
	cut := time.Now()
	down := readyAll(t, c, http.StatusServiceUnavailable, 15*time.Second)
	time.Sleep(time.Until(cut.Add(6 * time.Second)))
	okAtHeal := room.publishedOK.Load()
	p.setCut(false)
	healed := time.Now()
	up := readyAll(t, c, http.StatusOK, 20*time.Second)
	time.Sleep(2 * time.Second) // events after the heal

	// A publish that timed out during the cut may still have reached Redis
	// when the held bytes went through: the channel's last event is then
	// newer than the publisher knows, and every client must have it.
	room.stopPublishing()
	rdb := redis.NewClient(&redis.Options{Addr: rs.addr})
	defer rdb.Close()
	b, err := realtime.NewRedisBroker(context.Background(), rdb, realtime.RedisOptions{History: realtime.HistoryOptions{Start: realtime.ClockStart}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	last, err := b.LastSeq(context.Background(), room.channel)
	if err != nil {
		t.Fatal(err)
	}
	if last > room.published.Load() {
		room.published.Store(last)
	}
	summary := room.settle(t)
	after := room.publishedOK.Load() - okAtHeal
	if after == 0 {
		t.Fatal("no event was published after the network healed")
	}
	t.Logf("Redis unreachable for %v at seq %d: every node's /readyz answered 503 within %v; %d publishes failed during the cut; every node ready again %v after the heal (%v after the cut began); %d events published after; %s",
		healed.Sub(cut).Round(time.Millisecond), before, down.Round(time.Millisecond), room.refused.Load(), up.Round(time.Millisecond),
		time.Since(cut).Round(time.Millisecond), after, summary)
}
