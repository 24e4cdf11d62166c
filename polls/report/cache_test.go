package report_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/polls/report"
)

func TestCacheRecomputesOnNewVotes(t *testing.T) {
	w := newWorld(t)
	w.vote(t, camps(24))
	ctx := context.Background()
	c := report.NewCache(w.db, report.Settings{}, 1)
	a1, err := c.Get(ctx, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*report.Analysis, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = c.Get(ctx, w.c.ID)
		}()
	}
	wg.Wait()
	for i, a := range got {
		if a != a1 {
			t.Fatalf("reader %d got a recomputed analysis for unchanged votes", i)
		}
	}
	more := camps(26)
	w.vote(t, more)
	a2, err := c.Get(ctx, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a2 == a1 || len(a2.Opinion.Participants) != 26 || a2.Version == a1.Version {
		t.Fatalf("after new votes: same=%v, %d participants", a2 == a1, len(a2.Opinion.Participants))
	}
	// Hiding a statement changes the version too (C19).
	if _, err := w.db.NewUpdate().Table("statements").Set("hidden = ?", true).Where("id = ?", w.stmts[1].ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	a3, err := c.Get(ctx, w.c.ID)
	if err != nil || a3 == a2 {
		t.Fatalf("hiding a statement did not recompute: %v", err)
	}
	for _, s := range a3.Opinion.Statements {
		if s.ID == w.stmts[1].ID {
			t.Fatal("hidden statement in the analysis")
		}
	}
	// MaxAge forces a recomputation even when the version matches.
	young := report.NewCache(w.db, report.Settings{MaxAge: time.Nanosecond}, 0)
	b1, err := young.Get(ctx, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b2, err := young.Get(ctx, w.c.ID); err != nil || b2 == b1 {
		t.Fatalf("an analysis older than MaxAge was served: %v", err)
	}
	// A second consultation evicts the first from a cache of size 1.
	if _, err := c.Get(ctx, w.c.ID+1000); err != nil {
		t.Fatal(err)
	}
	a4, err := c.Get(ctx, w.c.ID)
	if err != nil || a4 == a3 {
		t.Fatalf("evicted entry was still served: %v", err)
	}
}
