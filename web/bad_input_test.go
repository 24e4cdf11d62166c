package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
)

// TestNULAndInvalidUTF8Give400 walks the route table: every GET route with
// a NUL byte in a path parameter, and every GET route with a NUL byte or
// invalid UTF-8 in a query parameter, answers 400 with a translated
// message, never 500; so does every POST route with a NUL byte or invalid
// UTF-8 in a field of a URL-encoded form.
func TestNULAndInvalidUTF8Give400(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := regexp.MustCompile(`\{"GET", "(/[^"]*)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) < 20 {
		t.Fatalf("found %d GET routes in routes.go", len(routes))
	}
	param := regexp.MustCompile(`\{[^}]*\}`)
	posts := regexp.MustCompile(`\{"POST", "(/[^"]*)"`).FindAllStringSubmatch(string(src), -1)
	if len(posts) < 20 {
		t.Fatalf("found %d POST routes in routes.go", len(posts))
	}
	for _, m := range posts {
		p := param.ReplaceAllString(strings.TrimSuffix(m[1], "{$}"), "x")
		for _, form := range []string{"csrf=x&text=a%00b&name=n", "csrf=x&email=a%FFb"} {
			resp, err := http.Post(ts.URL+p, "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "karakter yang tidak valid") {
				t.Errorf("POST %s %s: status %d, want 400 with the message: %.200s", p, form, resp.StatusCode, b)
			}
		}
	}
	for _, m := range routes {
		pattern := strings.TrimSuffix(m[1], "{$}")
		var paths []string
		if param.MatchString(pattern) {
			paths = append(paths, param.ReplaceAllString(pattern, "a%00b"))
		}
		base := param.ReplaceAllString(pattern, "x")
		paths = append(paths, base+"?q=a%00b", base+"?page=%FF", base+"?lang=en&next=%00")
		for _, p := range paths {
			resp, err := http.Get(ts.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("GET %s: status %d, want 400", p, resp.StatusCode)
				continue
			}
			if !strings.Contains(body, "karakter yang tidak valid") && !strings.Contains(body, "invalid character") {
				t.Errorf("GET %s: no translated message in %s", p, body)
			}
		}
	}
}
