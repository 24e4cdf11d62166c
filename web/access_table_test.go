package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
)

// accessWorld is one consultation (open) with a focus group, its live
// sessions (public and in the group), a draft consultation with a live
// session and a document, and one signed-in client per role. The search
// rows of the same roles are in TestSearchFocusGroupPrivacy.
type accessWorld struct {
	*liveFixture
	draft                       *forum.Consultation
	group                       int64
	pubCode, groupCode, draftCo string
	draftFile                   int64
	roles                       map[string]*http.Client
	users                       map[string]*forum.User
}

func newAccessWorld(t *testing.T) *accessWorld {
	t.Helper()
	ctx := context.Background()
	w := &accessWorld{liveFixture: newLiveFixture(t), roles: map[string]*http.Client{}, users: map[string]*forum.User{}}
	guest := browser(t)
	get(t, guest, w.url+"/k/"+w.c.Slug) // visitor cookie
	w.roles["guest"] = guest
	for _, r := range []struct{ name, role string }{
		{"citizen", forum.RoleParticipant}, {"member", forum.RoleParticipant}, {"removed member", forum.RoleParticipant},
		{"analyst", forum.RoleAnalyst}, {"moderator here", forum.RoleParticipant}, {"moderator there", forum.RoleParticipant},
		{"admin", forum.RoleAdmin},
	} {
		m := fpSignIn(t, w.fixture, strings.ReplaceAll(r.name, " ", "-"), r.role)
		w.roles[r.name], w.users[r.name] = m.c, m.user
	}
	other := &forum.Consultation{Title: "Konsultasi lain", Source: "test", SourceKey: "lain"}
	w.draft = &forum.Consultation{Title: "Raperda rahasia", Status: forum.StatusDraft, Source: "test", SourceKey: "draf"}
	for _, c := range []*forum.Consultation{other, w.draft} {
		if err := forum.UpsertImportedConsultation(ctx, w.db, c, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := forum.NewStore(w.db, nil).AddModerator(ctx, w.c.ID, w.users["moderator here"].ID); err != nil {
		t.Fatal(err)
	}
	if err := forum.NewStore(w.db, nil).AddModerator(ctx, other.ID, w.users["moderator there"].ID); err != nil {
		t.Fatal(err)
	}
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "FG Nelayan", CreatedAt: now}
	if _, err := w.db.NewInsert().Model(g).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	w.group = g.ID
	for name, removed := range map[string]any{"member": nil, "removed member": now} {
		if _, err := w.db.ExecContext(ctx, "INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at, removed_at) VALUES (?, ?, 'member', ?, ?)",
			g.ID, w.users[name].ID, now, removed); err != nil {
			t.Fatal(err)
		}
	}
	w.pubCode = w.createSession(t, nil)
	w.groupCode = w.createSession(t, url.Values{"title": {"Sesi kelompok nelayan"}})
	if _, err := w.db.ExecContext(ctx, "UPDATE live_sessions SET focus_group_id = ? WHERE code = ?", g.ID, w.groupCode); err != nil {
		t.Fatal(err)
	}
	res, _ := post(t, w.mod, w.url, "/k/"+w.draft.Slug+"/live", "/k/"+w.draft.Slug+"/live", url.Values{"title": {"Sesi draf"}}, "")
	w.draftCo = strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/live/"), "/mod")
	admin, err := forum.LoadViewer(ctx, w.db, w.users["admin"], 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := forum.NewStore(w.db, func() time.Time { return now }).AddFile(ctx, admin, w.draft, forum.FileInput{Kind: forum.FileDocument, Name: "draf.pdf", Data: []byte(testPDF)})
	if err != nil {
		t.Fatal(err)
	}
	w.draftFile = f.ID
	time.Sleep(1100 * time.Millisecond) // let the node's session cache (live.DefaultCacheTTL) see the group
	return w
}

// status GETs path as role and returns the status code.
func (w *accessWorld) status(t *testing.T, role, path string) int {
	t.Helper()
	code, _ := get(t, w.roles[role], w.url+path)
	return code
}

// dial opens the websocket of the live session code (its moderation
// channel with mod) as role: 101 and the open connection, or the refusal's
// status.
func (w *accessWorld) dial(t *testing.T, role, code string, mod bool) (int, *websocket.Conn) {
	t.Helper()
	var id int64
	if err := w.db.NewSelect().Table("live_sessions").Column("id").Where("code = ?", code).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(w.url)
	h := http.Header{"Origin": {w.url}}
	for _, ck := range w.roles[role].Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(w.url, "http")+"/live/ws?channel="+live.Channel(id, mod), h)
	if err != nil {
		if res == nil {
			t.Fatal(err)
		}
		return res.StatusCode, nil
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, want := range []string{"welcome", "snapshot"} {
		var m struct{ Type string }
		if err := conn.ReadJSON(&m); err != nil || m.Type != want {
			t.Fatalf("%s on %s: %v %q, want %s", role, code, err, m.Type, want)
		}
	}
	return http.StatusSwitchingProtocols, conn
}

// TestAccessTable walks the access rule over role × item × path through the
// HTTP server, on SQLite and (with REMBUG_TEST_DATABASE_URL) PostgreSQL.
// Every defect the one rule fixed is a named row.
func TestAccessTable(t *testing.T) {
	w := newAccessWorld(t)
	slug, draft := "/k/"+w.c.Slug, "/k/"+w.draft.Slug
	file := draft + "/berkas/" + strconv.FormatInt(w.draftFile, 10) + "/draf.pdf"
	type row struct {
		name, role string
		path       string // GET path; "ws:" + code (+ ":mod") for a websocket join
		want       int
	}
	rows := []row{
		// Live sessions: an analyst no longer opens focus-group or draft sessions.
		{"analyst, group session page", "analyst", "/live/" + w.groupCode, 404},
		{"analyst, group session presenter", "analyst", "/live/" + w.groupCode + "/present", 404},
		{"analyst, group session export", "analyst", "/live/" + w.groupCode + "/export/record.json", 404},
		{"analyst, group session websocket", "analyst", "ws:" + w.groupCode, 403},
		{"analyst, draft session page", "analyst", "/live/" + w.draftCo, 404},
		{"analyst, draft session presenter", "analyst", "/live/" + w.draftCo + "/present", 404},
		{"analyst, draft session export", "analyst", "/live/" + w.draftCo + "/export/questions.csv", 404},
		{"analyst, draft session websocket", "analyst", "ws:" + w.draftCo, 403},
		{"analyst, public session export", "analyst", "/live/" + w.pubCode + "/export/record.json", 200},
		// A member reaches their own group's session (it was 404 while search showed its questions).
		{"member, group session page", "member", "/live/" + w.groupCode, 200},
		{"member, group session websocket", "member", "ws:" + w.groupCode, 101},
		{"member, group session moderation", "member", "/live/" + w.groupCode + "/mod", 403},
		{"removed member, group session page", "removed member", "/live/" + w.groupCode, 404},
		{"removed member, group session websocket", "removed member", "ws:" + w.groupCode, 403},
		{"citizen, group session page", "citizen", "/live/" + w.groupCode, 404},
		{"guest, group session page", "guest", "/live/" + w.groupCode, 404},
		{"guest, public session websocket", "guest", "ws:" + w.pubCode, 101},
		{"guest, public session moderation channel", "guest", "ws:" + w.pubCode + ":mod", 403},
		// Live moderation counts per-consultation moderators, and only theirs.
		{"moderator here, group session moderation", "moderator here", "/live/" + w.groupCode + "/mod", 200},
		{"moderator here, moderation channel", "moderator here", "ws:" + w.groupCode + ":mod", 101},
		{"moderator there, session moderation", "moderator there", "/live/" + w.pubCode + "/mod", 403},
		{"moderator there, moderation channel", "moderator there", "ws:" + w.pubCode + ":mod", 403},
		{"moderator there, group session page", "moderator there", "/live/" + w.groupCode, 404},
		{"admin, group session page", "admin", "/live/" + w.groupCode, 200},
		// Drafts and their files: their moderators only.
		{"guest, draft page", "guest", draft, 404},
		{"analyst, draft page", "analyst", draft, 404},
		{"moderator there, draft page", "moderator there", draft, 404},
		{"admin, draft page", "admin", draft, 200},
		{"analyst, draft file", "analyst", file, 404},
		{"moderator here, draft file", "moderator here", file, 404},
		{"admin, draft file", "admin", file, 200},
		// Reports (page and JSON API): published to all, before that staff and the consultation's moderators.
		{"citizen, unpublished report", "citizen", slug + "/report", 403},
		{"citizen, unpublished report API", "citizen", "/api/v1/consultations/" + w.c.Slug + "/report", 403},
		{"analyst, unpublished report", "analyst", slug + "/report", 200},
		{"moderator here, unpublished report API", "moderator here", "/api/v1/consultations/" + w.c.Slug + "/report", 200},
		{"moderator there, unpublished report", "moderator there", slug + "/report", 403},
		{"guest, draft report API", "guest", "/api/v1/consultations/" + w.draft.Slug + "/report", 404},
		// Exports: analysts and the consultation's moderators.
		{"citizen, export", "citizen", slug + "/export/csv", 403},
		{"analyst, export", "analyst", slug + "/export/csv", 200},
		{"moderator here, export", "moderator here", slug + "/export/json", 200},
		{"moderator there, export", "moderator there", slug + "/export/csv", 403},
		// The moderation queue.
		{"moderator there, moderation queue", "moderator there", slug + "/moderation", 403},
		{"moderator here, moderation queue", "moderator here", slug + "/moderation", 200},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			var got int
			if rest, ok := strings.CutPrefix(r.path, "ws:"); ok {
				code, mod := strings.CutSuffix(rest, ":mod")
				got, _ = w.dial(t, r.role, code, mod)
			} else {
				got = w.status(t, r.role, r.path)
			}
			if got != r.want {
				t.Errorf("%s %s: %d, want %d", r.role, r.path, got, r.want)
			}
		})
	}
}

// expectRevoked reads from conn until it closes and checks the close code.
func expectRevoked(t *testing.T, who string, conn *websocket.Conn) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != realtime.CloseRevoked {
			t.Fatalf("%s: %v, want close %d", who, err, realtime.CloseRevoked)
		}
		return
	}
}

// expectOpen checks that conn still receives: the page's next event.
func expectOpen(t *testing.T, who string, conn *websocket.Conn, w *accessWorld, code string) {
	t.Helper()
	post(t, w.mod, w.url, "/live/"+code+"/mod", "/live/"+code+"/mod/session", url.Values{"do": {"close"}}, "")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := conn.ReadMessage(); err != nil {
		t.Fatalf("%s no longer receives: %v", who, err)
	}
}

// TestAccessRevokedOnOpenWebsockets: open websockets are re-checked when
// rights change. A member removed from the group loses their group
// session's connection (close code 4003) while another member's stays; a
// consultation turned back to draft closes its guests' connections and
// keeps its moderators'. Rejoining is refused.
func TestAccessRevokedOnOpenWebsockets(t *testing.T) {
	w := newAccessWorld(t)
	ctx := context.Background()
	second := fpSignIn(t, w.fixture, "anggota-dua", forum.RoleParticipant)
	w.roles["second member"] = second.c
	if _, err := w.db.ExecContext(ctx, "INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at) VALUES (?, ?, 'member', ?)",
		w.group, second.user.ID, now); err != nil {
		t.Fatal(err)
	}
	_, gone := w.dial(t, "member", w.groupCode, false)
	_, stays := w.dial(t, "second member", w.groupCode, false)
	group := "/k/" + w.c.Slug + "/kelompok/" + strconv.FormatInt(w.group, 10)
	res, _ := post(t, w.roles["admin"], w.url, group, group+"/anggota/"+strconv.FormatInt(w.users["member"].ID, 10)+"/hapus", url.Values{}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove member: %d", res.StatusCode)
	}
	expectRevoked(t, "removed member", gone)
	expectOpen(t, "second member", stays, w, w.groupCode)
	if st, _ := w.dial(t, "member", w.groupCode, false); st != http.StatusForbidden {
		t.Fatalf("removed member rejoins: %d", st)
	}

	_, guest := w.dial(t, "guest", w.pubCode, false)
	_, mod := w.dial(t, "moderator here", w.pubCode, true)
	admin := "/admin/konsultasi/" + w.c.Slug
	res, _ = post(t, w.roles["admin"], w.url, admin, admin, url.Values{"title": {"Taman kota hijau"}, "status": {forum.StatusDraft}}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn draft: %d", res.StatusCode)
	}
	expectRevoked(t, "guest after draft", guest)
	expectOpen(t, "moderator after draft", mod, w, w.pubCode)
}

// TestAccessPollAnswers: a phase or a status that turns polls off refuses
// answers on the answer path (polls took answers from a closed or archived
// consultation and in phases without polls).
func TestAccessPollAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sv := &polls.Survey{ConsultationID: f.c.ID, Title: "Lokasi taman baru", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}
	qs := []polls.Question{{Code: "lokasi", Kind: polls.KindSingle, Text: "Di mana taman baru?", Required: true,
		Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}}}
	if err := polls.NewStore(f.db, func() time.Time { return now }).CreateSurvey(ctx, forum.Viewer{}, sv, qs); err != nil {
		t.Fatal(err)
	}
	page := "/survei/" + strconv.FormatInt(sv.ID, 10)
	answer := func() int {
		res, _ := post(t, browser(t), f.url, page, page, url.Values{"a_lokasi": {"0"}}, "")
		return res.StatusCode
	}
	set := func(status string) {
		if _, err := f.db.ExecContext(ctx, "UPDATE consultations SET status = ? WHERE id = ?", status, f.c.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []struct {
		name  string
		setup func()
		want  int
	}{
		{"open, no phases", func() {}, http.StatusSeeOther},
		{"closed", func() { set(forum.StatusClosed) }, http.StatusForbidden},
		{"archived", func() { set(forum.StatusArchived) }, http.StatusForbidden},
		{"open, phase without polls", func() {
			set(forum.StatusOpen)
			if err := f.store.SchedulePhase(ctx, f.staff(t), &forum.Phase{ConsultationID: f.c.ID, Kind: "information",
				Features: forum.FeatureProposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}, http.StatusForbidden},
	} {
		t.Run(r.name, func(t *testing.T) {
			r.setup()
			if got := answer(); got != r.want {
				t.Errorf("answer: %d, want %d", got, r.want)
			}
		})
	}
}
