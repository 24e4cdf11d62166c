package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/web"
)

// fakeSMTP is an SMTP server in the test process (RFC 5321, just enough:
// EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) that hands each message's
// envelope recipient and data to its channel.
type fakeSMTP struct {
	addr string
	mail chan [2]string
}

func startFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &fakeSMTP{addr: ln.Addr().String(), mail: make(chan [2]string, 16)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

func (s *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { io.WriteString(conn, line+"\r\n") }
	say("220 fake ESMTP")
	var rcpt string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-fake")
			say("250 AUTH PLAIN")
		case strings.HasPrefix(cmd, "AUTH PLAIN"):
			say("235 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			rcpt = strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<>")
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			s.mail <- [2]string{rcpt, data.String()}
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// TestNotificationsAndMail: a reply and an official answer reach the
// comment's and the proposal's author in the app (bell, /notifikasi) and
// by email through the fake SMTP server, with titles as plain text.
func TestNotificationsAndMail(t *testing.T) {
	base := newFixture(t).withoutServer() // its outbox would take the mails
	smtp := startFakeSMTP(t)
	srv, err := web.New(context.Background(), web.Config{DB: base.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Mail: web.MailConfig{URL: "smtp://rembug:rahasia@" + smtp.addr, From: "rembug@contoh.test", BaseURL: "https://rembug.contoh.test"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	f := &fixture{db: base.db, c: base.c, url: ts.URL}
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	budi := fpSignIn(t, f, "budi", forum.RoleParticipant)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	title := "Taman <b>RW 03</b> & \"air\""
	path, id := fpPropose(t, f, ani, title, "isi")
	_, loc, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Komentar ani"}})
	parent := loc[strings.Index(loc, "#c")+2:]
	if code, _, _ := fpPost(t, budi.c, f, "/p/"+id+"/comments", url.Values{"csrf": {budi.csrf}, "body": {"Balasan budi"}, "parent": {parent}}); code != http.StatusSeeOther {
		t.Fatalf("reply: %d", code)
	}
	got := <-smtpWait(t, smtp)
	if got[0] != "ani@contoh.test" || !strings.Contains(got[1], "Subject: Balasan untuk komentar") || !strings.Contains(got[1], "Balasan untuk komentar Anda pada usulan "+title) ||
		!strings.Contains(got[1], "https://rembug.contoh.test/p/"+id+"-") || strings.Contains(got[1], "&lt;") {
		t.Fatalf("reply mail:\n%v", got)
	}
	_, page := get(t, ani.c, f.url+path)
	if !strings.Contains(page, `<span class="badge" aria-hidden="true">1</span>`) {
		t.Fatal("the bell does not count the reply")
	}
	_, page = get(t, ani.c, f.url+"/notifikasi")
	if !strings.Contains(page, "Taman &lt;b&gt;RW 03&lt;/b&gt; &amp; &#34;air&#34;") || strings.Contains(page, "<b>RW 03") {
		t.Fatalf("notification title not plain text:\n%s", page)
	}
	// Budi follows the proposal; the official answer reaches both.
	fpPost(t, budi.c, f, "/p/"+id+"/ikuti", url.Values{"csrf": {budi.csrf}})
	if code, _, _ := fpPost(t, mod.c, f, "/p/"+id+"/answer", url.Values{"csrf": {mod.csrf}, "status": {"accepted"}, "answer": {"Diterima"}}); code != http.StatusSeeOther {
		t.Fatalf("answer: %d", code)
	}
	to := map[string]bool{}
	for range 2 {
		m := <-smtpWait(t, smtp)
		if !strings.Contains(m[1], "Tanggapan resmi untuk usulan") {
			t.Fatalf("answer mail:\n%s", m[1])
		}
		to[m[0]] = true
	}
	if !to["ani@contoh.test"] || !to["budi@contoh.test"] {
		t.Fatalf("answer mailed to %v", to)
	}
	fpPost(t, ani.c, f, "/notifikasi/baca", url.Values{"csrf": {ani.csrf}})
	if _, page = get(t, ani.c, f.url+"/notifikasi"); strings.Contains(page, `class="badge"`) {
		t.Fatal("still unread after marking all read")
	}
	// Unfollowing stops comment notifications.
	fpPost(t, budi.c, f, "/p/"+id+"/ikuti", url.Values{"csrf": {budi.csrf}, "off": {"1"}})
	if ok, _ := forum.Following(t.Context(), f.db, mustViewer(t, f, budi.user), forum.FollowProposal, mustID(t, id)); ok {
		t.Fatal("still following after unfollowing")
	}
}

// smtpWait returns the fake server's channel, failing the test when no
// mail comes within five seconds.
func smtpWait(t *testing.T, s *fakeSMTP) <-chan [2]string {
	t.Helper()
	out := make(chan [2]string, 1)
	select {
	case m := <-s.mail:
		out <- m
	case <-time.After(5 * time.Second):
		t.Fatal("no mail arrived")
	}
	return out
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := forum.ProposalIDFromRef(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestReportParticipant reports the author of a comment from the proposal
// page's form; the moderator sees the participant by name in the queue,
// blocks them, and the block shows on the queue page.
func TestReportParticipant(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	budi := fpSignIn(t, f, "Budi Troll", forum.RoleParticipant)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	path, id := fpPropose(t, f, ani, "Taman", "isi")
	_, loc, _ := fpPost(t, budi.c, f, "/p/"+id+"/comments", url.Values{"csrf": {budi.csrf}, "body": {"spam spam"}})
	cid := loc[strings.Index(loc, "#c")+2:]
	if _, page := get(t, ani.c, f.url+path); !strings.Contains(page, `action="/flag/author"`) || strings.Contains(page, itoa(budi.user.ID)+`" name="participant`) {
		t.Fatal("no report-the-author form")
	}
	if code, _, _ := fpPost(t, budi.c, f, "/flag/author", url.Values{"csrf": {budi.csrf}, "kind": {"comment"}, "id": {cid}, "reason": {"x"}}); code != 400 {
		t.Fatalf("reporting oneself: %d", code)
	}
	if code, _, _ := fpPost(t, ani.c, f, "/flag/author", url.Values{"csrf": {ani.csrf}, "kind": {"comment"}, "id": {cid}, "reason": {"akun spam"}, "back": {path}}); code != http.StatusSeeOther {
		t.Fatalf("report: %d", code)
	}
	_, page := get(t, mod.c, f.url+"/k/"+f.c.Slug+"/moderation")
	if !strings.Contains(page, "Budi Troll") || !strings.Contains(page, "akun spam") {
		t.Fatalf("queue lacks the participant report:\n%s", page)
	}
	bp, _ := forum.UserParticipant(t.Context(), f.db, budi.user, now)
	if code, _, _ := fpPost(t, mod.c, f, "/k/"+f.c.Slug+"/moderation", url.Values{"csrf": {mod.csrf}, "kind": {"participant"}, "id": {itoa(bp.ID)}, "action": {"block"}, "reason": {"akun spam"}}); code != http.StatusSeeOther {
		t.Fatalf("block: %d", code)
	}
	_, page = get(t, mod.c, f.url+"/k/"+f.c.Slug+"/moderation")
	if !strings.Contains(page, `class="blocked"`) || !strings.Contains(page, "Budi Troll") {
		t.Fatalf("queue page lacks the block:\n%s", page)
	}
	if code, _, _ := fpPost(t, budi.c, f, "/p/"+id+"/comments", url.Values{"csrf": {budi.csrf}, "body": {"lagi"}}); code != http.StatusForbidden {
		t.Fatalf("blocked participant comments: %d", code)
	}
}

// TestEvaluationReminderReachesOwner: the reminder job's reminder of a
// recommendation due within 7 days reaches a citizen officer of the owning
// agency, who may not read the unpublished cycle but may read their
// agency's recommendation: by mail with the recommendation's link, in the
// header's bell and on the notifications page, and its page opens for
// them and for no other citizen. SQLite and PostgreSQL.
func TestEvaluationReminderReachesOwner(t *testing.T) {
	base := newFixture(t).withoutServer() // its outbox would take the mails
	smtp := startFakeSMTP(t)
	srv, err := web.New(context.Background(), web.Config{DB: base.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Mail: web.MailConfig{URL: "smtp://rembug:rahasia@" + smtp.addr, From: "rembug@contoh.test", BaseURL: "https://rembug.contoh.test"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	f := &fixture{db: base.db, c: base.c, url: ts.URL}
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	owner := fpSignIn(t, f, "petugas", forum.RoleParticipant)
	other := fpSignIn(t, f, "warga", forum.RoleParticipant)
	var agency int64
	if err := f.db.NewRaw(`INSERT INTO complaint_agencies (name, created_at) VALUES ('Dinas Kominfo', ?) RETURNING id`, now).Scan(t.Context(), &agency); err != nil {
		t.Fatal(err)
	}
	f.db.NewRaw(`INSERT INTO agency_officers (agency_id, user_id) VALUES (?, ?)`, agency, owner.user.ID).Exec(t.Context())
	res, _ := post(t, admin.c, f.url, "/admin/evaluasi", "/admin/evaluasi", url.Values{"name": {"Semester II 2026"}, "from": {"2026-07-01"}, "to": {"2026-12-31"}}, "")
	cycle := res.Header.Get("Location")
	if res, body := post(t, admin.c, f.url, cycle, cycle+"/rekomendasi", url.Values{"body": {"Tambah petugas <b>layanan</b>"}, "owner": {fmt.Sprint(agency)}, "due": {"2026-12-03"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recommendation: %d %.300s", res.StatusCode, body)
	}
	var rid int64
	f.db.NewRaw(`SELECT id FROM evaluation_recommendations`).Scan(t.Context(), &rid)
	page := strings.Replace(cycle, "/admin", "", 1) + fmt.Sprintf("/rekomendasi/%d", rid)
	if code, _ := get(t, owner.c, f.url+page); code != http.StatusOK {
		t.Errorf("owning officer opens the recommendation: %d, want 200", code)
	}
	if code, _ := get(t, other.c, f.url+page); code != http.StatusNotFound {
		t.Errorf("another citizen opens the unpublished recommendation: %d, want 404", code)
	}

	if err := srv.EvaluationReminders(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := <-smtpWait(t, smtp)
	if got[0] != "petugas@contoh.test" || !strings.Contains(got[1], "Rekomendasi jatuh tempo dalam 7 hari: Tambah petugas <b>layanan</b>") ||
		!strings.Contains(got[1], "https://rembug.contoh.test"+page) {
		t.Fatalf("reminder mail:\n%v", got)
	}
	_, body := get(t, owner.c, f.url+"/notifikasi")
	if !strings.Contains(body, `<span class="badge" aria-hidden="true">1</span>`) {
		t.Error("the bell does not count the reminder")
	}
	if !strings.Contains(body, `href="`+page+`"`) || !strings.Contains(body, "Tambah petugas &lt;b&gt;layanan&lt;/b&gt;") {
		t.Errorf("the notifications page lacks the reminder:\n%s", body)
	}
	if _, body := get(t, other.c, f.url+"/notifikasi"); strings.Contains(body, page) {
		t.Error("another citizen sees the reminder")
	}
	if err := srv.EvaluationReminders(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, owner.c, f.url+"/notifikasi"); !strings.Contains(body, `<span class="badge" aria-hidden="true">1</span>`) {
		t.Error("a second run reminded again")
	}
}
