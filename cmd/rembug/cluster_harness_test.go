//go:build cluster

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
)

// The cluster harness (go test -tags cluster ./cmd/...) runs the real
// thing on one machine: three `rembug serve` processes on loopback ports,
// one PostgreSQL schema and one Redis shared by them, and HAProxy in front
// with health checks on /readyz, round robin and websocket timeouts. The
// fault tests drive load through HAProxy and kill or restart nodes.
//
// It needs REMBUG_TEST_DATABASE_URL, REMBUG_TEST_REDIS_URL and HAProxy
// (/usr/sbin/haproxy or on PATH); .ci/run provides all three.

// haproxyConfig is the load balancer of the harness, the same as the
// README's deployment snippet: /readyz checked every 500 ms, a node out
// after two failed checks and back after two good ones; a check may take
// 2.5 s, longer than /readyz's own 2 s bound on each dependency, so that a
// node slowed by load answers for itself instead of timing out (with
// HAProxy's default, a check times out after inter, 500 ms, and under
// load every node could fail the same check at once, leaving HAProxy with
// no server and answering 503); a failed
// connection is retried, on another node at the last retry; websockets
// may stay idle for an hour (timeout tunnel). maxconn 8000 keeps HAProxy's
// descriptors (two per connection) under a 20,000-file limit.
const haproxyConfig = `global
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
  timeout client-fin 5s
  option redispatch
  retries 3
  retry-on conn-failure empty-response
  option http-server-close
frontend web
  bind {{lb}}
  default_backend rembug
backend rembug
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  timeout check 2500ms
  default-server check inter 500ms fall 2 rise 2
{{servers}}
listen stats
  bind {{stats}}
  stats enable
  stats uri /stats
`

type cluster struct {
	t        testing.TB
	bin      string
	dir      string
	dbURL    string
	redisURL string
	nodes    []*node
	lb       string // HAProxy's address
	stats    string // HAProxy's stats address
	haproxy  *exec.Cmd
}

type node struct {
	c    *cluster
	name string
	addr string
	data string
	cmd  *exec.Cmd
	done chan error
}

// newCluster builds rembug, migrates a fresh PostgreSQL schema (with
// seed run on it, e.g. an import), and starts n nodes and HAProxy; all of
// it stops when t ends.
func newCluster(t testing.TB, n int, seed func(c *cluster)) *cluster {
	t.Helper()
	return newClusterOn(t, n, os.Getenv("REMBUG_TEST_REDIS_URL"), seed)
}

// newClusterOn is newCluster with the nodes on the Redis at redisURL (a
// test's own redis-server, to restart it).
func newClusterOn(t testing.TB, n int, redisURL string, seed func(c *cluster)) *cluster {
	t.Helper()
	if os.Getenv(storagetest.EnvURL) == "" || os.Getenv("REMBUG_TEST_REDIS_URL") == "" {
		t.Fatal("the cluster harness needs REMBUG_TEST_DATABASE_URL and REMBUG_TEST_REDIS_URL (see .ci/run)")
	}
	return newClusterWith(t, n, storagetest.URL(t), redisURL, seed)
}

// newClusterWith is newCluster with the nodes on the database at dbURL (a
// test's own PostgreSQL server, to restart it) and the Redis at redisURL.
func newClusterWith(t testing.TB, n int, dbURL, redisURL string, seed func(c *cluster)) *cluster {
	t.Helper()
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		haproxy = "/usr/sbin/haproxy"
		if _, err := os.Stat(haproxy); err != nil {
			t.Fatal("the cluster harness needs HAProxy (apt-get install haproxy)")
		}
	}
	c := &cluster{t: t, dir: t.TempDir(), dbURL: dbURL, redisURL: redisURL}
	c.bin = filepath.Join(c.dir, "rembug")
	if out, err := exec.Command("go", "build", "-o", c.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	c.rembug([]string{"migrate"})
	if seed != nil {
		seed(c)
	}
	var servers strings.Builder
	for i := 0; i < n; i++ {
		nd := &node{c: c, name: fmt.Sprintf("n%d", i+1), addr: loopbackAddr(t), data: filepath.Join(c.dir, fmt.Sprintf("n%d", i+1))}
		c.nodes = append(c.nodes, nd)
		fmt.Fprintf(&servers, "  server %s %s\n", nd.name, nd.addr)
	}
	for _, nd := range c.nodes {
		nd.start()
	}
	for _, nd := range c.nodes {
		nd.waitReady()
	}
	c.lb, c.stats = loopbackAddr(t), loopbackAddr(t)
	cfg := strings.NewReplacer("{{lb}}", c.lb, "{{stats}}", c.stats, "{{servers}}", servers.String()).Replace(haproxyConfig)
	cfgPath := filepath.Join(c.dir, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c.haproxy = exec.Command(haproxy, "-db", "-f", cfgPath)
	logf, err := os.Create(filepath.Join(c.dir, "haproxy.log"))
	if err != nil {
		t.Fatal(err)
	}
	c.haproxy.Stdout, c.haproxy.Stderr = logf, logf
	if err := c.haproxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.haproxy.Process.Kill() //nolint:errcheck // it may have exited
		c.haproxy.Wait()         //nolint:errcheck
		logf.Close()
	})
	for _, nd := range c.nodes {
		c.waitState(nd, "UP")
	}
	return c
}

// rembug runs the command words (e.g. "import", "polis") with the
// cluster's database flags and then args, and returns its output; it fails
// the test when the command fails.
func (c *cluster) rembug(words []string, args ...string) string {
	c.t.Helper()
	argv := append(append(words, "--data", filepath.Join(c.dir, "cli"), "--database-url", c.dbURL), args...)
	cmd := exec.Command(c.bin, argv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.t.Fatalf("rembug %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// db opens the cluster's database for the test's own checks.
func (c *cluster) db() *sql.DB {
	c.t.Helper()
	db, err := sql.Open("pgx", c.dbURL)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { db.Close() })
	return db
}

func (n *node) start() {
	t := n.c.t
	t.Helper()
	logf, err := os.OpenFile(filepath.Join(n.c.dir, n.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(n.c.bin, "serve", "--addr", n.addr, "--data", n.data, "--database-url", n.c.dbURL, "--redis-url", n.c.redisURL)
	n.cmd.Env = append(os.Environ(), "REMBUG_DRAIN_DELAY=2s")
	n.cmd.Stdout, n.cmd.Stderr = logf, logf
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n.done = make(chan error, 1)
	cmd := n.cmd
	go func() { n.done <- cmd.Wait(); logf.Close() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill() //nolint:errcheck // it may have exited
		}
	})
}

func (n *node) waitReady() {
	t := n.c.t
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + n.addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		select {
		case err := <-n.done:
			t.Fatalf("%s exited: %v\n%s", n.name, err, n.logTail())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("%s not ready after 60 s\n%s", n.name, n.logTail())
}

// kill sends SIGKILL (kill -9) and waits for the process to end.
func (n *node) kill() {
	n.cmd.Process.Kill() //nolint:errcheck // already dead is fine
	<-n.done
}

// term sends SIGTERM and returns the exit error once the node has drained
// and stopped.
func (n *node) term() error {
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-n.done:
		return err
	case <-time.After(30 * time.Second):
		return fmt.Errorf("%s did not stop within 30 s", n.name)
	}
}

func (n *node) logTail() string {
	b, _ := os.ReadFile(filepath.Join(n.c.dir, n.name+".log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// state returns HAProxy's view of nd: "UP", "DOWN", "UP 1/2" and so on.
func (c *cluster) state(nd *node) string {
	res, err := http.Get("http://" + c.stats + "/stats;csv")
	if err != nil {
		return "no stats: " + err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("# ")))).ReadAll()
	if err != nil || len(rows) == 0 {
		return "bad stats"
	}
	col := -1
	for i, h := range rows[0] {
		if h == "status" {
			col = i
		}
	}
	for _, r := range rows[1:] {
		if len(r) > col && col >= 0 && r[0] == "rembug" && r[1] == nd.name {
			return r[col]
		}
	}
	return "unknown"
}

// waitState waits up to 20 s until HAProxy reports nd in state want.
func (c *cluster) waitState(nd *node, want string) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c.state(nd) == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(c.dir, "haproxy.log"))
	c.t.Fatalf("HAProxy sees %s as %q, want %q\n%s", nd.name, c.state(nd), want, b)
}

// ctx is a context for a fault scenario, bounded so that a hung cluster
// fails the test instead of the CI run.
func scenario(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// loopbackAddr returns a free loopback address for a node or HAProxy.
func loopbackAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// redisServer is a test's own redis-server on a free loopback port, without
// persistence (as .ci/run starts the shared one): a restart forgets every
// key, sequence counters and histories included.
type redisServer struct {
	t    testing.TB
	addr string
	args []string // redis-server's persistence flags
	cmd  *exec.Cmd
	done chan error
}

// startRedisServer starts a redis-server without persistence; persist
// makes it keep an append-only file in a temporary folder, written on
// every command (appendfsync always), so a kill -9 loses nothing.
func startRedisServer(t testing.TB, persist ...bool) *redisServer {
	t.Helper()
	rs := &redisServer{t: t, addr: loopbackAddr(t), args: []string{"--save", "", "--appendonly", "no"}}
	if len(persist) > 0 && persist[0] {
		rs.args = []string{"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", t.TempDir()}
	}
	rs.start()
	t.Cleanup(func() {
		if rs.cmd.ProcessState == nil {
			rs.cmd.Process.Kill() //nolint:errcheck // it may have exited
			<-rs.done
		}
	})
	return rs
}

func (rs *redisServer) url() string { return "redis://" + rs.addr + "/0" }

// start runs redis-server on rs.addr and waits until it answers.
func (rs *redisServer) start() {
	rs.t.Helper()
	_, port, _ := net.SplitHostPort(rs.addr)
	rs.cmd = exec.Command("redis-server", append([]string{"--port", port, "--bind", "127.0.0.1"}, rs.args...)...)
	if err := rs.cmd.Start(); err != nil {
		rs.t.Fatalf("redis-server (apt-get install redis-server): %v", err)
	}
	rs.done = make(chan error, 1)
	cmd := rs.cmd
	go func() { rs.done <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.DialTimeout("tcp", rs.addr, 100*time.Millisecond); err == nil {
			conn.Write([]byte("PING\r\n")) //nolint:errcheck // read below tells
			buf := make([]byte, 7)
			conn.SetReadDeadline(time.Now().Add(time.Second)) //nolint:errcheck
			n, _ := io.ReadFull(conn, buf)
			conn.Close()
			if string(buf[:n]) == "+PONG\r\n" {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	rs.t.Fatalf("redis-server on %s did not answer within 10 s", rs.addr)
}

// kill sends SIGKILL (kill -9) and waits for the process to end.
func (rs *redisServer) kill() {
	rs.cmd.Process.Kill() //nolint:errcheck // already dead is fine
	<-rs.done
}
