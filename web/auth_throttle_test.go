package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
)

// TestPasswordThrottlePerAddress: a stranger guessing an admin's password
// from one address meets growing delays (Retry-After, 429), while the
// admin signing in from another address at the same moment goes straight
// in; once the stranger's delay has passed on the injected clock, the
// stranger may try again. Nobody is locked out.
func TestPasswordThrottlePerAddress(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
	if err != nil {
		t.Fatal(err)
	}
	// The test plays several client addresses through one listener.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if peer := r.Header.Get("X-Test-Peer"); peer != "" {
			r.RemoteAddr = peer + ":40000"
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	admin := &forum.User{Email: "admin@pemda.test", DisplayName: "Admin", Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(ctx, db, admin, now); err != nil {
		t.Fatal(err)
	}
	const pw = "sandi-admin-yang-panjang"
	if err := forum.NewStore(db, func() time.Time { return now }).SetPassword(ctx, forum.Viewer{}, admin.ID, pw, testArgon2); err != nil {
		t.Fatal(err)
	}
	login := func(c *http.Client, peer, password string) *http.Response {
		t.Helper()
		csrf := csrfOf(t, c, ts.URL+"/masuk")
		form := url.Values{"csrf": {csrf}, "email": {"admin@pemda.test"}, "password": {password}}
		req, _ := http.NewRequest("POST", ts.URL+"/masuk/sandi", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("X-Test-Peer", peer)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	stranger := browser(t)
	var delays []int
	for i := 0; i < 12; i++ {
		res := login(stranger, "203.0.113.7", "tebakan-"+strconv.Itoa(i))
		if res.StatusCode == http.StatusTooManyRequests {
			secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || secs <= 0 || time.Duration(secs)*time.Second > forum.PasswordMaxDelay {
				t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
			}
			delays = append(delays, secs)
			// The owner, elsewhere, is let in right now.
			owner := browser(t)
			if res := login(owner, "198.51.100.20", pw); res.StatusCode != http.StatusSeeOther || sessionCookie(owner, ts.URL) == "" {
				t.Fatalf("owner from another address while the stranger waits: %d", res.StatusCode)
			}
			// The stranger's correct guess would wait too: the password is not even checked.
			if res := login(stranger, "203.0.113.7", pw); res.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("a guess during the delay got %d", res.StatusCode)
			}
			clock.Add(int64(time.Duration(secs) * time.Second))
			continue
		}
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, res.StatusCode)
		}
	}
	if len(delays) < 3 || delays[len(delays)-1] <= delays[0] {
		t.Fatalf("delays do not grow: %v", delays)
	}
	// After waiting, the stranger's address may sign in with the password (it is not locked).
	clock.Add(int64(forum.PasswordMaxDelay))
	if res := login(stranger, "203.0.113.7", pw); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password after the delay: %d", res.StatusCode)
	}
}
