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

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/web"
)

// TestMailOutlivesItsNode: notification and invitation mails are rows of
// the message outbox, not a queue in one node's memory. Node A takes the
// requests (a reply to a comment, an emailed focus-group invitation) and
// stops before its outbox worker sends anything, as a node killed with
// kill -9 would. Node B, on the same database, sends each mail exactly
// once. The invitation's link, a bearer secret, is erased from the outbox
// once sent; the notification mail keeps its text for the staff outbox
// page.
func TestMailOutlivesItsNode(t *testing.T) {
	base := newFixture(t).withoutServer() // its outbox would take the mails
	smtp := startFakeSMTP(t)
	mailURL := "smtp://rembug:rahasia@" + smtp.addr
	sender, err := messaging.NewSMTP(mailURL, "rembug@contoh.test")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Node A: an outbox with an email sender whose worker never runs.
	stalled := messaging.NewOutbox(messaging.OutboxConfig{DB: base.db, Senders: map[messaging.Channel]messaging.Sender{messaging.Email: sender},
		Checks: web.MessageChecks()})
	a, err := web.New(context.Background(), web.Config{DB: base.db, Logger: quiet, Version: "test", Now: func() time.Time { return now },
		Messages: stalled, Mail: web.MailConfig{BaseURL: "https://rembug.contoh.test"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(a)
	f := &fixture{db: base.db, c: base.c, url: ts.URL}
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	budi := fpSignIn(t, f, "budi", forum.RoleParticipant)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	_, id := fpPropose(t, f, ani, "Taman RW 03", "isi")
	_, loc, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Komentar ani"}})
	parent := loc[strings.Index(loc, "#c")+2:]
	if code, _, _ := fpPost(t, budi.c, f, "/p/"+id+"/comments", url.Values{"csrf": {budi.csrf}, "body": {"Balasan budi"}, "parent": {parent}}); code != http.StatusSeeOther {
		t.Fatalf("reply: %d", code)
	}
	code, gpath, _ := fpPost(t, mod.c, f, "/k/"+f.c.Slug+"/kelompok", url.Values{"csrf": {mod.csrf}, "name": {"Kelompok warga"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create group: %d", code)
	}
	_, _, page := fpPost(t, mod.c, f, gpath+"/undangan", url.Values{"csrf": {mod.csrf}, "days": {"7"}, "emails": {"sari@contoh.test"}})
	link := inviteRE.FindString(page)
	if link == "" {
		t.Fatal("no emailed invitation")
	}
	ts.Close()
	a.Close()
	select {
	case m := <-smtp.mail:
		t.Fatalf("node A sent a mail without its worker: %v", m)
	default:
	}

	// Node B starts on the same database and sends what A left.
	b, err := web.New(context.Background(), web.Config{DB: base.db, Logger: quiet, Version: "test", Now: func() time.Time { return now },
		Mail: web.MailConfig{URL: mailURL, From: "rembug@contoh.test", BaseURL: "https://rembug.contoh.test"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for range 2 {
		m := <-smtpWait(t, smtp)
		if _, twice := got[m[0]]; twice {
			t.Fatalf("%s mailed twice", m[0])
		}
		got[m[0]] = m[1]
	}
	b.Close() // waits for its worker: every row it claimed is finished
	select {
	case m := <-smtp.mail:
		t.Fatalf("a third mail: %v", m)
	default:
	}
	if !strings.Contains(got["ani@contoh.test"], "Balasan untuk komentar") {
		t.Errorf("reply mail:\n%s", got["ani@contoh.test"])
	}
	if !strings.Contains(got["sari@contoh.test"], "https://rembug.contoh.test"+link) {
		t.Errorf("invitation mail without its link %s:\n%s", link, got["sari@contoh.test"])
	}
	rows, err := messaging.Recent(t.Context(), base.db, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.State != messaging.StateSent {
			t.Errorf("outbox row to %s: %s (%s)", r.To, r.State, r.LastError)
		}
		switch r.To {
		case "sari@contoh.test":
			if r.Body != "" || strings.Contains(r.Subject, link) {
				t.Errorf("the sent invitation keeps its link in the outbox: %q", r.Body)
			}
		case "ani@contoh.test":
			if !strings.Contains(r.Body, "Balasan untuk komentar") || !strings.HasPrefix(r.Ref, "notification:") {
				t.Errorf("notification row: ref %q body %q", r.Ref, r.Body)
			}
		}
	}
}
