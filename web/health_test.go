package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/web"
)

// readyBody is /readyz's answer.
type readyBody struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func getReady(t *testing.T, base string) (int, readyBody) {
	t.Helper()
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b readyBody
	if err := json.NewDecoder(res.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// TestReadyz: /readyz is 200 while the database and the search index
// answer, 503 naming the dependency that does not (here a closed Bleve
// index), and 503 "draining" after Drain; /healthz stays 200 throughout.
func TestReadyz(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	check := web.Check{Name: "search", Ping: func(ctx context.Context) error {
		_, err := idx.Search(ctx, search.Query{PerPage: 1})
		return err
	}}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ready: []web.Check{check}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	if code, b := getReady(t, ts.URL); code != 200 || b.Status != "ok" || b.Checks["database"] != "ok" || b.Checks["search"] != "ok" {
		t.Fatalf("ready: %d %+v", code, b)
	}
	idx.Close()
	if code, b := getReady(t, ts.URL); code != 503 || b.Status != "unavailable" || b.Checks["search"] != "down" || b.Checks["database"] != "ok" {
		t.Fatalf("search closed: %d %+v", code, b)
	}
	srv.Drain()
	if code, b := getReady(t, ts.URL); code != 503 || b.Status != "draining" {
		t.Fatalf("draining: %d %+v", code, b)
	}
	if code, body := get(t, http.DefaultClient, ts.URL+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz while draining: %d %s", code, body)
	}
}

// TestReadyzHungDependency: a dependency whose client ignores its context
// (as go-redis waits out its dial timeout on a host that stopped
// answering) still gets /readyz its 503 within the 2 s bound, not when the
// client gives up.
func TestReadyzHungDependency(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hung := web.Check{Name: "redis", Ping: func(context.Context) error { <-release; return nil }}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ready: []web.Check{hung}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	start := time.Now()
	code, b := getReady(t, ts.URL)
	if took := time.Since(start); code != 503 || b.Checks["redis"] != "down" || b.Checks["database"] != "ok" || took > 4*time.Second {
		t.Fatalf("hung check: %d %+v after %v, want 503 with redis down within the 2 s bound", code, b, took)
	}
}

// TestDatabaseGone points a server at PostgreSQL through a TCP proxy,
// then cuts the proxy: pages answer 503 with the translated message within
// a second (no hang, no 500), the JSON API answers 503 with its code, and
// /readyz reports the database down. When the proxy comes back the same
// server answers 200 again by itself; the test logs how long that took.
// Messages are in English with ?lang=en and in Bahasa Indonesia by default.
func TestDatabaseGone(t *testing.T) {
	if os.Getenv(storagetest.EnvURL) == "" {
		t.Skip("needs PostgreSQL: set " + storagetest.EnvURL)
	}
	ctx := context.Background()
	f := newFixture(t) // migrates and seeds a fresh schema
	var schema string
	if err := f.db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(os.Getenv(storagetest.EnvURL))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	q := u.Query()
	q.Set("search_path", schema)
	u.Host, u.RawQuery = p.addr, q.Encode()
	db, err := storage.Open(ctx, storage.Config{URL: u.String(), MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	page := ts.URL + "/k/" + f.c.Slug
	fetch := func(u string) (int, string, time.Duration) {
		req, _ := http.NewRequest("GET", u, nil)
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), time.Since(start)
	}
	if code, _, _ := fetch(page); code != 200 {
		t.Fatalf("before: %d", code)
	}

	p.stop()
	code, body, took := fetch(page + "?lang=en")
	if code != 503 || !strings.Contains(body, "briefly unavailable") || took > time.Second {
		t.Fatalf("page with the database gone: %d in %v\n%s", code, took, body)
	}
	code, body, _ = fetch(ts.URL + "/api/v1/consultations/" + f.c.Slug + "/proposals")
	if code != 503 || !strings.Contains(body, `"error.database_unavailable"`) || !strings.Contains(body, "Layanan sedang tidak tersedia") {
		t.Fatalf("API with the database gone: %d %s", code, body)
	}
	if code, b := getReady(t, ts.URL); code != 503 || b.Checks["database"] != "down" {
		t.Fatalf("readyz with the database gone: %d %+v", code, b)
	}

	p.start()
	back := time.Now()
	for {
		code, _, _ := fetch(page)
		if code == 200 {
			break
		}
		if code != 503 {
			t.Fatalf("while recovering: %d", code)
		}
		if time.Since(back) > 10*time.Second {
			t.Fatal("the server did not recover within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("recovered %v after the database came back", time.Since(back).Round(time.Millisecond))
	if code, b := getReady(t, ts.URL); code != 200 {
		t.Fatalf("readyz after recovery: %d %+v", code, b)
	}
}

// tcpProxy forwards a loopback port to target; stop closes the port and
// every connection through it (the database "goes away"), start opens the
// same port again.
type tcpProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *tcpProxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *tcpProxy) pipe(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	go func() { io.Copy(s, c); s.Close() }() //nolint:errcheck // ends when either side closes
	io.Copy(c, s)                            //nolint:errcheck
	c.Close()
}

func (p *tcpProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}
