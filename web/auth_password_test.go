package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
)

var testArgon2 = forum.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1, SaltLen: 16, KeyLen: 32}

// TestPasswordSignInRateLimited signs staff in with a password (a fresh
// session id, C16), refuses citizens, and limits guesses per email.
func TestPasswordSignInRateLimited(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	staff := &forum.User{Email: "mod@pemda.test", DisplayName: "Moderator", Role: forum.RoleModerator}
	if err := forumtest.CreateUser(ctx, f.db, staff, now); err != nil {
		t.Fatal(err)
	}
	const pw = "sandi-petugas-yang-panjang"
	if err := forum.NewStore(f.db, func() time.Time { return now }).SetPassword(ctx, forum.Viewer{}, staff.ID, pw, testArgon2); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	csrf := csrfOf(t, c, f.url+"/masuk")
	login := func(email, password string) (*http.Response, string) {
		return do(t, c, "POST", f.url+"/masuk/sandi", url.Values{"csrf": {csrf}, "email": {email}, "password": {password}, "next": {"/akun"}})
	}
	if res, body := login("mod@pemda.test", "salah"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Email atau kata sandi salah") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res, _ := login("mod@pemda.test", pw)
	tok := sessionCookie(c, f.url)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/akun" || tok == "" {
		t.Fatalf("password sign-in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// Signing in again replaces the session: the old token stops working.
	csrf = csrfOf(t, c, f.url+"/") // the visitor id, and so the token, changed at sign-in
	login("mod@pemda.test", pw)
	if again := sessionCookie(c, f.url); again == tok || again == "" {
		t.Fatal("session id not rotated on a second sign-in")
	}
	if _, err := forum.SessionUser(ctx, f.db, tok, now); errs.KindOf(err) != errs.NotFound {
		t.Fatal("the replaced session still works")
	}
	other := browser(t)
	csrf2 := csrfOf(t, other, f.url+"/masuk")
	var last *http.Response
	var body string
	for i := 0; i < 6; i++ {
		last, body = do(t, other, "POST", f.url+"/masuk/sandi", url.Values{"csrf": {csrf2}, "email": {"MOD@pemda.test"}, "password": {"tebakan"}})
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" || !strings.Contains(body, "Terlalu banyak percobaan") {
		t.Fatalf("sixth guess: %d %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	// Even the right password waits out the window.
	if res, _ := do(t, other, "POST", f.url+"/masuk/sandi", url.Values{"csrf": {csrf2}, "email": {"mod@pemda.test"}, "password": {pw}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password while limited: %d", res.StatusCode)
	}
}

// TestGuestVotesMoveToAccount: a guest votes, then signs in to an account
// that had already voted on one of the statements; the account's vote
// wins and nothing is counted twice.
func TestGuestVotesMoveToAccount(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	u := &forum.User{DisplayName: "Fajar"}
	if err := forum.NewStore(f.db, func() time.Time { return now }).CreateUserWithIdentity(ctx, u, "sso-pemda", "s-fajar", ""); err != nil {
		t.Fatal(err)
	}
	me, _ := forum.UserParticipant(ctx, f.db, u, now)
	if err := polls.NewStore(f.db, func() time.Time { return now }).CastVote(ctx, forum.GuestViewer(me.ID), f.c, f.stmts[0].ID, polls.Disagree); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	csrf := csrfOf(t, c, f.url+"/k/"+f.c.Slug)
	vote(t, c, f.fixture, csrf, f.stmts[0].ID, "agree")
	vote(t, c, f.fixture, csrf, f.stmts[1].ID, "agree")
	if st := statementsAPI(t, f.fixture); st[0].Agree != 1 || st[0].Disagree != 1 {
		t.Fatalf("before sign-in: %+v", st)
	}
	f.sso.QueueUser(&mockoidc.MockUser{Subject: "s-fajar"})
	do(t, c, "GET", approve(t, startOIDC(t, c, f.url, "sso-pemda")), nil)
	st := statementsAPI(t, f.fixture)
	if st[0].Agree != 0 || st[0].Disagree != 1 || st[1].Agree != 1 {
		t.Fatalf("after sign-in: %+v", st)
	}
	_, body := do(t, c, "GET", f.url+"/api/v1/consultations", nil)
	if !strings.Contains(body, `"participants":1`) {
		t.Fatalf("participants after merge: %s", body)
	}
	// The export holds the two votes, now the account's.
	_, body = do(t, c, "GET", f.url+"/akun/data.json", nil)
	var x struct {
		Policy string `json:"policy"`
		Votes  []struct {
			Statement string `json:"statement"`
			Value     int    `json:"value"`
		} `json:"votes"`
	}
	if err := json.Unmarshal([]byte(body), &x); err != nil || len(x.Votes) != 2 || x.Policy == "" {
		t.Fatalf("export: %v %s", err, body)
	}
}

// TestSigninLinkSingleUse: the link page's GET uses nothing; the POST signs
// in once, and the same link then fails.
func TestSigninLinkSingleUse(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	admin := &forum.User{Email: "admin@pemda.test", DisplayName: "Admin", Role: forum.RoleAdmin}
	forumtest.CreateUser(ctx, f.db, admin, now)
	tok, err := forum.NewStore(f.db, func() time.Time { return now }).CreateSignInLink(ctx, admin.ID, forum.SignInLinkTTL)
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	link := f.url + "/masuk/tautan/" + tok
	csrf := csrfOf(t, c, link)
	csrfOf(t, c, link) // a second look (a mail scanner) uses nothing
	if res, _ := do(t, c, "POST", link, url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther || sessionCookie(c, f.url) == "" {
		t.Fatalf("link sign-in: %d", res.StatusCode)
	}
	other := browser(t)
	csrf = csrfOf(t, other, link)
	if res, body := do(t, other, "POST", link, url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "sudah dipakai") {
		t.Fatalf("second use: %d", res.StatusCode)
	}
}
