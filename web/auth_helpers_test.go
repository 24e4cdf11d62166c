package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
	"github.com/rembug/rembug/web/auth"
	"github.com/uptrace/bun"
)

// signIn signs client in as user u without going through a provider: it
// creates a database session (valid at the fixtures' clock, now) and puts
// its token in the client's cookie jar for baseURL. It returns the token.
func signIn(t testing.TB, client *http.Client, baseURL string, db bun.IDB, u *forum.User) string {
	t.Helper()
	tok, err := forum.CreateSession(context.Background(), db, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	client.Jar.SetCookies(base, []*http.Cookie{{Name: "rembug_s", Value: tok, Path: "/"}})
	return tok
}

// authFixture is the fixture's consultation served with two OpenID Connect
// providers, both mockoidc servers in this process: "SSO Pemda" (name
// sso-pemda) and "Keycloak Dua" (keycloak-dua).
type authFixture struct {
	*fixture
	sso, second *mockoidc.MockOIDC
}

func startMockOIDC(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota", Description: "Apa pendapat Anda?", Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, now); err != nil {
		t.Fatal(err)
	}
	stmts := []polls.Statement{
		{ConsultationID: c.ID, SourceKey: "1", Text: "Perbanyak pohon peneduh", CreatedAt: now},
		{ConsultationID: c.ID, SourceKey: "2", Text: "Tambah bangku taman", CreatedAt: now.Add(1)},
	}
	if _, err := db.NewInsert().Model(&stmts).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	sso, second := startMockOIDC(t), startMockOIDC(t)
	providers, err := auth.New(ctx, auth.Config{BaseURL: ts.URL, OIDC: []auth.OIDC{
		{Name: "SSO Pemda", Issuer: sso.Issuer(), Keys: auth.Keys{ClientID: sso.ClientID, ClientSecret: sso.ClientSecret}},
		{Name: "Keycloak Dua", Issuer: second.Issuer(), Keys: auth.Keys{ClientID: second.ClientID, ClientSecret: second.ClientSecret}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Auth: providers})
	if err != nil {
		t.Fatal(err)
	}
	h = srv
	return &authFixture{fixture: &fixture{db: db, c: c, stmts: stmts, url: ts.URL}, sso: sso, second: second}
}

// do sends one request with c (which does not follow redirects) and
// returns the response with its body read.
func do(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// csrfOf loads page u with c and returns its form token.
func csrfOf(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	_, body := do(t, c, "GET", u, nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf token on %s", u)
	}
	return m[1]
}

// startOIDC begins a sign-in at provider with browser c and returns the
// provider URL it was sent to.
func startOIDC(t *testing.T, c *http.Client, base, provider string) *url.URL {
	t.Helper()
	res, _ := do(t, c, "GET", base+"/auth/"+provider, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("begin %s: status %d", provider, res.StatusCode)
	}
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// approve plays the provider: it opens the authorization URL (mockoidc
// approves at once, as the user queued on it) and returns the callback URL
// it redirects to.
func approve(t *testing.T, authURL *url.URL) string {
	t.Helper()
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, body := do(t, plain, "GET", authURL.String(), nil)
	if res.StatusCode != http.StatusFound {
		t.Fatalf("provider answered %d: %s", res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// sessionCookie returns the session token in c's jar for base, or "".
func sessionCookie(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == "rembug_s" {
			return k.Value
		}
	}
	return ""
}

func countRows(t *testing.T, db bun.IDB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
