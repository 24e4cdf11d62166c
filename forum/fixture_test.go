package forum_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// world is a migrated database with one open consultation and users of
// every role.
type world struct {
	db    *bun.DB
	store *forum.Store
	now   time.Time    // the store's clock, t0 unless a test moves it
	admin forum.Viewer // made by staff on first use
	c     *forum.Consultation
	ctx   context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota", Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, t0); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, c: c, ctx: ctx, now: t0}
	w.store = forum.NewStore(db, func() time.Time { return w.now })
	return w
}

// user creates a user with role and returns its viewer.
func (w *world) user(t *testing.T, name, role string) forum.Viewer {
	t.Helper()
	u := &forum.User{DisplayName: name, Email: name + "@contoh.test", Role: role}
	if err := forumtest.CreateUser(w.ctx, w.db, u, t0); err != nil {
		t.Fatal(err)
	}
	p, err := forum.UserParticipant(w.ctx, w.db, u, t0)
	if err != nil {
		t.Fatal(err)
	}
	return w.load(t, u, p.ID)
}

// load reads the rights of user u (nil for a guest) acting as participant
// pid; call it again after rights change (moderators, members, blocks).
func (w *world) load(t testing.TB, u *forum.User, pid int64) forum.Viewer {
	t.Helper()
	v, err := forum.LoadViewer(w.ctx, w.db, u, pid)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// again is v with its rights read again.
func (w *world) again(t testing.TB, v forum.Viewer) forum.Viewer {
	t.Helper()
	return w.load(t, v.User, v.ParticipantID)
}

// guest returns a guest viewer with a participant.
func (w *world) guest(t *testing.T, key string) forum.Viewer {
	t.Helper()
	p, err := forum.EnsureParticipant(w.ctx, w.db, forum.ParticipantGuest, forum.ParticipantGuest, key, t0)
	if err != nil {
		t.Fatal(err)
	}
	return w.load(t, nil, p.ID)
}

func (w *world) proposal(t *testing.T, v forum.Viewer, title string) *forum.Proposal {
	t.Helper()
	p, _, err := w.store.CreateProposal(w.ctx, v, w.c, forum.ProposalInput{Title: title, Body: "Isi usulan"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) comment(t *testing.T, v forum.Viewer, p *forum.Proposal, parent int64, body string) *forum.Comment {
	t.Helper()
	cm, _, err := w.store.AddComment(w.ctx, v, w.c, p, forum.CommentInput{Body: body, ParentID: parent})
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

// reload reads p again as an admin sees it.
func (w *world) reload(t *testing.T, p *forum.Proposal) *forum.Proposal {
	t.Helper()
	got := new(forum.Proposal)
	if err := w.db.NewSelect().Model(got).Where("id = ?", p.ID).Scan(w.ctx); err != nil {
		t.Fatal(err)
	}
	return got
}

// staff returns an admin viewer made for fixtures, created on first use.
func (w *world) staff(t *testing.T) forum.Viewer {
	t.Helper()
	if w.admin.User == nil {
		w.admin = w.user(t, "penata", forum.RoleAdmin)
	}
	return w.admin
}

// rules sets the consultation rules r as an admin would.
func (w *world) rules(t *testing.T, r forum.Rules) {
	t.Helper()
	if err := w.store.ConfigureRules(w.ctx, w.staff(t), &r); err != nil {
		t.Fatal(err)
	}
}

// phase schedules p as an admin would.
func (w *world) phase(t *testing.T, p forum.Phase) {
	t.Helper()
	if err := w.store.SchedulePhase(w.ctx, w.staff(t), &p); err != nil {
		t.Fatal(err)
	}
}
