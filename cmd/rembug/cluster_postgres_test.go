//go:build cluster

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// pgServer is a test's own PostgreSQL server (Debian's binaries, initdb in
// a temporary folder, a free loopback port), so that restarting it breaks
// no other test's connections. As root it runs as the postgres user
// (PostgreSQL refuses to run as root).
type pgServer struct {
	t    testing.TB
	bin  string // /usr/lib/postgresql/<version>/bin
	dir  string // data folder and socket
	port string
	cred *syscall.Credential // nil: run as the test's own user
}

// startPGServer initialises and starts a PostgreSQL server without
// durability (fsync off, as .ci/run sets the shared one), with trust
// authentication for the superuser rembug on 127.0.0.1 only. It skips the
// test when the binaries are missing, and stops the server when t ends.
func startPGServer(t testing.TB) *pgServer {
	t.Helper()
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(versions) == 0 {
		t.Skip("needs PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin, apt-get install postgresql) to restart a server of its own")
	}
	sort.Slice(versions, func(i, j int) bool { return pgVersion(versions[i]) < pgVersion(versions[j]) })
	p := &pgServer{t: t, bin: filepath.Dir(versions[len(versions)-1])}
	_, p.port, _ = strings.Cut(loopbackAddr(t), ":")
	dir, err := os.MkdirTemp("", "rembug-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root without a postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	p.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "rembug", "-A", "trust", "-E", "UTF8", "--no-sync")
	conf := fmt.Sprintf("port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n", p.port, dir)
	f, err := os.OpenFile(filepath.Join(dir, "data", "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(conf) //nolint:errcheck // checked by the start below
	f.Close()
	p.start()
	t.Cleanup(func() { p.ctl("stop", "-m", "immediate") }) //nolint:errcheck // may be stopped
	return p
}

func pgVersion(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

func (p *pgServer) url() string {
	return "postgres://rembug@127.0.0.1:" + p.port + "/postgres?sslmode=disable"
}

// run runs one of PostgreSQL's programs as the server's user and fails the
// test when it fails.
func (p *pgServer) run(prog string, args ...string) {
	p.t.Helper()
	if out, err := p.command(prog, args...).CombinedOutput(); err != nil {
		p.t.Fatalf("%s %v: %v\n%s", prog, args, err, out)
	}
}

func (p *pgServer) command(prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(p.bin, prog), args...)
	cmd.Dir = p.dir
	if p.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	return cmd
}

// ctl runs pg_ctl on the server's data folder, waiting for the outcome.
func (p *pgServer) ctl(args ...string) error {
	args = append([]string{"-D", filepath.Join(p.dir, "data"), "-w", "-t", "30"}, args...)
	if out, err := p.command("pg_ctl", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl %v: %v\n%s", args, err, out)
	}
	return nil
}

// start starts the server and waits until it accepts connections.
func (p *pgServer) start() {
	p.t.Helper()
	if err := p.ctl("-l", filepath.Join(p.dir, "log"), "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.dir, "log"))
		p.t.Fatalf("%v\n%s", err, log)
	}
}

// stop shuts the server down as `pg_ctlcluster … restart` does (fast mode:
// sessions are ended with admin_shutdown) and waits until it is gone.
func (p *pgServer) stop() {
	p.t.Helper()
	if err := p.ctl("stop", "-m", "fast"); err != nil {
		p.t.Fatal(err)
	}
}

// outcome is one request's answer during TestClusterPostgresRestart.
type outcome struct {
	what       string
	start, end time.Time
	status     int // 0: no answer (err)
	err        error
}

// TestClusterPostgresRestart restarts PostgreSQL (a server of the test's
// own, stopped in fast mode as a restart does, down for 3 s) while 12 guests
// read the consultation page and vote through HAProxy on three nodes. The
// outcome users must get:
//   - during the outage every answer, through HAProxy and from each node
//     directly, is 503 within 8 s (the client gives up at 15 s: no hang),
//     never 500; a node's page and JSON API say so in the user's language
//     (error.database_unavailable) and its /readyz answers 503 with the
//     database "down";
//   - once PostgreSQL is back, every node answers 200 and takes a vote
//     again by itself, without a restart, within 20 s (the test logs how
//     long it took);
//   - no acknowledged vote is lost: each guest retries a refused vote, and
//     the database ends with every guest's last acknowledged value on every
//     statement, once.
//
// Once every node fails /readyz, HAProxy answers 503 with its own page
// (README: errorfile for a translated one).
func TestClusterPostgresRestart(t *testing.T) {
	const voters, statements = 12, 8
	if os.Getenv("REMBUG_TEST_REDIS_URL") == "" {
		t.Fatal("the cluster harness needs REMBUG_TEST_REDIS_URL (see .ci/run)")
	}
	pg := startPGServer(t)
	c := newClusterWith(t, 3, pg.url(), os.Getenv("REMBUG_TEST_REDIS_URL"), votesSeed(statements))
	ctx := scenario(t)
	slug, stmts := c.consultation()
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()

	var mu sync.Mutex
	var outcomes []outcome
	record := func(o outcome) {
		mu.Lock()
		outcomes = append(outcomes, o)
		mu.Unlock()
	}
	// lastAcked[i][j] is voter i's last acknowledged value on statement j.
	lastAcked := make([][]string, voters)
	var acked, rounds atomic.Int64
	var afterBack atomic.Bool // set once every node answers again
	var roundsAfterBack atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, voters)
	for i := 0; i < voters; i++ {
		lastAcked[i] = make([]string, len(stmts))
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := newVoter(loadCtx, "http://"+c.lb, slug)
			if err != nil {
				errc <- fmt.Errorf("voter %d: %w", i, err)
				return
			}
			v.http.Timeout = 15 * time.Second
			// read loads the page, as a guest does before a vote and
			// after a refused one.
			read := func() {
				req, _ := http.NewRequestWithContext(ctx, "GET", v.base+"/k/"+slug, nil)
				o := outcome{what: "GET page via HAProxy", start: time.Now()}
				res, err := v.http.Do(req)
				o.err = err
				if err == nil {
					io.Copy(io.Discard, res.Body) //nolint:errcheck // draining
					res.Body.Close()
					o.status = res.StatusCode
				}
				o.end = time.Now()
				record(o)
			}
			for round := 0; ; round++ {
				sawBack := afterBack.Load()
				for j, sid := range stmts {
					if loadCtx.Err() != nil {
						return
					}
					read()
					value, _ := voteValue(i, j+round)
					for {
						if loadCtx.Err() != nil {
							return // stopped between acknowledgements only
						}
						start := time.Now()
						// ctx, not loadCtx: a vote in flight when the
						// load stops still gets its answer.
						err := v.vote(ctx, sid, value)
						o := outcome{what: "POST vote via HAProxy", start: start, end: time.Now(), status: http.StatusSeeOther}
						if err != nil {
							o.status, o.err = 0, err
							var code int
							if _, scanErr := fmt.Sscanf(err.Error(), "vote: status %d", &code); scanErr == nil {
								o.status, o.err = code, nil
							}
						}
						record(o)
						if err == nil {
							mu.Lock()
							lastAcked[i][j] = value
							mu.Unlock()
							acked.Add(1)
							break
						}
						time.Sleep(200 * time.Millisecond)
						read()
					}
					time.Sleep(30 * time.Millisecond)
				}
				if round == 0 {
					rounds.Add(1)
				}
				if sawBack {
					roundsAfterBack.Add(1)
				}
			}
		}()
	}
	for acked.Load() < 100 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}

	// The outage: PostgreSQL stopped, down 3 s, started again.
	stopAt := time.Now()
	pg.stop()
	stopped := time.Now()
	t.Logf("PostgreSQL stopped (fast shutdown) in %v after %d acknowledged votes", stopped.Sub(stopAt).Round(time.Millisecond), acked.Load())
	probe := func(nd *node, path, accept string) outcome {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+nd.addr+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		o := outcome{what: nd.name + " GET " + path, start: time.Now()}
		client := &http.Client{Timeout: 15 * time.Second}
		res, err := client.Do(req)
		o.end, o.err = time.Now(), err
		if err != nil {
			return o
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		o.status = res.StatusCode
		check := func(ok bool, what string) {
			if !ok && o.err == nil {
				o.err = fmt.Errorf("%s; got %d %q", what, res.StatusCode, truncate(string(b), 300))
			}
		}
		if res.StatusCode != http.StatusServiceUnavailable {
			return o
		}
		switch {
		case path == "/readyz":
			var body struct {
				Status string            `json:"status"`
				Checks map[string]string `json:"checks"`
			}
			check(json.Unmarshal(b, &body) == nil && body.Status == "unavailable" && body.Checks["database"] == "down",
				`want {"status":"unavailable","checks":{"database":"down"}}`)
		case accept == "application/json" || strings.HasPrefix(path, "/api/"):
			var body errorBodyJSON
			check(json.Unmarshal(b, &body) == nil && body.Error.Code == "error.database_unavailable" && body.Error.Message != "",
				"want the JSON error error.database_unavailable with a message")
		case strings.Contains(path, "lang=en"):
			check(strings.Contains(string(b), "briefly unavailable"), "want the English message")
		default:
			check(strings.Contains(string(b), "tidak tersedia sebentar"), "want the Indonesian message")
		}
		check(res.Header.Get("Retry-After") != "" || path == "/readyz", "want Retry-After")
		return o
	}
	paths := []struct{ path, accept string }{
		{"/k/" + slug, ""},
		{"/k/" + slug + "?lang=en", ""},
		{"/api/v1/consultations/" + slug + "/statements", ""},
		{"/k/" + slug, "application/json"},
		{"/readyz", ""},
	}
	var probes []outcome
	for time.Since(stopped) < 3*time.Second {
		var pw sync.WaitGroup
		for _, nd := range c.nodes {
			for _, p := range paths {
				pw.Add(1)
				go func() {
					defer pw.Done()
					o := probe(nd, p.path, p.accept)
					mu.Lock()
					probes = append(probes, o)
					mu.Unlock()
				}()
			}
		}
		pw.Wait()
		time.Sleep(300 * time.Millisecond)
	}
	restarting := time.Now()
	pg.start()
	started := time.Now()
	t.Logf("PostgreSQL down %v (start took %v)", started.Sub(stopped).Round(time.Millisecond), started.Sub(restarting).Round(time.Millisecond))

	// Recovery: every node answers the page, /readyz and a vote again.
	back := map[string]time.Duration{}
	deadline := started.Add(20 * time.Second)
	for len(back) < len(c.nodes) && time.Now().Before(deadline) {
		for _, nd := range c.nodes {
			if _, ok := back[nd.name]; ok {
				continue
			}
			if o := probe(nd, "/readyz", ""); o.status != 200 {
				continue
			}
			if o := probe(nd, "/k/"+slug, ""); o.status != 200 {
				continue
			}
			vctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			v, err := newVoter(vctx, "http://"+nd.addr, slug)
			if err == nil {
				err = v.vote(vctx, stmts[0], "agree")
			}
			cancel()
			if err == nil {
				back[nd.name] = time.Since(started)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(back) < len(c.nodes) {
		for _, nd := range c.nodes {
			if _, ok := back[nd.name]; !ok {
				t.Errorf("%s does not answer 200 and take a vote 20 s after PostgreSQL is back\n%s", nd.name, nd.logTail())
			}
		}
		t.FailNow()
	}
	var worst time.Duration
	for _, d := range back {
		worst = max(worst, d)
	}
	t.Logf("every node answers 200 and takes votes again, without a restart, %v after PostgreSQL accepts connections (per node %v)", worst.Round(time.Millisecond), back)
	for _, nd := range c.nodes {
		c.waitState(nd, "UP")
	}
	afterBack.Store(true)
	for roundsAfterBack.Load() < voters && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	stopLoad()
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}

	// What users got.
	var during, after int
	var slowestTook time.Duration
	statuses := map[string]map[int]int{}
	for _, o := range append(outcomes, probes...) {
		took := o.end.Sub(o.start)
		inOutage := !o.start.Before(stopped) && !o.end.After(restarting)
		switch {
		case o.err != nil && o.status == 0:
			t.Errorf("%s at %s: no answer after %v: %v", o.what, o.start.Format("15:04:05.000"), took.Round(time.Millisecond), o.err)
		case o.err != nil:
			t.Errorf("%s at %s: %v", o.what, o.start.Format("15:04:05.000"), o.err)
		case o.status >= 500 && o.status != http.StatusServiceUnavailable:
			t.Errorf("%s at %s: status %d", o.what, o.start.Format("15:04:05.000"), o.status)
		case inOutage && o.status != http.StatusServiceUnavailable:
			t.Errorf("%s at %s during the outage: status %d, want 503", o.what, o.start.Format("15:04:05.000"), o.status)
		}
		if inOutage {
			during++
			if strings.Contains(o.what, "HAProxy") {
				if statuses[o.what] == nil {
					statuses[o.what] = map[int]int{}
				}
				statuses[o.what][o.status]++
			}
			if took > 8*time.Second {
				t.Errorf("%s during the outage took %v, want a 503 within 8 s", o.what, took.Round(time.Millisecond))
			}
			slowestTook = max(slowestTook, took)
		} else if o.start.After(started) {
			after++
		}
	}
	if during == 0 {
		t.Fatal("no request was answered during the outage: the test did not test it")
	}
	t.Logf("%d answers during the outage (slowest %v; through HAProxy, count by status: %v), %d after it; %d votes acknowledged",
		during, slowestTook.Round(time.Millisecond), statuses, after, acked.Load())

	// No acknowledged vote lost: the database holds each guest's last
	// acknowledged value (checked per statement and value, as checkTallies).
	want := map[[2]int64]int{}
	total := 0
	for i := range lastAcked {
		for j, value := range lastAcked[i] {
			if value == "" {
				continue
			}
			n := map[string]int64{"agree": 1, "disagree": -1, "pass": 0}[value]
			want[[2]int64{stmts[j], n}]++
			total++
		}
	}
	// The recovery probes' votes, one guest per node on the first statement.
	want[[2]int64{stmts[0], 1}] += len(c.nodes)
	total += len(c.nodes)
	got, gotTotal := c.tallies()
	if gotTotal != total {
		t.Errorf("%d votes stored, want %d", gotTotal, total)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("statement %d value %d: %d votes stored, want %d", k[0], k[1], got[k], n)
		}
	}
}

// errorBodyJSON is the web package's one JSON error shape.
type errorBodyJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
