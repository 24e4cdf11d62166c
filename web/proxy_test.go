package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rembug/rembug/forum/storage/storagetest"
)

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/24, 127.0.0.1 ,,::1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/24", "127.0.0.1/32", "::1/128"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("entry %d: got %s, want %s", i, got[i], want[i])
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/24,haproxy"); err == nil {
		t.Error("a host name was accepted as a proxy address")
	}
	if p, err := ParseTrustedProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty: %v %v", p, err)
	}
}

// TestClientBehindProxy: the address the per-client limits key on, as the
// middleware leaves it, for peers and X-Forwarded-For headers a client
// could send directly or a load balancer could append to.
func TestClientBehindProxy(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	proxies, err := ParseTrustedProxies("10.0.0.0/24")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	var seen string
	h := s.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = clientIP(r) }))
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct client, no header", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"direct client forging the header", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"through the balancer", "10.0.0.2:40000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"forged entry left of the balancer's", "10.0.0.2:40000", []string{"192.0.2.66, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted hops", "10.0.0.2:40000", []string{"198.51.100.1", "10.0.0.3"}, "198.51.100.1"},
		{"balancer without a header", "10.0.0.2:40000", nil, "10.0.0.2"},
		{"malformed hop", "10.0.0.2:40000", []string{"not-an-address"}, "10.0.0.2"},
		{"IPv6 client", "10.0.0.2:40000", []string{"2001:db8::5"}, "2001:db8::5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			seen = ""
			h.ServeHTTP(httptest.NewRecorder(), r)
			if seen != c.want {
				t.Errorf("client %q, want %q", seen, c.want)
			}
		})
	}
}
