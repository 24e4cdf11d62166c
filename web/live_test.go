package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/realtime/live"
)

// liveFixture is the web fixture plus live's tables and a signed-in
// moderator's HTTP client.
type liveFixture struct {
	*fixture
	mod *http.Client
}

func newLiveFixture(t *testing.T) *liveFixture {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	if err := live.Migrate(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	u := &forum.User{Email: "mod@example.id", DisplayName: "Moderator", Role: forum.RoleModerator, Lang: "id", TimeZone: "Asia/Jakarta"}
	if err := forumtest.CreateUser(ctx, f.db, u, now); err != nil {
		t.Fatal(err)
	}
	tok, err := forum.CreateSession(ctx, f.db, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	mod := browser(t)
	base, _ := url.Parse(f.url)
	mod.Jar.SetCookies(base, []*http.Cookie{{Name: "rembug_s", Value: tok, Path: "/"}})
	return &liveFixture{fixture: f, mod: mod}
}

// post sends a form from c with the CSRF token of page, as a browser would.
func post(t *testing.T, c *http.Client, base, page, action string, form url.Values, accept string) (*http.Response, string) {
	t.Helper()
	_, body := get(t, c, base+page)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf token on %s:\n%s", page, body)
	}
	form.Set("csrf", m[1])
	req, _ := http.NewRequest("POST", base+action, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// createSession makes a session through the moderator's form and returns
// its code.
func (f *liveFixture) createSession(t *testing.T, extra url.Values) string {
	t.Helper()
	form := url.Values{"title": {"Tanya jawab musrenbang"}, "guests": {"1"}, "per_minute": {"2"}}
	for k, v := range extra {
		form[k] = v
	}
	res, _ := post(t, f.mod, f.url, "/k/"+f.c.Slug+"/live", "/k/"+f.c.Slug+"/live", form, "")
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/mod") {
		t.Fatalf("create session: %d %s", res.StatusCode, loc)
	}
	return strings.TrimSuffix(strings.TrimPrefix(loc, "/live/"), "/mod")
}

// TestLiveEmptyPages is CASES C13: every live page of an empty, then
// polled, then ended and reopened session answers 200.
func TestLiveEmptyPages(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, nil)
	guest := browser(t)
	pages := func(step string) {
		t.Helper()
		for _, p := range []struct {
			c    *http.Client
			path string
		}{{guest, "/live/" + code}, {guest, "/live/" + code + "/present"}, {f.mod, "/live/" + code + "/mod"},
			{guest, "/k/" + f.c.Slug + "/live"}, {guest, "/live"}} {
			if st, body := get(t, p.c, f.url+p.path); st != http.StatusOK {
				t.Fatalf("%s: GET %s = %d\n%s", step, p.path, st, body)
			}
		}
	}
	pages("empty")
	modPost := func(action string, form url.Values) {
		t.Helper()
		res, body := post(t, f.mod, f.url, "/live/"+code+"/mod", "/live/"+code+action, form, "")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s %v: %d\n%s", action, form, res.StatusCode, body)
		}
	}
	modPost("/mod/poll", url.Values{"do": {"create"}, "kind": {"single"}, "question": {"Setuju?"}, "options": {"Ya\nTidak"}})
	pages("draft poll")
	modPost("/mod/poll", url.Values{"do": {"launch"}, "poll": {"1"}}) // and shown
	pages("open poll without answers")
	modPost("/mod/poll", url.Values{"do": {"close"}, "poll": {"1"}})
	modPost("/mod/session", url.Values{"do": {"close"}})
	pages("ended")
	if _, body := get(t, guest, f.url+"/live/"+code); !strings.Contains(body, "Sesi ini sudah berakhir") {
		t.Fatal("ended session page does not say so")
	}
	modPost("/mod/session", url.Values{"do": {"open"}})
	pages("reopened")
	if st, _ := get(t, guest, f.url+"/live/"+code+"/mod"); st != http.StatusForbidden {
		t.Fatalf("guest on the moderator page: %d, want 403", st)
	}
	if st, _ := get(t, guest, f.url+"/live/NOPE99"); st != http.StatusNotFound {
		t.Fatalf("unknown code: %d, want 404", st)
	}
}

// TestLiveAskUpvoteAndLimit asks with plain forms, upvotes through the
// JSON answer live.js uses, and hits the rate limit in both languages.
func TestLiveAskUpvoteAndLimit(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, url.Values{"anonymous": {"1"}})
	page := "/live/" + code
	guest := browser(t)
	for i, text := range []string{"Kapan <b>jalan</b> diperbaiki?", "Berapa anggarannya?"} {
		res, body := post(t, guest, f.url, page, page+"/ask", url.Values{"text": {text}, "name": {"Sari"}, "anonymous": {map[bool]string{true: "1"}[i == 1]}}, "")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ask %d: %d\n%s", i, res.StatusCode, body)
		}
	}
	_, body := get(t, guest, f.url+page)
	if !strings.Contains(body, "Kapan &lt;b&gt;jalan&lt;/b&gt; diperbaiki?") || !strings.Contains(body, "Sari") || !strings.Contains(body, "Anonim") {
		t.Fatalf("questions not shown (escaped, named, anonymous):\n%s", body)
	}
	for _, tc := range []struct{ lang, want string }{{"id", "Anda sudah bertanya 2 kali"}, {"en", "You have asked 2 questions"}} {
		res, body := post(t, guest, f.url, page+"?lang="+tc.lang, page+"/ask", url.Values{"text": {"Lagi"}}, "")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "60" || !strings.Contains(body, tc.want) {
			t.Fatalf("rate limit (%s): %d, want 429 with %q\n%s", tc.lang, res.StatusCode, tc.want, body)
		}
	}
	res, body := post(t, guest, f.url, page, page+"/upvote", url.Values{"question": {"1"}, "on": {"1"}}, "application/json")
	var got struct{ Upvoted live.Upvoted }
	if err := json.Unmarshal([]byte(body), &got); err != nil || res.StatusCode != 200 || got.Upvoted != (live.Upvoted{Question: 1, On: true}) {
		t.Fatalf("upvote JSON: %d %s", res.StatusCode, body)
	}
	// The viewer's page, read back, agrees with the answer.
	if st, body := get(t, guest, f.url+page); st != 200 || !strings.Contains(html.UnescapeString(body), `"upvoted":[1]`) {
		t.Fatalf("page after upvote: %d, want mine with question 1", st)
	}
	// The moderator archives the question: pages still render, without it.
	res, _ = post(t, f.mod, f.url, page+"/mod", page+"/mod/question", url.Values{"question": {"1"}, "do": {"archive"}}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	stranger := browser(t)
	for _, p := range []string{page, page + "/present"} {
		if st, body := get(t, stranger, f.url+p); st != 200 || strings.Contains(body, "diperbaiki") {
			t.Fatalf("%s after archive: %d", p, st)
		}
	}
	// The asker still finds it under "Pertanyaan saya", marked archived.
	if st, body := get(t, guest, f.url+page); st != 200 || !strings.Contains(body, `id="my-questions"`) || !strings.Contains(body, ">Archived<") { // the guest last chose English
		t.Fatalf("asker's page after archive: %d, want their question marked archived\n%s", st, body)
	}
}

// TestLiveWebsocketAuthorization checks who may open which channel.
func TestLiveWebsocketAuthorization(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, nil)
	guest := browser(t)
	get(t, guest, f.url+"/live/"+code) // visitor cookie
	sess := sessionByCode(t, f, code)
	dial := func(c *http.Client, mod bool) (int, string) {
		u, _ := url.Parse(f.url)
		h := http.Header{"Origin": {f.url}}
		for _, ck := range c.Jar.Cookies(u) {
			h.Add("Cookie", ck.Name+"="+ck.Value)
		}
		ws := "ws" + strings.TrimPrefix(f.url, "http") + "/live/ws?channel=" + live.Channel(sess, mod)
		conn, res, err := websocket.DefaultDialer.Dial(ws, h)
		if err != nil {
			if res == nil {
				t.Fatal(err)
			}
			return res.StatusCode, ""
		}
		defer conn.Close()
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		var types []string
		for range 2 {
			var m struct{ Type string }
			if err := conn.ReadJSON(&m); err != nil {
				t.Fatal(err)
			}
			types = append(types, m.Type)
		}
		return 101, strings.Join(types, ",")
	}
	if st, types := dial(guest, false); st != 101 || types != "welcome,snapshot" {
		t.Fatalf("guest on the public channel: %d %s", st, types)
	}
	if st, _ := dial(guest, true); st != http.StatusForbidden {
		t.Fatalf("guest on the moderation channel: %d, want 403", st)
	}
	if st, types := dial(f.mod, true); st != 101 || types != "welcome,snapshot" {
		t.Fatalf("moderator on the moderation channel: %d %s", st, types)
	}
}

func sessionByCode(t *testing.T, f *liveFixture, code string) int64 {
	t.Helper()
	var id int64
	if err := f.db.NewSelect().Table("live_sessions").Column("id").Where("code = ?", code).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestLiveCountsInLocale: a count from 1,000 up is written in the viewer's
// locale on the server-rendered participant, presenter and moderator pages
// (id 12.345, en 12,345), while the state the page and its websocket carry
// keeps the plain number (12345) for live.js to format with the page's
// language.
func TestLiveCountsInLocale(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, nil)
	page := "/live/" + code
	guest := browser(t)
	if res, body := post(t, guest, f.url, page, page+"/ask", url.Values{"text": {"Kapan jalan diperbaiki?"}, "name": {"Sari"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d\n%s", res.StatusCode, body)
	}
	if _, err := f.db.NewRaw(`UPDATE live_questions SET upvotes = 12345, version = version + 1`).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want string }{{"id", "12.345"}, {"en", "12,345"}} {
		for _, p := range []struct {
			c    *http.Client
			path string
		}{{guest, page}, {guest, page + "/present"}, {f.mod, page + "/mod"}} {
			st, body := get(t, p.c, f.url+p.path+"?lang="+tc.lang)
			if st != 200 || !strings.Contains(body, tc.want) {
				t.Errorf("%s in %s: %d, want the count written %s", p.path, tc.lang, st, tc.want)
			}
			if p.path == page && !strings.Contains(html.UnescapeString(body), `"upvotes":12345`) {
				t.Errorf("%s in %s: the page's state does not carry the plain count 12345", p.path, tc.lang)
			}
		}
	}
}
