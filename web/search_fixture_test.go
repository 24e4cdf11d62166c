package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/web"
)

// searchWorld is a server with a Bleve index fed through the outbox: an
// open consultation with a public proposal, a focus group "FG Nelayan"
// with a private proposal (CASES C17), and users inside and outside it.
type searchWorld struct {
	ctx            context.Context
	db             *bun.DB
	idx            search.Index
	sources        *search.Registry
	url            string
	c              *forum.Consultation
	pub, private   *forum.Proposal
	member, others string // session tokens
	author         int64
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil { // every table the server reads, the search outbox included
		t.Fatal(err)
	}
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	reg, err := search.NewRegistry(append(append(forum.SearchSources(), rancangan.SearchSources()...), polls.SearchSource(), live.SearchSource(), complaint.SearchSource())...)
	if err != nil {
		t.Fatal(err)
	}
	w := &searchWorld{ctx: ctx, db: db, idx: idx, sources: reg}
	w.c = &forum.Consultation{Title: "Pesisir utara", Description: "Penataan pelabuhan ikan", Source: "test", SourceKey: "pesisir"}
	if err := forum.UpsertImportedConsultation(ctx, db, w.c, now); err != nil {
		t.Fatal(err)
	}
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "FG Nelayan", CreatedAt: now}
	if _, err := db.NewInsert().Model(g).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := forum.EnsureParticipant(ctx, db, forum.ParticipantGuest, forum.ParticipantGuest, "penulis", now)
	if err != nil {
		t.Fatal(err)
	}
	w.author = p.ID
	w.pub = w.proposal(t, 0, "Usulan dermaga umum", "Dermaga kayu untuk perahu kecil.")
	w.private = w.proposal(t, g.ID, "Usulan dermaga rahasia", "Hanya untuk anggota kelompok.")
	w.member, w.others = w.session(t, "anggota"), w.session(t, "tamu")
	if _, err := db.ExecContext(ctx, "INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at) SELECT ?, id, 'member', ? FROM users WHERE display_name = 'anggota'",
		g.ID, now); err != nil {
		t.Fatal(err)
	}
	w.drain(t)
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Search: idx, SearchSources: reg})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	w.url = ts.URL
	return w
}

func (w *searchWorld) proposal(t *testing.T, group int64, title, body string) *forum.Proposal {
	t.Helper()
	p := &forum.Proposal{ConsultationID: w.c.ID, FocusGroupID: group, AuthorID: w.author, Title: title, Body: body,
		Topics: "pelabuhan", State: forum.StatePublished, CreatedAt: now, UpdatedAt: now}
	if _, err := w.db.NewInsert().Model(p).Returning("id").Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	return p
}

// session creates a participant user and returns a signed-in session token.
func (w *searchWorld) session(t *testing.T, name string) string {
	t.Helper()
	u := &forum.User{DisplayName: name, Email: name + "@contoh.test", Role: forum.RoleParticipant}
	if err := forumtest.CreateUser(w.ctx, w.db, u, now); err != nil {
		t.Fatal(err)
	}
	tok, err := forum.CreateSession(w.ctx, w.db, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (w *searchWorld) drain(t *testing.T) {
	t.Helper()
	if _, err := (&search.Indexer{DB: w.db, Index: w.idx, Sources: w.sources}).Drain(w.ctx); err != nil {
		t.Fatal(err)
	}
}

// fetch GETs path with the session token (if any) and returns the
// response and its body.
func (w *searchWorld) fetch(t *testing.T, path, token string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", w.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "rembug_s", Value: token})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// apiResult is GET /api/v1/search's answer.
type apiResult struct {
	Total   int `json:"total"`
	Results []struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Snippet string `json:"snippet"`
		URL     string `json:"url"`
	} `json:"results"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func (w *searchWorld) api(t *testing.T, query url.Values, token string) apiResult {
	t.Helper()
	res, body := w.fetch(t, "/api/v1/search?"+query.Encode(), token)
	if res.StatusCode != 200 {
		t.Fatalf("api %s: %d %s", query.Encode(), res.StatusCode, body)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("api Cache-Control %q, want private", cc)
	}
	var out apiResult
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("api: %v\n%s", err, body)
	}
	return out
}
