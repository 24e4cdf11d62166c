package live_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

var t0 = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

// clock is a test clock that moves only when told.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// env is a migrated database with one consultation and a Service.
type env struct {
	db  *bun.DB
	c   *forum.Consultation
	svc *live.Service
	clk *clock
	// staff is the moderator the tests' moderation writes are made by (the
	// audit log names them): a participant named moderator of c in
	// consultation_moderators, loaded as a page would load them.
	staff forum.Viewer
}

func migrate(t testing.TB, db *bun.DB) {
	t.Helper()
	ctx := context.Background()
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, live.Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
}

func newEnv(t testing.TB, hub *realtime.Hub) *env {
	t.Helper()
	db := storagetest.NewDB(t)
	migrate(t, db)
	return newEnvOn(t, db, hub)
}

func newEnvOn(t testing.TB, db *bun.DB, hub *realtime.Hub) *env {
	t.Helper()
	c := &forum.Consultation{Title: "Musrenbang", Source: "test", SourceKey: "m"}
	if err := forum.UpsertImportedConsultation(context.Background(), db, c, t0); err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: t0}
	svc := live.NewService(db, hub, live.Options{Now: clk.Now, CoalesceInterval: 20 * time.Millisecond})
	t.Cleanup(func() { _ = svc.Close() })
	e := &env{db: db, c: c, svc: svc, clk: clk}
	e.staff = liveUser(t, e, "moderator", forum.RoleParticipant)
	if err := forum.NewStore(db, clk.Now).AddModerator(context.Background(), c.ID, e.staff.User.ID); err != nil {
		t.Fatal(err)
	}
	e.staff = e.reload(t, e.staff)
	return e
}

// liveUser creates a signed-in user with role and their participant, and
// returns their viewer, loaded as a page would load it.
func liveUser(t testing.TB, e *env, name, role string) forum.Viewer {
	t.Helper()
	ctx := context.Background()
	u := &forum.User{DisplayName: name, Email: name + "@example.test", Role: role}
	if err := forumtest.CreateUser(ctx, e.db, u, t0); err != nil {
		t.Fatal(err)
	}
	p, err := forum.UserParticipant(ctx, e.db, u, t0)
	if err != nil {
		t.Fatal(err)
	}
	return e.reload(t, forum.Viewer{User: u, ParticipantID: p.ID})
}

// reload loads v again from the database (its roles, consultation roles,
// memberships and blocks as stored now).
func (e *env) reload(t testing.TB, v forum.Viewer) forum.Viewer {
	t.Helper()
	nv, err := forum.LoadViewer(context.Background(), e.db, v.User, v.ParticipantID)
	if err != nil {
		t.Fatal(err)
	}
	return nv
}

func (e *env) session(t testing.TB, in live.SessionInput) *live.Session {
	t.Helper()
	in.ConsultationID = e.c.ID
	in.AllowGuests = true // the tests' participants are guests
	if in.Title == "" {
		in.Title = "Tanya jawab"
	}
	s, err := e.svc.CreateSession(context.Background(), e.staff, in)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) participant(t testing.TB, key string) int64 {
	t.Helper()
	p, err := forum.EnsureParticipant(context.Background(), e.db, forum.ParticipantGuest, forum.ParticipantGuest, key, t0)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (e *env) participants(t testing.TB, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = e.participant(t, fmt.Sprintf("p%d", i))
	}
	return out
}

func (e *env) ask(t testing.TB, s *live.Session, pid int64, text string) *live.Question {
	t.Helper()
	q, err := e.svc.Ask(context.Background(), forum.GuestViewer(pid), s, "Sari", text, false)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func (e *env) question(t testing.TB, id int64) *live.Question {
	t.Helper()
	var q live.Question
	if err := e.db.NewSelect().Model(&q).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &q
}
