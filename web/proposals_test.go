package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/forum/tz"
)

// fpMember is a signed-in user with a browser whose cookies carry a session
// (the rembug_s cookie) and a visitor id, and the CSRF token of its forms.
type fpMember struct {
	user *forum.User
	c    *http.Client
	csrf string
}

// signIn creates a user with role and a session for it.
func fpSignIn(t *testing.T, f *fixture, name, role string) *fpMember {
	t.Helper()
	ctx := context.Background()
	u := &forum.User{DisplayName: name, Email: name + "@contoh.test", Role: role}
	if err := forumtest.CreateUser(ctx, f.db, u, now); err != nil {
		t.Fatal(err)
	}
	tok, err := forum.CreateSession(ctx, f.db, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	base, _ := url.Parse(f.url)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: "rembug_s", Value: tok, Path: "/"}})
	return &fpMember{user: u, c: c, csrf: fpGuestCSRF(t, f, c)}
}

// guestCSRF loads the consultation's proposals page with c and returns its
// form token (and sets the visitor cookie).
func fpGuestCSRF(t *testing.T, f *fixture, c *http.Client) string {
	t.Helper()
	code, body := get(t, c, f.url+"/k/"+f.c.Slug)
	m := csrfRE.FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("proposals page: %d\n%s", code, body)
	}
	return m[1]
}

// post sends a same-origin form and returns the status, Location and body.
func fpPost(t *testing.T, c *http.Client, f *fixture, path string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

var proposalPathRE = regexp.MustCompile(`^/p/(\d+)-`)

// propose submits a proposal and returns its path and id.
func fpPropose(t *testing.T, f *fixture, m *fpMember, title, body string) (string, string) {
	t.Helper()
	code, loc, page := fpPost(t, m.c, f, "/k/"+f.c.Slug+"/proposals", url.Values{"csrf": {m.csrf}, "title": {title}, "body": {body}, "topics": {"taman, RTH"}})
	mm := proposalPathRE.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || mm == nil {
		t.Fatalf("propose %q: %d %q\n%s", title, code, loc, page)
	}
	return loc, mm[1]
}

type fpAPIProposal struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Supports int    `json:"supports"`
	Comments int    `json:"comments"`
	Status   string `json:"status"`
}

type fpAPIComment struct {
	ID        int64          `json:"id"`
	Body      string         `json:"body"`
	Alignment string         `json:"alignment"`
	Up        int            `json:"up"`
	Down      int            `json:"down"`
	Removed   bool           `json:"removed"`
	Replies   []fpAPIComment `json:"replies"`
}

func fpJSON(t *testing.T, c *http.Client, u string, out any) int {
	t.Helper()
	code, body := get(t, c, u)
	if code == 200 {
		if err := json.Unmarshal([]byte(body), out); err != nil {
			t.Fatalf("%s: %v\n%s", u, err, body)
		}
	}
	return code
}

// TestProposalFlow creates a proposal with hostile text, supports it 20
// times in parallel (CASES C01), comments and replies, and reads it all
// back through the pages and the API; titles stay plain text (C04) and
// markdown is sanitized (C05).
func TestProposalFlow(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	budi := fpSignIn(t, f, "budi", forum.RoleParticipant)
	title := `<img src=x onerror=alert(1)> {{7*7}}`
	path, id := fpPropose(t, f, ani, title, "Lihat [klik](javascript:alert(1)) dan [peta](https://peta.test)")
	code, page := get(t, budi.c, f.url+path)
	if code != 200 || strings.Contains(page, "<img src=x") || !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt; {{7*7}}") {
		t.Fatalf("title not shown literally: %d\n%s", code, page)
	}
	if strings.Contains(page, "javascript:") || !strings.Contains(page, `rel="nofollow ugc noopener"`) {
		t.Fatalf("markdown not sanitized:\n%s", page)
	}
	if !strings.Contains(page, "<title>&lt;img") || !strings.Contains(page, `content="&lt;img`) {
		t.Fatalf("<title> or og:title not escaped")
	}
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = fpPost(t, budi.c, f, "/p/"+id+"/support", url.Values{"csrf": {budi.csrf}})
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Fatalf("support %d: status %d", i, c)
		}
	}
	code, loc, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Setuju, **penting**"}, "alignment": {"for"}})
	if code != http.StatusSeeOther {
		t.Fatalf("comment: %d", code)
	}
	parent := strings.TrimPrefix(loc[strings.Index(loc, "#c"):], "#c")
	fpPost(t, budi.c, f, "/p/"+id+"/comments", url.Values{"csrf": {budi.csrf}, "body": {"Kenapa?"}, "alignment": {"against"}, "parent": {parent}})
	fpPost(t, budi.c, f, "/comments/"+parent+"/up", url.Values{"csrf": {budi.csrf}})
	fpPost(t, budi.c, f, "/comments/"+parent+"/up", url.Values{"csrf": {budi.csrf}})

	var list []fpAPIProposal
	fpJSON(t, http.DefaultClient, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals", &list)
	if len(list) != 1 || list[0].Title != title || list[0].Supports != 1 || list[0].Comments != 2 {
		t.Fatalf("proposals API: %+v", list)
	}
	var tree []fpAPIComment
	fpJSON(t, http.DefaultClient, f.url+"/api/v1/proposals/"+id+"/comments", &tree)
	if len(tree) != 1 || tree[0].Up != 1 || tree[0].Alignment != "for" || len(tree[0].Replies) != 1 || tree[0].Replies[0].Alignment != "against" {
		t.Fatalf("comments API: %+v", tree)
	}
	_, page = get(t, http.DefaultClient, f.url+"/k/"+f.c.Slug+"/proposals")
	if !strings.Contains(page, "1 dukungan") || !strings.Contains(page, "2 komentar") || strings.Contains(page, "<img src=x") {
		t.Fatalf("list page:\n%s", page)
	}
	// A guest may not support unless the organizer allows it.
	guest := browser(t)
	tok := fpGuestCSRF(t, f, guest)
	if code, _, _ := fpPost(t, guest, f, "/p/"+id+"/support", url.Values{"csrf": {tok}}); code != http.StatusForbidden {
		t.Fatalf("guest support: %d", code)
	}
}

// TestLongInput is CASES C09 over HTTP: friendly 4xx with the limit in
// the page's language, and the 1 MB body cap.
func TestLongInput(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	_, id := fpPropose(t, f, ani, "Taman", "")
	cases := []struct {
		name, path string
		form       url.Values
		code       int
		want       string
	}{
		{"300-char title", "/k/" + f.c.Slug + "/proposals", url.Values{"title": {strings.Repeat("judul ", 50)}}, 400, "150"},
		{"5000 A title, English", "/k/" + f.c.Slug + "/proposals?lang=en", url.Values{"title": {strings.Repeat("A", 5000)}}, 400, "3 to 150 characters"},
		{"10000-char tag", "/k/" + f.c.Slug + "/proposals?lang=id", url.Values{"title": {"Taman"}, "topics": {strings.Repeat("t", 10000)}}, 400, "40 karakter"},
		{"long comment", "/p/" + id + "/comments?lang=id", url.Values{"body": {strings.Repeat("x", 6000)}}, 400, "5.000"},
		{"1 MB comment", "/p/" + id + "/comments", url.Values{"body": {strings.Repeat("x", 1<<20)}}, 413, "1 MB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.form.Set("csrf", ani.csrf)
			code, _, body := fpPost(t, ani.c, f, c.path, c.form)
			if code != c.code || !strings.Contains(body, c.want) {
				t.Fatalf("%d, want %d with %q:\n%.2000s", code, c.code, c.want, body)
			}
		})
	}
}

// TestProposalCardAndPage checks what a proposal card and page show: the
// author and the day in the reader's zone, an excerpt cut by grapheme
// cluster, support progress toward the consultation's threshold with
// locale numbers, and, once staff answer, the official-answer badge with
// the moderator's reply marked official and a participant's not.
func TestProposalCardAndPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.ConfigureRules(ctx, f.staff(t), &forum.Rules{ConsultationID: f.c.ID, SupportThreshold: 2000, FlagThreshold: 3}); err != nil {
		t.Fatal(err)
	}
	ani := fpSignIn(t, f, "Ani Warga", forum.RoleParticipant)
	budi := fpSignIn(t, f, "budi", forum.RoleParticipant)
	mod := fpSignIn(t, f, "Petugas Dinas", forum.RoleModerator)
	body := "Taman **RW 03** 👩‍👩‍👧 " + strings.Repeat("perlu pohon peneduh ", 20) + "AKHIR"
	path, id := fpPropose(t, f, ani, "Taman untuk RW 03", body)
	fpPost(t, budi.c, f, "/p/"+id+"/support", url.Values{"csrf": {budi.csrf}})
	list := f.url + "/k/" + f.c.Slug + "/proposals"

	// The server's clock is the fixture's now; the reader's zone is the default (WIB).
	day := locale.For("id", tz.Default()).Date(now)
	_, page := get(t, http.DefaultClient, list)
	for _, want := range []string{
		`<span class="author" dir="auto">Ani Warga</span>`, `<time datetime="` + now.UTC().Format("2006-01-02T15:04:05Z") + `">` + day + "</time>",
		"Taman RW 03 👩‍👩‍👧 perlu pohon peneduh", "…</p>", // markdown as plain text, the emoji family whole
		`<progress max="2000" value="1"`, "1 dari 2.000 dukungan yang dibutuhkan",
	} {
		if !strings.Contains(page, want) {
			t.Fatalf("card lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "AKHIR") || strings.Contains(page, "**RW") || strings.Contains(page, "official-answer") {
		t.Fatalf("card shows the whole body, raw markdown or an answer badge before any answer:\n%s", page)
	}

	fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Saya setuju"}, "alignment": {"for"}})
	if code, _, b := fpPost(t, mod.c, f, "/p/"+id+"/comments", url.Values{"csrf": {mod.csrf}, "body": {"Dinas sedang menyurvei lokasi"}, "alignment": {"neutral"}}); code != http.StatusSeeOther {
		t.Fatalf("moderator comment: %d\n%s", code, b)
	}
	if code, _, b := fpPost(t, mod.c, f, "/p/"+id+"/answer", url.Values{"csrf": {mod.csrf}, "status": {forum.AnswerEvaluating}, "answer": {"Kami kaji tahun ini."}}); code != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", code, b)
	}
	_, page = get(t, http.DefaultClient, list)
	if !strings.Contains(page, `class="badge is-ok official-answer">Jawaban resmi<`) {
		t.Fatalf("card lacks the official-answer badge:\n%s", page)
	}
	_, page = get(t, http.DefaultClient, f.url+path+"?lang=en")
	for _, want := range []string{`class="badge is-ok official-answer">Official answer<`, "1 of 2,000 supports needed", `<span class="author" dir="auto">Ani Warga</span>`} {
		if !strings.Contains(page, want) {
			t.Fatalf("proposal page lacks %q:\n%s", want, page)
		}
	}
	official := regexp.MustCompile(`(?s)<li id="c\d+" class="comment d0 official">\s*<p class="meta"><span class="author" dir="auto">([^<]*)</span> <span class="badge is-info official-reply">Official</span>`).FindAllStringSubmatch(page, -1)
	if len(official) != 1 || official[0][1] != "Petugas Dinas" {
		t.Fatalf("official replies %q, want only the moderator's:\n%s", official, page)
	}
}
