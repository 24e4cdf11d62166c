package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
)

// TestMetricsBehindToken: with a metrics token, /metrics on the site's
// listener answers only a request bearing it (as Prometheus's scrape
// "authorization" sends it), and 401 with a Bearer challenge to a request
// without it, with another token, or with the token in another scheme;
// MetricsHandler (the separate listener's) serves the same exposition.
func TestMetricsBehindToken(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	const token = "rahasia-prometheus-0123456789"
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, MetricsToken: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	get(t, http.DefaultClient, ts.URL+"/")
	scrape := func(auth string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	for _, auth := range []string{"", "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token, "Bearer "} {
		code, body, h := scrape(auth)
		if code != http.StatusUnauthorized || strings.Contains(body, "rembug_") || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("Authorization %q: %d %v\n%s", auth, code, h, body)
		}
	}
	code, body, _ := scrape("Bearer " + token)
	if code != http.StatusOK || !strings.Contains(body, `rembug_http_requests_total{method="GET",route="GET /{$}",status="200"} 1`) ||
		!strings.Contains(body, `go_sql_max_open_connections{db_name="rembug"}`) {
		t.Fatalf("scrape with the token: %d\n%s", code, body)
	}
	rec := httptest.NewRecorder()
	srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `rembug_build_info{version="test"} 1`) {
		t.Fatalf("separate listener's handler: %d\n%s", rec.Code, rec.Body.String())
	}
}
