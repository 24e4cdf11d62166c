package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/web/auth"
)

// TestOIDCSignInRotatesAndLogsOut runs the whole OpenID Connect flow
// against mockoidc and checks CASES C14 (state random, single use) and C16
// (a fresh session at sign-in; the old cookies dead after sign-out).
func TestOIDCSignInRotatesAndLogsOut(t *testing.T) {
	f := newAuthFixture(t)
	f.sso.QueueUser(&mockoidc.MockUser{Subject: "sub-ani", Email: "ani@example.test", EmailVerified: true, PreferredUsername: "ani"})
	c := browser(t)
	_, page := do(t, c, "GET", f.url+"/masuk", nil)
	if !strings.Contains(page, "Masuk dengan SSO Pemda") || !strings.Contains(page, "Masuk dengan Keycloak Dua") {
		t.Fatalf("sign-in page lacks the providers:\n%s", page)
	}
	// A stale or planted session cookie before sign-in (session fixation).
	planted := "planted-token"
	base, _ := url.Parse(f.url)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: "rembug_s", Value: planted, Path: "/"}})

	a1 := startOIDC(t, c, f.url, "sso-pemda")
	a2 := startOIDC(t, c, f.url, "sso-pemda")
	s1, s2 := a1.Query().Get("state"), a2.Query().Get("state")
	if len(s1) < 40 || s1 == s2 {
		t.Fatalf("states are not random: %q %q", s1, s2)
	}
	if a1.Query().Get("code_challenge_method") != "S256" || a1.Query().Get("code_challenge") == "" || a1.Query().Get("nonce") == "" {
		t.Fatalf("no PKCE or nonce in %s", a1)
	}
	cb := approve(t, a1)
	res, _ := do(t, c, "GET", cb, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("callback: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	tok := sessionCookie(c, f.url)
	if tok == "" || tok == planted {
		t.Fatalf("session cookie not rotated at sign-in: %q", tok)
	}
	for _, k := range res.Cookies() {
		if k.Name == "rembug_s" && (!k.HttpOnly || k.SameSite != http.SameSiteLaxMode) {
			t.Fatalf("session cookie flags: %+v", k)
		}
	}
	_, body := do(t, c, "GET", f.url+"/akun", nil)
	if !strings.Contains(body, "ani") || !strings.Contains(body, "ani@example.test") || !strings.Contains(body, "Keluar") {
		t.Fatalf("account page after sign-in:\n%s", body)
	}
	// Replaying the same callback fails: the state is used up.
	if res, _ := do(t, c, "GET", cb, nil); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed callback: %d, want 400", res.StatusCode)
	}
	// Sign out, then replay the pre-logout cookie.
	csrf := csrfOf(t, c, f.url+"/akun")
	if res, _ := do(t, c, "POST", f.url+"/keluar", url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	for _, old := range []string{tok, planted} {
		replay := browser(t)
		replay.Jar.SetCookies(base, []*http.Cookie{{Name: "rembug_s", Value: old, Path: "/"}})
		res, _ := do(t, replay, "GET", f.url+"/akun", nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/masuk") {
			t.Fatalf("old cookie %q after sign-out: %d %s", old, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if n := countRows(t, f.db, "sessions"); n != 0 {
		t.Fatalf("%d sessions left after sign-out", n)
	}
}

// TestOIDCCallbackRejectsBadState is CASES C14: a callback with no state, a
// changed state, or another browser's state is a 400 and creates no
// session.
func TestOIDCCallbackRejectsBadState(t *testing.T) {
	f := newAuthFixture(t)
	victim, attacker := browser(t), browser(t)
	do(t, victim, "GET", f.url+"/masuk", nil)
	cases := []struct {
		name   string
		mangle func(cb *url.URL)
		who    *struct{}
	}{
		{"missing state", func(cb *url.URL) { q := cb.Query(); q.Del("state"); cb.RawQuery = q.Encode() }, nil},
		{"changed state", func(cb *url.URL) { q := cb.Query(); q.Set("state", q.Get("state")+"x"); cb.RawQuery = q.Encode() }, nil},
		{"other browser's state", func(*url.URL) {}, nil},
		{"provider error", func(cb *url.URL) {
			q := cb.Query()
			q.Set("error", "access_denied")
			q.Del("code")
			cb.RawQuery = q.Encode()
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			starter := victim
			if tc.name == "other browser's state" {
				starter = attacker // the attacker starts, the victim is sent to the callback
			}
			cb, err := url.Parse(approve(t, startOIDC(t, starter, f.url, "sso-pemda")))
			if err != nil {
				t.Fatal(err)
			}
			tc.mangle(cb)
			res, body := do(t, victim, "GET", cb.String(), nil)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400:\n%s", res.StatusCode, body)
			}
			if sessionCookie(victim, f.url) != "" || countRows(t, f.db, "sessions") != 0 {
				t.Fatal("a session was created")
			}
		})
	}
}

// TestOIDCSameEmailNeverLinks is CASES C15: a new identity whose verified
// email belongs to an existing account, from the same or another provider,
// is never linked; only verified emails are stored.
func TestOIDCSameEmailNeverLinks(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	warga := &forum.User{Email: "warga@example.test", DisplayName: "Warga", Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(ctx, f.db, warga, now); err != nil {
		t.Fatal(err)
	}
	// A first citizen signs in with the first provider.
	f.sso.QueueUser(&mockoidc.MockUser{Subject: "s-dewi", Email: "dewi@example.test", EmailVerified: true})
	first := browser(t)
	do(t, first, "GET", f.url+"/akun", nil)
	do(t, first, "GET", approve(t, startOIDC(t, first, f.url, "sso-pemda")), nil)
	if sessionCookie(first, f.url) == "" {
		t.Fatal("first sign-in failed")
	}
	cases := []struct {
		name     string
		provider string
		m        *mockoidc.MockOIDC
		user     *mockoidc.MockUser
	}{
		{"verified email of a password account", "sso-pemda", f.sso, &mockoidc.MockUser{Subject: "s-x1", Email: "warga@example.test", EmailVerified: true}},
		{"second provider, same email as a social account", "keycloak-dua", f.second, &mockoidc.MockUser{Subject: "s-dewi", Email: "dewi@example.test", EmailVerified: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.m.QueueUser(tc.user)
			c := browser(t)
			do(t, c, "GET", f.url+"/masuk", nil)
			res, body := do(t, c, "GET", approve(t, startOIDC(t, c, f.url, tc.provider)), nil)
			if res.StatusCode != http.StatusConflict || !strings.Contains(body, "tidak menggabungkan akun secara otomatis") {
				t.Fatalf("status %d:\n%s", res.StatusCode, body)
			}
			if sessionCookie(c, f.url) != "" {
				t.Fatal("signed in")
			}
			if _, err := forum.NewStore(f.db, func() time.Time { return now }).SignInIdentity(ctx, tc.provider, tc.user.Subject); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("identity was linked: %v", err)
			}
		})
	}
	// An unverified email that matches nobody opens an account without it.
	f.sso.QueueUser(&mockoidc.MockUser{Subject: "s-new", Email: "baru@example.test", PreferredUsername: "baru"})
	c := browser(t)
	do(t, c, "GET", f.url+"/masuk", nil)
	do(t, c, "GET", approve(t, startOIDC(t, c, f.url, "sso-pemda")), nil)
	u, err := forum.NewStore(f.db, func() time.Time { return now }).SignInIdentity(ctx, "sso-pemda", "s-new")
	if err != nil || u.Email != "" || u.DisplayName != "baru" {
		t.Fatalf("account from unverified email: %+v %v", u, err)
	}
}

// TestOIDCUnverifiedEmailAnswersAsNew: when the provider marks the email
// unverified, the callback answers exactly as for an email nobody uses (a
// fresh account without an email, signed in, the same redirect and the
// same page), so it does not tell whether the address has an account; the
// existing account gets no identity and keeps its email.
func TestOIDCUnverifiedEmailAnswersAsNew(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	warga := &forum.User{Email: "warga@example.test", DisplayName: "Warga", Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(ctx, f.db, warga, now); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status       int
		location     string
		account      string
		newUserEmail string
	}
	signin := func(sub, email string) answer {
		t.Helper()
		f.sso.QueueUser(&mockoidc.MockUser{Subject: sub, Email: email, PreferredUsername: "Tamu"})
		c := browser(t)
		do(t, c, "GET", f.url+"/masuk", nil)
		res, _ := do(t, c, "GET", approve(t, startOIDC(t, c, f.url, "sso-pemda")), nil)
		_, page := do(t, c, "GET", f.url+"/akun", nil)
		u, err := forum.NewStore(f.db, func() time.Time { return now }).SignInIdentity(ctx, "sso-pemda", sub)
		if err != nil {
			t.Fatalf("%s: no account was opened: %v", email, err)
		}
		if u.ID == warga.ID {
			t.Fatalf("%s: linked to the existing account", email)
		}
		page = strings.ReplaceAll(page, csrfRE.FindString(page), "")
		return answer{res.StatusCode, res.Header.Get("Location"), page, u.Email}
	}
	taken := signin("s-taken", "WARGA@example.test")
	fresh := signin("s-fresh", "nobody@example.test")
	if taken != fresh {
		t.Fatalf("an unverified email of an account is answered differently:\n%+v\nvs a new email:\n%+v", taken, fresh)
	}
	if taken.status != http.StatusSeeOther || taken.newUserEmail != "" {
		t.Fatalf("answer %d, new account email %q", taken.status, taken.newUserEmail)
	}
	ids, err := forum.Identities(ctx, f.db, warga.ID)
	if err != nil || len(ids) != 0 {
		t.Fatalf("existing account got identities %+v %v", ids, err)
	}
	if u, err := forum.UserByID(ctx, f.db, warga.ID); err != nil || u.Email != "warga@example.test" {
		t.Fatalf("existing account changed: %+v %v", u, err)
	}
}

// TestLinkSecondProvider links a second provider from the profile page,
// then unlinks one while the other remains, and cannot unlink the last.
func TestLinkSecondProvider(t *testing.T) {
	f := newAuthFixture(t)
	f.sso.QueueUser(&mockoidc.MockUser{Subject: "s-eka", Email: "eka@example.test", EmailVerified: true})
	f.second.QueueUser(&mockoidc.MockUser{Subject: "k-eka", Email: "eka@example.test", EmailVerified: true})
	c := browser(t)
	do(t, c, "GET", f.url+"/masuk", nil)
	do(t, c, "GET", approve(t, startOIDC(t, c, f.url, "sso-pemda")), nil)
	csrf := csrfOf(t, c, f.url+"/akun")
	res, _ := do(t, c, "POST", f.url+"/akun/tautkan", url.Values{"csrf": {csrf}, "provider": {"keycloak-dua"}})
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || loc.Host != strings.TrimPrefix(f.second.Addr(), "http://") {
		t.Fatalf("link begin: %d %s", res.StatusCode, loc)
	}
	res, _ = do(t, c, "GET", approve(t, loc), nil)
	if res.Header.Get("Location") != "/akun?ok=linked" {
		t.Fatalf("link callback: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	u, err := forum.NewStore(f.db, func() time.Time { return now }).SignInIdentity(t.Context(), "keycloak-dua", "k-eka")
	if err != nil || u.Email != "eka@example.test" {
		t.Fatalf("linked identity: %+v %v", u, err)
	}
	csrf = csrfOf(t, c, f.url+"/akun")
	if res, _ := do(t, c, "POST", f.url+"/akun/lepas", url.Values{"csrf": {csrf}, "provider": {"sso-pemda"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d", res.StatusCode)
	}
	if res, _ := do(t, c, "POST", f.url+"/akun/lepas", url.Values{"csrf": {csrf}, "provider": {"keycloak-dua"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("unlink the last way in: %d, want 409", res.StatusCode)
	}
}

func TestChallengeIsRFC7636(t *testing.T) {
	// RFC 7636 appendix B.
	if got := auth.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("challenge %s", got)
	}
}
