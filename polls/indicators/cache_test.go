package indicators

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/tz"
)

// TestCacheStaleWhileRevalidating: after Invalidate, Get still answers at
// once with the last Report while a new one is computed, Fresh waits for
// the new one, and Get serves the new one from then on.
func TestCacheStaleWhileRevalidating(t *testing.T) {
	db, _ := randomActions(t, 30)
	ctx := context.Background()
	z := tz.Default()
	cal, err := workday.New(z.Loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := &Cache{MaxAge: time.Hour, Source: Source{DB: db, Calendar: func() *workday.Calendar { return cal }, Zone: z.Name, Loc: z.Loc,
		Now: func() time.Time { return now }}}
	q := Query{From: time.Date(2025, 11, 1, 0, 0, 0, 0, z.Loc), To: time.Date(2026, 3, 1, 0, 0, 0, 0, z.Loc)}
	first, err := c.Get(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := c.Get(ctx, q); again != first {
		t.Fatal("a second Get computed again")
	}
	p, err := forum.EnsureParticipant(ctx, db, "guest", "test", "late", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewRaw(`INSERT INTO comments (consultation_id, author_id, body, alignment, state, state_reason, source, source_key,
		source_parent, created_at) VALUES ((SELECT id FROM consultations WHERE slug = 'k'), ?, 'c', 0, 'published', '', '', '', '', ?)`,
		p.ID, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	c.Invalidate()
	if stale, _ := c.Get(ctx, q); stale != first {
		t.Error("Get after Invalidate did not answer with the last Report")
	}
	fresh, err := c.Fresh(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if fresh == first || fresh.Active.Total != first.Active.Total+1 {
		t.Fatalf("Fresh = %d active users, want %d", fresh.Active.Total, first.Active.Total+1)
	}
	if got, _ := c.Get(ctx, q); got != fresh {
		t.Error("Get after Fresh does not serve the new Report")
	}
}

// TestCacheWaitsAfterLongQuiet: a Report older than staleFor × MaxAge is
// not served while a new one is computed; Get waits for the new one.
func TestCacheWaitsAfterLongQuiet(t *testing.T) {
	db, _ := randomActions(t, 10)
	ctx := context.Background()
	z := tz.Default()
	cal, err := workday.New(z.Loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := &Cache{MaxAge: time.Minute, Source: Source{DB: db, Calendar: func() *workday.Calendar { return cal }, Zone: z.Name, Loc: z.Loc,
		Now: func() time.Time { return now }}}
	q := Query{From: time.Date(2025, 11, 1, 0, 0, 0, 0, z.Loc), To: time.Date(2026, 3, 1, 0, 0, 0, 0, z.Loc)}
	first, err := c.Get(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute) // stale, within bounds: served at once
	if got, _ := c.Get(ctx, q); got != first {
		t.Error("a Report two MaxAges old was not served while revalidating")
	}
	c.Fresh(ctx, q) // let that computation finish
	now = now.Add(time.Hour)
	got, err := c.Get(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ComputedAt.Equal(now) {
		t.Errorf("after an hour Get answered with figures computed at %v, want a new computation at %v", got.ComputedAt, now)
	}
}
