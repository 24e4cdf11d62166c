package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRequestLogLevels checks that fast successful requests are logged only
// at Debug level, and errors at Info.
func TestRequestLogLevels(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		level      slog.Level
		wantLogged bool
	}{
		{"success at info level is quiet", "/healthz", slog.LevelInfo, false},
		{"success at debug level is logged", "/healthz", slog.LevelDebug, true},
		{"not found at info level is logged", "/no-such-page", slog.LevelInfo, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := storagetest.NewDB(t)
			if err := web.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			var buf syncBuffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tc.level}))
			srv, err := web.New(ctx, web.Config{DB: db, Logger: log, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Close() })
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			get(t, browser(t), ts.URL+tc.path)
			want := "path=" + tc.path
			if got := strings.Contains(buf.String(), want); got != tc.wantLogged {
				t.Fatalf("request logged = %v, want %v\n%s", got, tc.wantLogged, buf.String())
			}
		})
	}
}
