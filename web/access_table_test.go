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
	agencyA, agencyB            int64 // officer routed's and officer other's agencies
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
		{"removed moderator", forum.RoleParticipant},
		{"admin", forum.RoleAdmin}, {"officer routed", forum.RoleParticipant}, {"officer other", forum.RoleParticipant},
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
	for _, name := range []string{"moderator here", "removed moderator"} {
		if err := forum.NewStore(w.db, nil).AddModerator(ctx, w.c.ID, w.users[name].ID); err != nil {
			t.Fatal(err)
		}
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
	if err := forum.NewStore(w.db, nil).SetConsultationRole(ctx, admin, w.c, w.users["removed moderator"].ID, forum.ConsultationModerator, false); err != nil {
		t.Fatal(err)
	}
	f, err := forum.NewStore(w.db, func() time.Time { return now }).AddFile(ctx, admin, w.draft, forum.FileInput{Kind: forum.FileDocument, Name: "draf.pdf", Data: []byte(testPDF)})
	if err != nil {
		t.Fatal(err)
	}
	w.draftFile = f.ID
	w.agencyA, w.agencyB = addAgencies(t, w.db, w.users["admin"], w.users["officer routed"], w.users["officer other"])
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

// complaint texts of TestAccessTable: what a row may or may not show.
const (
	cText     = "Jembatan Kalijudan retak parah sejak banjir"
	cContact  = "081298765432" // a phone number in the text: masked for those who read only ItemComplaint
	cReporter = "Siti Rahayu"
	cNote     = "CATATAN-INTERNAL-surveyor"
	cConfText = "Pungutan liar di puskesmas oleh oknum"
	cConfName = "Pelapor Rahasia"
)

// complaints files, as the citizen, a private complaint with their name,
// routes it to the routed officer's agency, adds an internal note and
// answers it; files, as a guest, a confidential complaint routed to the
// other officer's agency. It gives each complaint a guest who typed the
// right secret and one who typed a wrong one, and returns the page paths.
func (w *accessWorld) complaints(t *testing.T) (page, conf string) {
	t.Helper()
	page, secret := fileComplaint(t, w.roles["citizen"], w.url, url.Values{"text": {cText + ", hubungi ketua RT " + cContact}, "name": {cReporter}, "phone": {"081234567890"}, "public": {"0"}})
	actOn(t, w.roles["admin"], w.url, page, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	actOn(t, w.roles["officer routed"], w.url, page, "petugas", url.Values{"do": {"note"}, "text": {cNote}})
	actOn(t, w.roles["officer routed"], w.url, page, "petugas", url.Values{"do": {"answer"}, "text": {"Perbaikan dijadwalkan pekan depan."}})
	for role, typed := range map[string]string{"guest with secret": secret, "guest wrong secret": "salah"} {
		c := browser(t)
		post(t, c, w.url, page, page+"/kode", url.Values{"secret": {typed}}, "")
		w.roles[role] = c
	}
	conf, _ = fileComplaint(t, w.roles["guest"], w.url, url.Values{"text": {cConfText}, "name": {cConfName}, "confidential": {"1"}})
	actOn(t, w.roles["admin"], w.url, conf, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyB, 10)}})
	return page, conf
}

// statements stores, in the open consultation, a public statement and two
// the citizen submitted: one waiting for moderation and one a moderator
// hid. It returns their texts.
func (w *accessWorld) statements(t *testing.T) (pending, hidden, public string) {
	t.Helper()
	ctx := context.Background()
	p, err := forum.UserParticipant(ctx, w.db, w.users["citizen"], now)
	if err != nil {
		t.Fatal(err)
	}
	pending, hidden, public = "Pernyataan menunggu moderasi", "Pernyataan disembunyikan moderator", "Pernyataan terbuka untuk semua"
	for _, s := range []*polls.Statement{
		{ConsultationID: w.c.ID, SourceKey: "tunggu", AuthorID: p.ID, Text: pending, Hidden: true, Pending: true, Origin: polls.OriginSubmitted, CreatedAt: now},
		{ConsultationID: w.c.ID, SourceKey: "sembunyi", AuthorID: p.ID, Text: hidden, Hidden: true, StateReason: "di luar topik", Origin: polls.OriginSubmitted, CreatedAt: now},
		{ConsultationID: w.c.ID, SourceKey: "terbuka", Text: public, Origin: polls.OriginSeeded, CreatedAt: now},
	} {
		if _, err := w.db.NewInsert().Model(s).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return pending, hidden, public
}

// TestAccessTable walks the access rule over role × item kind × path
// through the HTTP server, on SQLite and (with REMBUG_TEST_DATABASE_URL)
// PostgreSQL. Items: live sessions (public, in a focus group, of a draft
// consultation), a draft consultation and its file, the report, exports,
// the moderation queue, and complaints (private; confidential). Paths:
// pages, the JSON API, websocket joins (public and moderation channels),
// exports (live records, consultation CSV/JSON, LAPOR! CSV), the officers'
// complaint search and in-app notifications, and the live moderators'
// writes (POST: moderate a question, create and launch a poll, create a
// session and a group session, end and reopen it), where a refusal writes
// no audit row. Every defect the one rule
// fixed is a named row. Each row checks a status and, where it names them,
// texts that must or must not appear; a row that only checks absence has a
// row of the same path where someone allowed sees the text, so that no row
// passes because the path shows nothing to anyone. Participants'
// statements (waiting for moderation, hidden) are rows on the page, the
// JSON API and the moderation queue. Search over participation content
// (hits, totals, facets) is TestSearchFocusGroupPrivacy (proposals) and
// TestSearchParticipationAccess (comments, live questions, statements);
// notifications at send time, for every role and after the right is lost,
// are forum's TestNotificationAccessByRole.
func TestAccessTable(t *testing.T) {
	w := newAccessWorld(t)
	page, conf := w.complaints(t)
	number := strings.TrimPrefix(page, "/pengaduan/")
	api := "/api/v1/complaints/" + number
	slug, draft := "/k/"+w.c.Slug, "/k/"+w.draft.Slug
	file := draft + "/berkas/" + strconv.FormatInt(w.draftFile, 10) + "/draf.pdf"
	type row struct {
		name, role string
		path       string     // GET path; "ws:" + code (+ ":mod") for a websocket join
		form       url.Values // POSTed to path (as JSON's client, with a CSRF token) when not nil
		want       int        // status
		see, hide  []string   // texts the answer must show, and must not
	}
	masked, text, person, note := []string{cText}, []string{cText, cContact}, []string{cReporter}, []string{cNote}
	join := func(xs ...[]string) []string {
		var out []string
		for _, x := range xs {
			out = append(out, x...)
		}
		return out
	}
	all := join(text, person, note)
	pending, hidden, public := w.statements(t)
	stmts := "/api/v1/consultations/" + w.c.Slug + "/statements"
	question, poll := w.liveItems(t)
	pub := "/live/" + w.pubCode + "/mod/"
	group := slug + "/kelompok/" + strconv.FormatInt(w.group, 10) + "/live"
	rows := []row{
		// Live sessions: an analyst no longer opens focus-group or draft sessions.
		{"analyst, group session page", "analyst", "/live/" + w.groupCode, nil, 404, nil, nil},
		{"analyst, group session presenter", "analyst", "/live/" + w.groupCode + "/present", nil, 404, nil, nil},
		{"analyst, group session export", "analyst", "/live/" + w.groupCode + "/export/record.json", nil, 404, nil, nil},
		{"analyst, group session websocket", "analyst", "ws:" + w.groupCode, nil, 403, nil, nil},
		{"analyst, draft session page", "analyst", "/live/" + w.draftCo, nil, 404, nil, nil},
		{"analyst, draft session presenter", "analyst", "/live/" + w.draftCo + "/present", nil, 404, nil, nil},
		{"analyst, draft session export", "analyst", "/live/" + w.draftCo + "/export/questions.csv", nil, 404, nil, nil},
		{"analyst, draft session websocket", "analyst", "ws:" + w.draftCo, nil, 403, nil, nil},
		{"analyst, public session export", "analyst", "/live/" + w.pubCode + "/export/record.json", nil, 200, nil, nil},
		// A member reaches their own group's session (it was 404 while search showed its questions).
		{"member, group session page", "member", "/live/" + w.groupCode, nil, 200, nil, nil},
		{"member, group session websocket", "member", "ws:" + w.groupCode, nil, 101, nil, nil},
		{"member, group session moderation", "member", "/live/" + w.groupCode + "/mod", nil, 403, nil, nil},
		{"removed member, group session page", "removed member", "/live/" + w.groupCode, nil, 404, nil, nil},
		{"removed member, group session websocket", "removed member", "ws:" + w.groupCode, nil, 403, nil, nil},
		{"citizen, group session page", "citizen", "/live/" + w.groupCode, nil, 404, nil, nil},
		{"citizen, group session websocket", "citizen", "ws:" + w.groupCode, nil, 403, nil, nil},
		{"guest, group session page", "guest", "/live/" + w.groupCode, nil, 404, nil, nil},
		{"guest, public session websocket", "guest", "ws:" + w.pubCode, nil, 101, nil, nil},
		{"guest, public session moderation channel", "guest", "ws:" + w.pubCode + ":mod", nil, 403, nil, nil},
		{"officer routed, group session page", "officer routed", "/live/" + w.groupCode, nil, 404, nil, nil},
		// Live moderation counts per-consultation moderators, and only theirs.
		{"moderator here, group session moderation", "moderator here", "/live/" + w.groupCode + "/mod", nil, 200, nil, nil},
		{"moderator here, moderation channel", "moderator here", "ws:" + w.groupCode + ":mod", nil, 101, nil, nil},
		{"moderator here, group session export", "moderator here", "/live/" + w.groupCode + "/export/record.json", nil, 200, nil, nil},
		{"moderator there, session moderation", "moderator there", "/live/" + w.pubCode + "/mod", nil, 403, nil, nil},
		{"moderator there, moderation channel", "moderator there", "ws:" + w.pubCode + ":mod", nil, 403, nil, nil},
		{"moderator there, group session page", "moderator there", "/live/" + w.groupCode, nil, 404, nil, nil},
		{"admin, group session page", "admin", "/live/" + w.groupCode, nil, 200, nil, nil},
		{"admin, draft session websocket", "admin", "ws:" + w.draftCo, nil, 101, nil, nil},
		// Drafts and their files: their moderators only.
		{"guest, draft page", "guest", draft, nil, 404, nil, nil},
		{"analyst, draft page", "analyst", draft, nil, 404, nil, nil},
		{"moderator there, draft page", "moderator there", draft, nil, 404, nil, nil},
		{"admin, draft page", "admin", draft, nil, 200, nil, nil},
		{"analyst, draft file", "analyst", file, nil, 404, nil, nil},
		{"moderator here, draft file", "moderator here", file, nil, 404, nil, nil},
		{"admin, draft file", "admin", file, nil, 200, nil, nil},
		// Reports (page and JSON API): published to all, before that staff and the consultation's moderators.
		{"citizen, unpublished report", "citizen", slug + "/report", nil, 403, nil, nil},
		{"citizen, unpublished report API", "citizen", "/api/v1/consultations/" + w.c.Slug + "/report", nil, 403, nil, nil},
		{"analyst, unpublished report", "analyst", slug + "/report", nil, 200, nil, nil},
		{"moderator here, unpublished report API", "moderator here", "/api/v1/consultations/" + w.c.Slug + "/report", nil, 200, nil, nil},
		{"moderator there, unpublished report", "moderator there", slug + "/report", nil, 403, nil, nil},
		{"officer routed, unpublished report", "officer routed", slug + "/report", nil, 403, nil, nil},
		{"guest, draft report API", "guest", "/api/v1/consultations/" + w.draft.Slug + "/report", nil, 404, nil, nil},
		// Exports: analysts and the consultation's moderators.
		{"citizen, export", "citizen", slug + "/export/csv", nil, 403, nil, nil},
		{"member, export", "member", slug + "/export/json", nil, 403, nil, nil},
		{"analyst, export", "analyst", slug + "/export/csv", nil, 200, nil, nil},
		{"moderator here, export", "moderator here", slug + "/export/json", nil, 200, nil, nil},
		{"moderator there, export", "moderator there", slug + "/export/csv", nil, 403, nil, nil},
		{"officer other, export", "officer other", slug + "/export/csv", nil, 403, nil, nil},
		// The moderation queue.
		{"moderator there, moderation queue", "moderator there", slug + "/moderation", nil, 403, nil, nil},
		{"moderator here, moderation queue", "moderator here", slug + "/moderation", nil, 200, nil, nil},
		{"officer routed, moderation queue", "officer routed", slug + "/moderation", nil, 403, nil, nil},

		// Participants' statements: one waiting for moderation and one
		// hidden by a moderator are read by their author (on the
		// consultation page) and in the moderation queue by the
		// consultation's moderators; nobody finds them on the public
		// paths (the page's statement list, the JSON API).
		{"guest, statements API", "guest", stmts, nil, 200, []string{public}, []string{pending, hidden}},
		{"citizen (author), statements API", "citizen", stmts, nil, 200, []string{public}, []string{pending, hidden}},
		{"admin, statements API", "admin", stmts, nil, 200, []string{public}, []string{pending, hidden}},
		{"citizen (author), own statements on the page", "citizen", slug, nil, 200, []string{pending, hidden}, nil},
		{"guest, others' statements on the page", "guest", slug, nil, 200, nil, []string{pending, hidden}},
		{"member, others' statements on the page", "member", slug, nil, 200, nil, []string{pending, hidden}},
		{"removed member, others' statements on the page", "removed member", slug, nil, 200, nil, []string{pending, hidden}},
		{"analyst, others' statements on the page", "analyst", slug, nil, 200, nil, []string{pending, hidden}},
		{"moderator here, others' statements on the page", "moderator here", slug, nil, 200, nil, []string{pending, hidden}},
		{"moderator there, others' statements on the page", "moderator there", slug, nil, 200, nil, []string{pending, hidden}},
		{"admin, others' statements on the page", "admin", slug, nil, 200, nil, []string{pending, hidden}},
		{"moderator here, statements in the moderation queue", "moderator here", slug + "/moderation", nil, 200, []string{pending, hidden}, nil},
		{"admin, statements in the moderation queue", "admin", slug + "/moderation", nil, 200, []string{pending, hidden}, nil},
		{"moderator there, statements in the moderation queue", "moderator there", slug + "/moderation", nil, 403, nil, []string{pending, hidden}},
		{"member, statements in the moderation queue", "member", slug + "/moderation", nil, 403, nil, []string{pending, hidden}},
		{"citizen (author), statements in the moderation queue", "citizen", slug + "/moderation", nil, 403, nil, []string{pending, hidden}},
		{"guest, statements in the moderation queue", "guest", slug + "/moderation", nil, 403, nil, []string{pending, hidden}},

		// Complaints, page: one that may not be read shows the secret
		// form, as an unknown number does. The reporter and the routed
		// agency read it, analysts its masked text; internal notes are
		// for the agency and the desk.
		{"guest, complaint page", "guest", page, nil, 200, nil, all},
		{"guest wrong secret, complaint page", "guest wrong secret", page, nil, 200, nil, all},
		{"guest with secret, complaint page", "guest with secret", page, nil, 200, join(text, person), note},
		{"citizen (reporter), complaint page", "citizen", page, nil, 200, join(text, person), note},
		{"member, complaint page", "member", page, nil, 200, nil, all},
		{"moderator here, complaint page", "moderator here", page, nil, 200, nil, all},
		{"analyst, complaint page (masked)", "analyst", page, nil, 200, masked, join([]string{cContact}, person, note)},
		{"officer routed, complaint page", "officer routed", page, nil, 200, all, nil},
		{"officer other, complaint page", "officer other", page, nil, 200, nil, all},
		{"admin, complaint page", "admin", page, nil, 200, all, nil},
		// A confidential reporter is hidden from the routed agency, not from the desk.
		{"officer other, confidential complaint page", "officer other", conf, nil, 200, []string{cConfText}, []string{cConfName}},
		{"officer routed, confidential complaint page", "officer routed", conf, nil, 200, nil, []string{cConfText, cConfName}},
		{"admin, confidential complaint page", "admin", conf, nil, 200, []string{cConfText, cConfName}, nil},
		// Complaints, JSON API (one and list).
		{"guest, complaint API", "guest", api, nil, 404, nil, all},
		{"citizen (reporter), complaint API", "citizen", api, nil, 200, join(text, person), note},
		{"member, complaint API", "member", api, nil, 404, nil, all},
		{"officer routed, complaint API", "officer routed", api, nil, 200, all, nil},
		{"officer other, complaint API", "officer other", api, nil, 404, nil, all},
		{"admin, complaint API", "admin", api, nil, 200, all, nil},
		{"citizen (reporter), complaints list API", "citizen", "/api/v1/complaints", nil, 200, join(text, person), note},
		{"member, complaints list API", "member", "/api/v1/complaints", nil, 200, nil, all},
		{"officer other, complaints list API", "officer other", "/api/v1/complaints", nil, 200, nil, all},
		// Complaints, the officers' inbox and its search.
		{"officer routed, inbox search", "officer routed", "/admin/pengaduan?q=Kalijudan", nil, 200, []string{number}, nil},
		{"officer other, inbox search", "officer other", "/admin/pengaduan?q=Kalijudan", nil, 200, nil, join([]string{number}, all)},
		{"officer other, inbox", "officer other", "/admin/pengaduan", nil, 200, nil, join([]string{number}, all)},
		{"admin, inbox search", "admin", "/admin/pengaduan?q=Kalijudan", nil, 200, []string{number}, nil},
		{"citizen, inbox search", "citizen", "/admin/pengaduan?q=Kalijudan", nil, 403, nil, all},
		{"moderator here, inbox", "moderator here", "/admin/pengaduan", nil, 403, nil, all},
		// Complaints, in-app notifications: the desk and the routed agency are told, nobody else.
		{"officer routed, notifications", "officer routed", "/notifikasi", nil, 200, []string{number}, note},
		{"officer other, notifications", "officer other", "/notifikasi", nil, 200, nil, join([]string{number}, all)},
		{"admin, notifications", "admin", "/notifikasi", nil, 200, []string{number}, nil},
		{"citizen (reporter), notifications", "citizen", "/notifikasi", nil, 200, nil, all},
		{"moderator here, notifications", "moderator here", "/notifikasi", nil, 200, nil, join([]string{number}, all)},
		// Complaints, the LAPOR! export: staff (the desk and analysts), without reporters.
		{"admin, LAPOR! export", "admin", "/admin/pengaduan/lapor.csv", nil, 200, masked, join(person, note)},
		{"officer routed, LAPOR! export", "officer routed", "/admin/pengaduan/lapor.csv", nil, 403, nil, all},
		{"citizen, LAPOR! export", "citizen", "/admin/pengaduan/lapor.csv", nil, 403, nil, all},
		{"analyst, LAPOR! export", "analyst", "/admin/pengaduan/lapor.csv", nil, 200, masked, join(person, note)},
		// Live moderators' writes (POST): a moderator of another
		// consultation and a consultation moderator removed are refused
		// (nothing written, no audit row), the consultation's moderator is
		// allowed.
		{"moderator there, moderate a question", "moderator there", pub + "question", url.Values{"do": {"hide"}, "question": {question}}, 403, nil, nil},
		{"removed moderator, moderate a question", "removed moderator", pub + "question", url.Values{"do": {"hide"}, "question": {question}}, 403, nil, nil},
		{"moderator here, moderate a question", "moderator here", pub + "question", url.Values{"do": {"hide"}, "question": {question}}, 200, nil, nil},
		{"moderator there, create a poll", "moderator there", pub + "poll", url.Values{"do": {"create"}, "kind": {"words"}, "question": {"Satu kata?"}}, 403, nil, nil},
		{"removed moderator, create a poll", "removed moderator", pub + "poll", url.Values{"do": {"create"}, "kind": {"words"}, "question": {"Satu kata?"}}, 403, nil, nil},
		{"moderator here, create a poll", "moderator here", pub + "poll", url.Values{"do": {"create"}, "kind": {"words"}, "question": {"Satu kata?"}}, 200, nil, nil},
		{"moderator there, launch a poll", "moderator there", pub + "poll", url.Values{"do": {"launch"}, "poll": {poll}}, 403, nil, nil},
		{"removed moderator, launch a poll", "removed moderator", pub + "poll", url.Values{"do": {"launch"}, "poll": {poll}}, 403, nil, nil},
		{"moderator here, launch a poll", "moderator here", pub + "poll", url.Values{"do": {"launch"}, "poll": {poll}}, 200, nil, nil},
		{"moderator there, create a session", "moderator there", slug + "/live", url.Values{"title": {"Sesi lain"}}, 403, nil, nil},
		{"removed moderator, create a session", "removed moderator", slug + "/live", url.Values{"title": {"Sesi lain"}}, 403, nil, nil},
		{"moderator here, create a session", "moderator here", slug + "/live", url.Values{"title": {"Sesi lain"}}, 303, nil, nil},
		{"moderator there, create a group session", "moderator there", group, url.Values{"title": {"Sesi kelompok"}}, 404, nil, nil},
		{"removed moderator, create a group session", "removed moderator", group, url.Values{"title": {"Sesi kelompok"}}, 404, nil, nil},
		{"moderator here, create a group session", "moderator here", group, url.Values{"title": {"Sesi kelompok"}}, 303, nil, nil},
		{"moderator there, end the session", "moderator there", pub + "session", url.Values{"do": {"close"}}, 403, nil, nil},
		{"removed moderator, end the session", "removed moderator", pub + "session", url.Values{"do": {"close"}}, 403, nil, nil},
		{"moderator here, end the session", "moderator here", pub + "session", url.Values{"do": {"close"}}, 200, nil, nil},
		{"moderator there, reopen the session", "moderator there", pub + "session", url.Values{"do": {"open"}}, 403, nil, nil},
		{"removed moderator, reopen the session", "removed moderator", pub + "session", url.Values{"do": {"open"}}, 403, nil, nil},
		{"moderator here, reopen the session", "moderator here", pub + "session", url.Values{"do": {"open"}}, 200, nil, nil},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			var got int
			var body string
			if rest, ok := strings.CutPrefix(r.path, "ws:"); ok {
				code, mod := strings.CutSuffix(rest, ":mod")
				got, _ = w.dial(t, r.role, code, mod)
			} else if r.form != nil {
				audits := w.audits(t)
				var res *http.Response
				res, body = post(t, w.roles[r.role], w.url, "/live/"+w.pubCode, r.path, r.form, "application/json")
				got = res.StatusCode
				if n := w.audits(t); got >= 400 && n != audits {
					t.Errorf("%s %s: refused, yet %d audit rows written", r.role, r.path, n-audits)
				}
			} else {
				got, body = get(t, w.roles[r.role], w.url+r.path)
			}
			if got != r.want {
				t.Errorf("%s %s: %d, want %d", r.role, r.path, got, r.want)
			}
			for _, s := range r.see {
				if !strings.Contains(body, s) {
					t.Errorf("%s %s does not show %q", r.role, r.path, s)
				}
			}
			for _, s := range r.hide {
				if strings.Contains(body, s) {
					t.Errorf("%s %s shows %q", r.role, r.path, s)
				}
			}
		})
	}
	// Messages to the citizen never carry the internal note.
	var bodies []string
	if err := w.db.NewSelect().Table("message_outbox").Column("body").Scan(context.Background(), &bodies); err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if strings.Contains(b, cNote) {
			t.Errorf("internal note in a message to the citizen: %q", b)
		}
	}
}

// liveItems asks a question in the public live session (as the citizen)
// and makes a draft poll there (as the site's moderator), for the
// moderators' POST rows; it returns their ids.
func (w *accessWorld) liveItems(t *testing.T) (question, poll string) {
	t.Helper()
	page := "/live/" + w.pubCode
	if res, _ := post(t, w.roles["citizen"], w.url, page, page+"/ask", url.Values{"text": {"Kapan jalan kami diperbaiki?"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d", res.StatusCode)
	}
	if res, _ := post(t, w.mod, w.url, page+"/mod", page+"/mod/poll", url.Values{"do": {"create"}, "kind": {"rating"}, "question": {"Puas?"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create poll: %d", res.StatusCode)
	}
	ctx := context.Background()
	var q, p int64
	if err := w.db.NewRaw("SELECT max(q.id) FROM live_questions q JOIN live_sessions s ON s.id = q.session_id WHERE s.code = ?", w.pubCode).Scan(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if err := w.db.NewRaw("SELECT max(p.id) FROM live_polls p JOIN live_sessions s ON s.id = p.session_id WHERE s.code = ?", w.pubCode).Scan(ctx, &p); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(q, 10), strconv.FormatInt(p, 10)
}

// audits counts the audit log's rows.
func (w *accessWorld) audits(t *testing.T) int64 {
	t.Helper()
	n, err := w.db.NewSelect().Table("audit_log").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
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
