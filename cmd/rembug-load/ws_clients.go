package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// wsStats collects what a pool of websocket clients saw: delivery
// latencies (server event time to arrival) and, per client, the sequence
// numbers received, so delivered/expected counts gaps and duplicates.
type wsStats struct {
	mu        sync.Mutex
	lat       []time.Duration
	delivered atomic.Int64 // distinct channel events received, all clients
	dups      atomic.Int64 // events received twice by one client
	bytes     atomic.Int64 // bytes of the events counted in delivered
	drops     atomic.Int64 // connections the server closed (then resumed)
	measure   atomic.Bool  // record latencies only while measuring
}

func (s *wsStats) add(d time.Duration) {
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.mu.Unlock()
}

func (s *wsStats) sorted() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	slices.Sort(s.lat)
	return s.lat
}

func pctOf(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[int(p*float64(len(lat)-1))]
}

// wsMsg is the part of a server message the clients read: rembug's events
// and the baseline's carry the server's time at publish.
type wsMsg struct {
	Type string    `json:"type"`
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
}

// wsPool is N websocket clients of one URL (channel included).
type wsPool struct {
	url    string
	header http.Header
	stats  *wsStats
	wg     sync.WaitGroup
	first  atomic.Uint64 // seqs counted are those >= first (set when measuring starts)
	last   []atomic.Uint64
}

// dialPool connects n clients, at most 200 handshakes at a time, and keeps
// each reading (and resuming with since= when dropped) until ctx ends.
func dialPool(ctx context.Context, url string, header http.Header, n int) (*wsPool, error) {
	p := &wsPool{url: url, header: header, stats: &wsStats{}, last: make([]atomic.Uint64, n)}
	sem := make(chan struct{}, 200)
	errc := make(chan error, n)
	var ready sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		ready.Add(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			conn, err := p.dial(ctx, i, false)
			<-sem
			ready.Done()
			if err != nil {
				errc <- err
				return
			}
			p.read(ctx, i, conn)
		}()
	}
	ready.Wait()
	select {
	case err := <-errc:
		return p, fmt.Errorf("dial: %w", err)
	default:
	}
	return p, nil
}

func (p *wsPool) dial(ctx context.Context, i int, resume bool) (*websocket.Conn, error) {
	u := p.url
	if resume {
		u += fmt.Sprintf("&since=%d", p.last[i].Load())
	}
	d := websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 256, HandshakeTimeout: 30 * time.Second}
	conn, _, err := d.DialContext(ctx, u, p.header)
	return conn, err
}

func (p *wsPool) read(ctx context.Context, i int, conn *websocket.Conn) {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			conn.Close()
			if ctx.Err() != nil {
				return
			}
			p.stats.drops.Add(1)
			if conn, err = p.dial(ctx, i, true); err != nil {
				return
			}
			continue
		}
		now := time.Now()
		var m wsMsg
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		switch {
		case m.Type == "welcome":
			if p.last[i].Load() == 0 {
				p.last[i].Store(m.Seq)
			}
		case m.Type == "snapshot": // same seq as welcome
		case m.Seq > 0:
			last := p.last[i].Load()
			if m.Seq <= last {
				p.stats.dups.Add(1)
				continue
			}
			p.last[i].Store(m.Seq)
			if m.Seq >= p.first.Load() && p.stats.measure.Load() {
				p.stats.delivered.Add(1)
				p.stats.bytes.Add(int64(len(b)))
				p.stats.add(now.Sub(m.Time))
			}
		}
	}
}

// eventBytes is the mean size of a delivered event, in bytes.
func (f wsFigures) eventBytes() int {
	return int(f.bytes / max(f.delivered, 1))
}
