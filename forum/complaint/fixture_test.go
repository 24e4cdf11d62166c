package complaint

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

var wibZone = time.FixedZone("WIB", 7*3600)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, wibZone)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

type fixture struct {
	s                       *Store
	clk                     *clock
	admin, analyst, citizen Actor
	officerA, officerB      Actor
	agencyA, agencyB        int64
}

// newFixture returns a migrated store with an admin, an analyst, a citizen
// and officers of two agencies, on SQLite or PostgreSQL.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(tb)
	if err := forum.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	if err := Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	clk := &clock{}
	clk.Set("2024-04-01 09:00")
	s, err := NewStore(ctx, db, Config{Location: wibZone, Now: clk.Now, PublicList: true})
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{s: s, clk: clk}
	user := func(email, role string) *forum.User {
		u := &forum.User{Email: email, DisplayName: email, Role: role}
		if err := forumtest.CreateUser(ctx, db, u, clk.Now()); err != nil {
			tb.Fatal(err)
		}
		return u
	}
	actor := func(u *forum.User) Actor { return s.Actor(must(forum.LoadViewer(ctx, db, u, 0)), "") }
	f.admin = actor(user("admin@example.id", forum.RoleAdmin))
	f.analyst = actor(user("analis@example.id", forum.RoleAnalyst))
	f.citizen = actor(user("warga@example.id", forum.RoleParticipant))
	f.agencyA = must(s.AddAgency(ctx, f.admin, "Dinas Lingkungan Hidup"))
	f.agencyB = must(s.AddAgency(ctx, f.admin, "Dinas Perhubungan"))
	oa, ob := user("petugas.dlh@example.id", forum.RoleParticipant), user("petugas.dishub@example.id", forum.RoleParticipant)
	if err := s.SetOfficer(ctx, f.admin, oa.ID, f.agencyA, true); err != nil {
		tb.Fatal(err)
	}
	if err := s.SetOfficer(ctx, f.admin, ob.ID, f.agencyB, true); err != nil {
		tb.Fatal(err)
	}
	f.officerA, f.officerB = actor(oa), actor(ob)
	return f
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func (f *fixture) submit(tb testing.TB, in Intake) Receipt {
	tb.Helper()
	if in.Channel == "" {
		in.Channel = ChannelWeb
	}
	if in.Body == "" {
		in.Body = "Lampu jalan di Jalan Darmo mati sejak seminggu, mohon diperbaiki."
	}
	r, err := f.s.Submit(context.Background(), Actor{}, in)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
