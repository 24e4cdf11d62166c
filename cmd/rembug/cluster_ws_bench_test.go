//go:build cluster

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rembug/rembug/realtime"
)

// BenchmarkCluster20kWebsockets measures broadcast delivery to 20,000
// websocket clients of one live session, 10,000 on each of two
// `rembug serve` nodes on one Redis, against the minimal hub baseline in
// the same run: one in-process hub on the memory broker with 10,000
// clients (realtime's BenchmarkBroadcast10k, here over loopback TCP like
// the cluster's clients). Each iteration publishes one event (through
// Redis for the nodes, as a node does) and waits until every client has
// the whole frame; it reports delivery p50 and p99 in ms, from Publish to
// each client's arrival. Clients connect to the nodes directly (HAProxy's
// maxconn in the harness is 8,000) with a bare websocket client: a
// handshake written by hand and a frame reader that answers pings.
//
// File descriptors: a process may be limited to 20,000 open files (the
// README's measurements ran so), so no process holds more than 10,000 of the sockets: the clients live in one
// client process per node (this test binary again, TestBareWSClients), each
// node holds its own 10,000, and the baseline hub holds 10,000 server
// sockets in the benchmark process. The benchmark raises RLIMIT_NOFILE's
// soft limit to the hard one with setrlimit(2) (Go does so at start too)
// and skips when that is under 12,000; the client processes and nodes
// inherit it. -short uses 1,000 clients per node. Run it once, with
// -benchtime=20x (each run starts its own cluster):
//
//	go test -tags cluster -run '^$' -bench Cluster20kWebsockets -benchtime=20x ./cmd/rembug
func BenchmarkCluster20kWebsockets(b *testing.B) {
	perNode := 10000
	if testing.Short() {
		perNode = 1000
	}
	raiseFileLimit(b, uint64(perNode)+2000)
	b.Run("baseline=hub", func(b *testing.B) {
		hub := realtime.NewHub(realtime.NewMemoryBroker(realtime.HistoryOptions{}), realtime.Options{})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		srv := &http.Server{Handler: hub.Handler(realtime.HandlerOptions{Authorize: func(*http.Request, string) bool { return true }}),
			ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln) //nolint:errcheck // closed below
		defer func() {
			hub.Close()
			srv.Close()
		}()
		broadcastBench(b, hub, "bench", "/ws", []string{ln.Addr().String()}, perNode)
	})
	b.Run("nodes=2/redis", func(b *testing.B) {
		c := newCluster(b, 2, votesSeed(1))
		channel, _, hub := newLiveSession(b, c)
		broadcastBench(b, hub, channel, "/live/ws", []string{c.nodes[0].addr, c.nodes[1].addr}, perNode)
	})
}

// raiseFileLimit sets RLIMIT_NOFILE's soft limit to its hard limit, or
// skips when that is under n files.
func raiseFileLimit(b *testing.B, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	if lim.Max < n {
		b.Skipf("needs %d open files per process, the hard limit is %d (raise it with ulimit -Hn or LimitNOFILE)", n, lim.Max)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
}

// broadcastBench runs one client process per address (this test binary
// again, TestBareWSClients), each holding perAddr bare websocket clients on
// channel, and measures, per iteration, one hub.Publish reaching all of
// them. Client processes keep each process under a 20,000-file limit.
func broadcastBench(b *testing.B, hub *realtime.Hub, channel, path string, addrs []string, perAddr int) {
	type proc struct {
		cmd *exec.Cmd
		in  io.WriteCloser
		out *bufio.Scanner
	}
	line := func(p *proc, prefix string) string {
		for p.out.Scan() {
			if l := p.out.Text(); strings.HasPrefix(l, prefix) {
				return strings.TrimPrefix(l, prefix)
			} else if strings.HasPrefix(l, "error ") {
				b.Fatalf("client process: %s", l)
			}
		}
		b.Fatalf("client process ended: %v", p.out.Err())
		return ""
	}
	began := time.Now()
	var procs []*proc
	for _, addr := range addrs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBareWSClients$", "-test.count=1", "-test.timeout=30m")
		cmd.Env = append(os.Environ(), fmt.Sprintf("REMBUG_BENCH_WS_CLIENTS=%s %s?channel=%s %d", addr, path, channel, perAddr))
		cmd.Stderr = os.Stderr
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		p := &proc{cmd: cmd, in: in, out: sc}
		procs = append(procs, p)
		defer func() {
			in.Close()
			cmd.Process.Kill() //nolint:errcheck // it may have exited
			cmd.Wait()         //nolint:errcheck
		}()
	}
	for _, p := range procs {
		line(p, "ready")
	}
	clients := len(addrs) * perAddr
	b.Logf("%d clients connected in %v", clients, time.Since(began).Round(time.Millisecond))
	time.Sleep(time.Second) // welcomes and snapshots delivered

	var all []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		marker := fmt.Sprintf(`{"bench":%d}`, i+1)
		for _, p := range procs {
			fmt.Fprintf(p.in, "go %s\n", marker)
			line(p, "armed")
		}
		start := time.Now().UnixNano()
		if _, err := hub.Publish(context.Background(), channel, "note", json.RawMessage(marker)); err != nil {
			b.Fatal(err)
		}
		for _, p := range procs {
			for _, f := range strings.Split(line(p, "done "), ",") {
				at, _ := strconv.ParseInt(f, 10, 64)
				all = append(all, time.Duration(at-start))
			}
		}
	}
	b.StopTimer()
	if len(all) != b.N*clients {
		b.Fatalf("%d arrivals, want %d", len(all), b.N*clients)
	}
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100])/1e6, "p99-ms")
	b.ReportMetric(float64(clients), "clients")
}

// TestBareWSClients is the client process of BenchmarkCluster20kWebsockets,
// skipped otherwise. REMBUG_BENCH_WS_CLIENTS is "ADDR TARGET N": it
// connects N bare websocket clients to ws://ADDR TARGET and prints
// "ready"; then for each line "go MARKER" on stdin it prints "armed" and,
// once every client has received a text frame containing MARKER, "done "
// and the arrival times (Unix ns) separated by commas. It ends at EOF.
func TestBareWSClients(t *testing.T) {
	spec := os.Getenv("REMBUG_BENCH_WS_CLIENTS")
	if spec == "" {
		t.Skip("the client process of BenchmarkCluster20kWebsockets")
	}
	var addr, target string
	var n int
	if _, err := fmt.Sscan(spec, &addr, &target, &n); err != nil {
		t.Fatal(err)
	}
	conns := make([]*bareWS, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || failed.Load() != nil {
					return
				}
				c, err := dialBareWS(addr, target)
				if err != nil {
					err = fmt.Errorf("client %d: %w", i, err)
					failed.Store(&err)
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		fmt.Printf("error %v\n", *err)
		return
	}
	var marker atomic.Pointer[[]byte]
	none := []byte("-")
	marker.Store(&none)
	arr := make([]int64, n)
	var count atomic.Int64
	all := make(chan struct{}, 1)
	for i, c := range conns {
		go c.read(func(payload []byte) {
			if !bytes.Contains(payload, *marker.Load()) {
				return // the welcome, a snapshot, or not this iteration's event
			}
			arr[i] = time.Now().UnixNano()
			if count.Add(1) == int64(n) {
				all <- struct{}{}
			}
		})
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		m, ok := strings.CutPrefix(in.Text(), "go ")
		if !ok {
			continue
		}
		mb := []byte(m)
		count.Store(0)
		marker.Store(&mb)
		fmt.Println("armed")
		select {
		case <-all:
		case <-time.After(60 * time.Second):
			fmt.Printf("error %d of %d clients received %s within 60 s\n", count.Load(), n, m)
			return
		}
		var sb strings.Builder
		sb.WriteString("done ")
		for i, at := range arr {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatInt(at, 10))
		}
		fmt.Println(sb.String())
	}
}

// bareWS is a minimal websocket client (RFC 6455): the handshake and
// unmasked server frames, with pings answered, at a few hundred bytes per
// connection, so that the test process can hold 20,000 of them.
type bareWS struct {
	conn net.Conn
	br   *bufio.Reader
}

func dialBareWS(addr, target string) (*bareWS, error) {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	req, _ := http.NewRequest("GET", "http://"+addr+target, nil)
	req.Header.Set("Origin", "http://"+addr)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Sec-WebSocket-Version", "13")
	conn.SetDeadline(time.Now().Add(30 * time.Second)) //nolint:errcheck
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(conn, 256)
	res, err := http.ReadResponse(br, req)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("handshake: HTTP %d", res.StatusCode)
	}
	conn.SetDeadline(time.Time{}) //nolint:errcheck
	return &bareWS{conn: conn, br: br}, nil
}

// read calls text for each text frame until the connection ends; it
// answers pings with a masked pong (zero mask) and stops at a close frame.
func (w *bareWS) read(text func(payload []byte)) {
	var hdr [8]byte
	buf := make([]byte, 512)
	for {
		if _, err := io.ReadFull(w.br, hdr[:2]); err != nil {
			return
		}
		op := hdr[0] & 0x0f
		size := uint64(hdr[1] & 0x7f)
		switch size {
		case 126:
			if _, err := io.ReadFull(w.br, hdr[:2]); err != nil {
				return
			}
			size = uint64(binary.BigEndian.Uint16(hdr[:2]))
		case 127:
			if _, err := io.ReadFull(w.br, hdr[:8]); err != nil {
				return
			}
			size = binary.BigEndian.Uint64(hdr[:8])
		}
		p := buf
		if size > uint64(len(p)) {
			p = make([]byte, size)
		}
		p = p[:size]
		if _, err := io.ReadFull(w.br, p); err != nil {
			return
		}
		switch op {
		case 0x1:
			text(p)
		case 0x8:
			return
		case 0x9:
			pong := append([]byte{0x8a, 0x80 | byte(len(p)), 0, 0, 0, 0}, p...)
			if _, err := w.conn.Write(pong); err != nil {
				return
			}
		}
	}
}
