package sources_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// world is a database with every searchable table, the search outbox and
// rows of every kind and visibility.
type world struct {
	ctx    context.Context
	db     *bun.DB
	open   *forum.Consultation // public
	draft  *forum.Consultation
	group  *forum.FocusGroup // of open
	author int64             // participant
	member *forum.User       // member of group
	other  *forum.User       // member of nothing
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, polls.Migrate, live.Migrate, search.Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	w := &world{ctx: ctx, db: db}
	w.open = w.consultation(t, "Tata kota terbuka", forum.StatusOpen)
	w.draft = w.consultation(t, "Rancangan rahasia", forum.StatusDraft)
	w.group = &forum.FocusGroup{ConsultationID: w.open.ID, Name: "FG Nelayan", CreatedAt: t0}
	w.insert(t, w.group)
	p, err := forum.EnsureParticipant(ctx, db, forum.ParticipantGuest, forum.ParticipantGuest, "penulis", t0)
	if err != nil {
		t.Fatal(err)
	}
	w.author = p.ID
	w.member, w.other = w.user(t, "anggota", forum.RoleParticipant), w.user(t, "bukan", forum.RoleParticipant)
	if _, err := db.ExecContext(ctx, "INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at) VALUES (?, ?, 'member', ?)",
		w.group.ID, w.member.ID, t0); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) insert(t *testing.T, model any) {
	t.Helper()
	if _, err := w.db.NewInsert().Model(model).Returning("id").Exec(w.ctx); err != nil {
		t.Fatalf("insert %T: %v", model, err)
	}
}

func (w *world) consultation(t *testing.T, title, status string) *forum.Consultation {
	t.Helper()
	c := &forum.Consultation{Title: title, Description: "Deskripsi " + title, Source: "test", SourceKey: title, Status: status}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, c, t0); err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) user(t *testing.T, name, role string) *forum.User {
	t.Helper()
	u := &forum.User{DisplayName: name, Email: name + "@contoh.test", Role: role}
	if err := forum.CreateUser(w.ctx, w.db, u, t0); err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *world) proposal(t *testing.T, c *forum.Consultation, group int64, state, title string) *forum.Proposal {
	t.Helper()
	p := &forum.Proposal{ConsultationID: c.ID, FocusGroupID: group, AuthorID: w.author, Title: title, Body: "Isi " + title,
		Topics: "air|jalan", State: state, Supports: 7, CreatedAt: t0, UpdatedAt: t0}
	w.insert(t, p)
	return p
}

func (w *world) comment(t *testing.T, p *forum.Proposal, state, body string, deleted bool) *forum.Comment {
	t.Helper()
	cm := &forum.Comment{ConsultationID: p.ConsultationID, ProposalID: p.ID, FocusGroupID: p.FocusGroupID, AuthorID: w.author,
		Body: body, State: state, CreatedAt: t0}
	if deleted {
		cm.DeletedAt, cm.Body = t0, ""
	}
	w.insert(t, cm)
	return cm
}

func (w *world) statement(t *testing.T, c *forum.Consultation, hidden bool, text string) *polls.Statement {
	t.Helper()
	s := &polls.Statement{ConsultationID: c.ID, Text: text, Hidden: hidden, CreatedAt: t0}
	w.insert(t, s)
	return s
}

func (w *world) session(t *testing.T, c *forum.Consultation, group int64, code string) *live.Session {
	t.Helper()
	s := &live.Session{ConsultationID: c.ID, Code: code, Title: "Sesi " + code, Open: true, CreatedAt: t0, UpdatedAt: t0}
	if group != 0 {
		s.FocusGroupID = &group
	}
	w.insert(t, s)
	return s
}

func (w *world) question(t *testing.T, s *live.Session, status, text string) *live.Question {
	t.Helper()
	q := &live.Question{SessionID: s.ID, Text: text, Status: status, Upvotes: 3, CreatedAt: t0, UpdatedAt: t0}
	w.insert(t, q)
	return q
}
