package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// fixture is a migrated database with one open consultation of three
// statements, the last one hidden.
type fixture struct {
	db    *bun.DB
	store *forum.Store // forum writes for test set-up, at the fixture's time
	c     *forum.Consultation
	stmts []polls.Statement
	url   string
	stop  func() // closes the fixture's own server and its workers
}

// withoutServer closes the fixture's own server and its background workers
// (such as its development message outbox), for tests that start servers
// of their own on the fixture's database: otherwise that outbox would take
// their messages too.
func (f *fixture) withoutServer() *fixture {
	f.stop()
	return f
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota <b>hijau</b>", Description: "Apa **pendapat** Anda? <script>alert(1)</script>",
		Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, now); err != nil {
		t.Fatal(err)
	}
	stmts := []polls.Statement{
		{ConsultationID: c.ID, SourceKey: "1", Text: "Perbanyak pohon peneduh", CreatedAt: now},
		{ConsultationID: c.ID, SourceKey: "2", Text: "Tambah bangku taman", CreatedAt: now.Add(time.Second)},
		{ConsultationID: c.ID, SourceKey: "3", Text: "Rahasia tersembunyi", Hidden: true, CreatedAt: now.Add(2 * time.Second)},
	}
	if _, err := db.NewInsert().Model(&stmts).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	var once sync.Once
	stop := func() { once.Do(func() { ts.Close(); srv.Close() }) }
	t.Cleanup(ts.Close)
	return &fixture{db: db, store: forum.NewStore(db, func() time.Time { return now }), c: c, stmts: stmts, url: ts.URL, stop: stop}
}

// staff creates an admin for set-up steps that only staff may take.
func (f *fixture) staff(tb testing.TB) forum.Viewer {
	tb.Helper()
	u := &forum.User{DisplayName: "Penata", Email: "penata@contoh.test", Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(context.Background(), f.db, u, now); err != nil {
		tb.Fatal(err)
	}
	v, err := forum.LoadViewer(context.Background(), f.db, u, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// browser is an HTTP client with cookies that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func vote(t *testing.T, c *http.Client, f *fixture, csrf string, sid int64, v string) *http.Response {
	t.Helper()
	form := url.Values{"csrf": {csrf}, "statement": {itoa(sid)}, "vote": {v}}
	req, _ := http.NewRequest("POST", f.url+"/k/"+f.c.Slug+"/vote", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func itoa(n int64) string {
	return strings.TrimSpace(strings.Replace(string(must(json.Marshal(n))), `"`, "", -1))
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestVoteFlow(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	code, body := get(t, c, f.url+"/k/"+f.c.Slug)
	if code != 200 || !strings.Contains(body, "Perbanyak pohon peneduh") || !strings.Contains(body, "Setuju") {
		t.Fatalf("consultation page: %d\n%s", code, body)
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>hijau</b>") || !strings.Contains(body, "<strong>pendapat</strong>") {
		t.Fatalf("user text not escaped/sanitized:\n%s", body)
	}
	if strings.Contains(body, "Rahasia") {
		t.Fatal("hidden statement shown")
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no csrf token in form")
	}
	csrf := m[1]

	if res := vote(t, c, f, "forged", f.stmts[0].ID, "agree"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("forged token: status %d, want 403", res.StatusCode)
	}
	res := vote(t, c, f, csrf, f.stmts[0].ID, "agree")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/k/"+url.PathEscape(f.c.Slug) {
		t.Fatalf("vote: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, c, f.url+"/k/"+f.c.Slug)
	if !strings.Contains(body, "Tambah bangku taman") || strings.Contains(body, "Perbanyak pohon peneduh") {
		t.Fatal("after a vote the next statement is not shown")
	}
	// Voting again replaces the earlier vote.
	vote(t, c, f, csrf, f.stmts[0].ID, "disagree")
	tallies := statementsAPI(t, f)
	if tallies[0].Agree != 0 || tallies[0].Disagree != 1 {
		t.Fatalf("after re-vote: %+v", tallies[0])
	}
	if res := vote(t, c, f, csrf, f.stmts[2].ID, "agree"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("vote on hidden statement: %d, want 404", res.StatusCode)
	}
	if res := vote(t, c, f, csrf, f.stmts[1].ID, "maybe"); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad vote value: %d, want 400", res.StatusCode)
	}
	_, body = get(t, c, f.url+"/k/"+f.c.Slug+"/results?sort=disagree")
	if !strings.Contains(body, "100%") {
		t.Fatalf("results page lacks the share:\n%s", body)
	}
}

func TestCrossOriginPostRejected(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	_, body := get(t, c, f.url+"/k/"+f.c.Slug)
	csrf := csrfRE.FindStringSubmatch(body)[1]
	form := url.Values{"csrf": {csrf}, "statement": {itoa(f.stmts[0].ID)}, "vote": {"agree"}}
	req, _ := http.NewRequest("POST", f.url+"/k/"+f.c.Slug+"/vote", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "kedaluwarsa") {
		t.Fatalf("cross-site post: %d %s", res.StatusCode, b)
	}
}

// TestParallelVotesCountOnce is CASES C01: 20 identical votes at once leave
// one vote, and none fails.
func TestParallelVotesCountOnce(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	_, body := get(t, c, f.url+"/k/"+f.c.Slug)
	csrf := csrfRE.FindStringSubmatch(body)[1]
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := "agree"
			if i%2 == 1 {
				v = "disagree"
			}
			codes[i] = vote(t, c, f, csrf, f.stmts[0].ID, v).StatusCode
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusSeeOther {
			t.Fatalf("request %d: status %d", i, code)
		}
	}
	ts := statementsAPI(t, f)
	if ts[0].Agree+ts[0].Disagree != 1 {
		t.Fatalf("parallel votes counted %d times", ts[0].Agree+ts[0].Disagree)
	}
}

type apiStatement struct {
	ID       int64  `json:"id"`
	SourceID string `json:"source_id"`
	Text     string `json:"text"`
	Agree    int    `json:"agree"`
	Disagree int    `json:"disagree"`
	Pass     int    `json:"pass"`
}

func statementsAPI(t *testing.T, f *fixture) []apiStatement {
	t.Helper()
	code, body := get(t, http.DefaultClient, f.url+"/api/v1/consultations/"+itoa(f.c.ID)+"/statements")
	if code != 200 {
		t.Fatalf("statements API: %d %s", code, body)
	}
	var out []apiStatement
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAPI(t *testing.T) {
	f := newFixture(t)
	code, body := get(t, http.DefaultClient, f.url+"/api/v1/consultations")
	var list []struct {
		ID     int64          `json:"id"`
		Slug   string         `json:"slug"`
		Title  string         `json:"title"`
		Counts map[string]int `json:"counts"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list) != 1 {
		t.Fatalf("consultations API: %d %s", code, body)
	}
	if list[0].Slug != f.c.Slug || list[0].Counts["statements"] != 2 || list[0].Counts["votes"] != 0 {
		t.Fatalf("consultations API: %s", body)
	}
	st := statementsAPI(t, f)
	if len(st) != 2 || st[0].SourceID != "1" || st[1].Text != "Tambah bangku taman" {
		t.Fatalf("statements: %+v", st)
	}
	code, body = get(t, http.DefaultClient, f.url+"/api/v1/consultations/nope/statements")
	if code != 404 || !strings.Contains(body, `"error"`) {
		t.Fatalf("missing consultation: %d %s", code, body)
	}
}

func TestLanguageSwitchRemembered(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	_, body := get(t, c, f.url+"/?lang=en")
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Public consultations") {
		t.Fatal("?lang=en did not switch to English")
	}
	_, body = get(t, c, f.url+"/k/"+f.c.Slug)
	if !strings.Contains(body, "Agree") || strings.Contains(body, "Setuju") {
		t.Fatal("the language choice was not remembered")
	}
	_, body = get(t, browser(t), f.url+"/")
	if !strings.Contains(body, `lang="id"`) || !strings.Contains(body, "Konsultasi publik") {
		t.Fatal("default language is not Bahasa Indonesia")
	}
	res, err := http.Get(f.url + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(b), "tidak ditemukan") {
		t.Fatalf("404 page: %d", res.StatusCode)
	}
	// An error page never hands out a visitor cookie: racing the first page
	// it would replace the cookie that page's forms are bound to.
	for _, c := range res.Cookies() {
		if c.Name == "rembug_v" {
			t.Fatal("a 404 page set a visitor cookie")
		}
	}
}

func TestOperations(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("GET", f.url+"/k/"+f.c.Slug+"/results", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("pages are not compressed: %v", res.Header)
	}
	get(t, http.DefaultClient, f.url+"/")
	code, body := get(t, http.DefaultClient, f.url+"/healthz")
	if code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", code, body)
	}
	// Without a token, /metrics is not on the site's listener at all.
	if code, body := get(t, http.DefaultClient, f.url+"/metrics"); code != http.StatusNotFound || strings.Contains(body, "rembug_") {
		t.Fatalf("public /metrics: %d\n%s", code, body)
	}
}

// TestPhaseTurnsStatementVotingOff: in a phase without statement voting the
// page shows no vote buttons and a vote (with a valid token taken before
// the phase began) is refused.
func TestPhaseTurnsStatementVotingOff(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	_, body := get(t, c, f.url+"/k/"+f.c.Slug)
	csrf := csrfRE.FindStringSubmatch(body)[1]
	err := f.store.SchedulePhase(context.Background(), f.staff(t), &forum.Phase{ConsultationID: f.c.ID, Kind: "information",
		Features: "comments", StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	_, body = get(t, c, f.url+"/k/"+f.c.Slug)
	if strings.Contains(body, `value="agree"`) || !strings.Contains(body, "tidak dibuka pada tahapan") {
		t.Fatalf("vote buttons shown outside the voting phase:\n%s", body)
	}
	if res := vote(t, c, f, csrf, f.stmts[0].ID, "agree"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("vote outside the phase: %d, want 403", res.StatusCode)
	}
	if st := statementsAPI(t, f); st[0].Agree != 0 {
		t.Fatalf("a refused vote was counted: %+v", st[0])
	}
}
