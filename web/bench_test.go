package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls/polis"
	"github.com/rembug/rembug/web"
)

// BenchmarkConsultationPage renders the largest real conversation's
// consultation page (bowling-green: 607 visible statements, 225,524 votes)
// for a first-time visitor, in process, on the test database:
//
//	go test ./web -run '^$' -bench ConsultationPage -benchtime 2000x
func BenchmarkConsultationPage(b *testing.B) {
	dir := ""
	for d, _ := os.Getwd(); ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "data", "polis", "american-assembly.bowling-green")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			dir = p
			break
		}
		if filepath.Dir(d) == d {
			b.Skip("shared/data/polis is not present beside the repository")
		}
	}
	ctx := context.Background()
	db := storagetest.NewDB(b)
	if err := web.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	rep, err := polis.Import(ctx, db, dir, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/k/" + rep.Slug, "/k/" + rep.Slug + "/results", "/"} {
		b.Run(path[:min(len(path), 12)], func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
