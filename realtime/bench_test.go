package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pipeListener is an in-memory net.Listener: Dial hands one end of a
// net.Pipe to Accept. It lets a benchmark hold 10,000 real websocket
// connections (real net/http server, real gorilla upgrade) without sockets.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial() (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

const benchHandshake = "GET /ws?channel=bench HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\n" +
	"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

// rawConnect performs the websocket handshake by hand and reads the welcome
// frame, so that the client side of a connection costs almost nothing and a
// memory delta measures the server side.
func rawConnect(l *pipeListener) (net.Conn, error) {
	c, err := l.dial()
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(c, benchHandshake); err != nil {
		return nil, err
	}
	var buf [512]byte
	n := 0
	for {
		m, err := c.Read(buf[n:])
		if err != nil {
			return nil, err
		}
		n += m
		end := bytes.Index(buf[:n], []byte("\r\n\r\n"))
		if !bytes.HasPrefix(buf[:n], []byte("HTTP/1.1 101")) && n > 12 {
			return nil, fmt.Errorf("handshake: %q", buf[:n])
		}
		if end >= 0 && n >= end+6 && n >= end+6+int(buf[end+5]&0x7f) {
			return c, nil // headers, then a short frame: 2-byte header + payload
		}
	}
}

// readFrames reads server frames until the connection closes and calls
// arrived for each text frame.
func readFrames(c net.Conn, arrived func()) {
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(c, hdr[:2]); err != nil {
			return
		}
		size := int64(hdr[1] & 0x7f)
		switch size {
		case 126:
			if _, err := io.ReadFull(c, hdr[:2]); err != nil {
				return
			}
			size = int64(hdr[0])<<8 | int64(hdr[1])
		case 127:
			if _, err := io.ReadFull(c, hdr[:8]); err != nil {
				return
			}
			size = 0
			for _, b := range hdr {
				size = size<<8 | int64(b)
			}
		}
		if _, err := io.CopyN(io.Discard, c, size); err != nil {
			return
		}
		arrived()
	}
}

// BenchmarkBroadcast10k holds 10,000 websocket clients on one channel and
// broadcasts one event per iteration to all of them. It reports heap and
// stack bytes per idle connection (server side; the client side is a bare
// net.Pipe end) and p50/p99 delivery latency from Publish to the arrival of
// the whole frame at each client.
//
//	go test -run '^$' -bench Broadcast10k -benchtime 50x ./realtime/
func BenchmarkBroadcast10k(b *testing.B) {
	clients := 10000
	if testing.Short() {
		clients = 1000
	}
	hub := NewHub(NewMemoryBroker(HistoryOptions{}), Options{})
	l := newPipeListener()
	srv := &http.Server{Handler: hub.Handler(HandlerOptions{Authorize: allowAll}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer func() {
		_ = hub.Close()
		_ = srv.Shutdown(context.Background())
		_ = l.Close()
	}()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	conns := make([]net.Conn, clients)
	for i := range conns {
		c, err := rawConnect(l)
		if err != nil {
			b.Fatalf("client %d: %v", i, err)
		}
		conns[i] = c
	}
	for range 3 { // stacks shrink by half per GC while mostly unused
		runtime.GC()
	}
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc-before.HeapAlloc) / float64(clients)
	stack := float64(after.StackInuse-before.StackInuse) / float64(clients)

	var start atomic.Int64
	var count atomic.Int64
	var done atomic.Pointer[chan struct{}]
	lat := make([]time.Duration, clients)
	for i, c := range conns {
		go readFrames(c, func() {
			lat[i] = time.Duration(time.Now().UnixNano() - start.Load())
			if count.Add(1) == int64(clients) {
				close(*done.Load())
			}
		})
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var all []time.Duration
	data := json.RawMessage(`{"id":42,"upvotes":17}`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ch := make(chan struct{})
		done.Store(&ch)
		count.Store(0)
		start.Store(time.Now().UnixNano())
		if _, err := hub.Publish(context.Background(), "bench", "question.upvotes", data); err != nil {
			b.Fatal(err)
		}
		select {
		case <-ch:
		case <-time.After(30 * time.Second):
			b.Fatalf("iteration %d: %d of %d clients received", i, count.Load(), clients)
		}
		all = append(all, lat...)
	}
	b.StopTimer()
	b.ReportMetric(heap, "heapB/conn") // after ResetTimer, which clears metrics
	b.ReportMetric(stack, "stackB/conn")
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100])/1e6, "p99-ms")
	if hub.ClientCount("bench") != clients {
		b.Error(errors.New("clients were dropped during the benchmark"))
	}
}
