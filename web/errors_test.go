package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

// lockedBuffer collects the server's log lines from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeError drives the one error renderer through the middleware
// (request id, language) for each kind, on an API path, a JSON request and
// a page.
func TestServeError(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	s, err := New(ctx, Config{DB: db, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	secret := errors.New("pq: relation secret_table does not exist")
	for _, tc := range []struct {
		name, path, accept string
		err                error
		code               int
		body               string // exact for JSON, a fragment for pages
		retryAfter         string
	}{
		{name: "api not found", path: "/api/v1/x", err: fmt.Errorf("proposal 9: %w", errs.ErrNotFound), code: 404,
			body: `{"error":{"code":"error.not_found","message":"Halaman atau data yang Anda cari tidak ditemukan."}}`},
		{name: "api in English", path: "/api/v1/x?lang=en", err: errs.E(errs.Invalid, "error.bad_form", nil), code: 400,
			body: `{"error":{"code":"error.bad_form","message":"The form is incomplete or invalid."}}`},
		{name: "json request with data", path: "/live/ABC/ask?lang=en", accept: "application/json",
			err: errs.Limited("live.error.rate_limited", 30*time.Second, map[string]any{"Count": 2}), code: 429,
			body: `{"error":{"code":"live.error.rate_limited","message":"You have asked 2 questions in the last minute. Please wait a moment and try again."}}`, retryAfter: "30"},
		{name: "internal detail stays in the log", path: "/api/v1/x", err: fmt.Errorf("load: %w", secret), code: 500,
			body: `{"error":{"code":"error.internal","message":"Terjadi kesalahan di server kami. Silakan coba lagi sebentar lagi."}}`},
		{name: "unavailable", path: "/api/v1/search", err: errs.Wrap(errs.Unavailable, "search.error.unavailable", secret), code: 503,
			body: `{"error":{"code":"search.error.unavailable","message":"Pencarian sedang tidak tersedia. Silakan coba lagi sebentar lagi."}}`},
		{name: "page", path: "/k/x", err: errs.E(errs.Forbidden, "error.csrf", nil), code: 403, body: "Formulir ini sudah kedaluwarsa"},
		{name: "page conflict", path: "/k/x", err: errs.E(errs.Conflict, "error.bad_form", nil), code: 409, body: "Isian formulir"},
		{name: "body over the cap", path: "/k/x", err: errs.Wrap(errs.Invalid, "error.body_too_large", &http.MaxBytesError{Limit: 1 << 20}), code: 413,
			body: "Kiriman terlalu besar"},
		{name: "internal page", path: "/k/x", err: secret, code: 500, body: "Terjadi kesalahan di server kami"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := s.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveError(w, r, tc.err) }))
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != tc.code {
				t.Fatalf("status %d, want %d\n%s", rec.Code, tc.code, body)
			}
			isJSON := strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json")
			if isJSON && strings.TrimSpace(body) != tc.body || !isJSON && !strings.Contains(body, tc.body) {
				t.Errorf("body %q, want %q", body, tc.body)
			}
			if isJSON != (strings.HasPrefix(tc.path, "/api/") || tc.accept != "") {
				t.Errorf("content type %q", rec.Header().Get("Content-Type"))
			}
			if got := rec.Header().Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			if strings.Contains(body, "secret_table") {
				t.Errorf("internal detail shown to the user: %s", body)
			}
			id := rec.Header().Get("X-Request-Id")
			logged := strings.Contains(logs.String(), "request_id="+id) && strings.Contains(logs.String(), "secret_table")
			if tc.code >= 500 && !logged {
				t.Errorf("a %d is not logged with request id %s and its cause:\n%s", tc.code, id, logs.String())
			}
		})
	}
}
