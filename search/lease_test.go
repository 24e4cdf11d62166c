package search_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/searchtest"
)

// gated is an engine shared by several nodes (as Meilisearch is) whose
// first Index call waits until open is closed, and which counts how many
// calls ever ran at once.
type gated struct {
	*engine
	entered, open chan struct{}
	first         atomic.Bool
	inFlight, max atomic.Int32
}

func (g *gated) Index(ctx context.Context, docs ...search.Document) error {
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		m := g.max.Load()
		if n <= m || g.max.CompareAndSwap(m, n) {
			break
		}
	}
	if g.first.CompareAndSwap(false, true) {
		close(g.entered)
		<-g.open
	}
	return g.engine.Index(ctx, docs...)
}

// TestOutboxQueueLease: two nodes in queue mode (a shared engine) never
// drain at once. While node a is applying, node b's drain returns at once
// and leaves the rows to a, and b's rebuild waits until a is done.
func TestOutboxQueueLease(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	if !storage.Postgres(db) {
		t.Skip("the lease is a PostgreSQL advisory lock; on SQLite there is one node")
	}
	shared := &gated{engine: newTestBleve(t), entered: make(chan struct{}), open: make(chan struct{})}
	a := &search.Indexer{DB: db, Index: shared, Sources: noteSources(t)}
	b := &search.Indexer{DB: db, Index: shared, Sources: noteSources(t)}
	addNote(t, db, "Jalan rusak", 0)
	addNote(t, db, "Lampu padam", 0)

	aDone := make(chan int, 1)
	go func() {
		n, err := a.Drain(ctx)
		if err != nil {
			t.Errorf("node a: %v", err)
		}
		aDone <- n
	}()
	var release sync.Once
	open := func() { release.Do(func() { close(shared.open) }) }
	t.Cleanup(open)  // a failed check must not leave node a waiting
	<-shared.entered // node a holds the lease and is inside the engine
	bCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if n, err := b.Drain(bCtx); n != 0 || err != nil {
		t.Fatalf("node b drained %d, %v while a held the lease; want 0, nil", n, err)
	}
	mustPending(t, db, 2)

	bRebuilt := make(chan int, 1)
	go func() {
		n, err := b.Rebuild(ctx)
		if err != nil {
			t.Errorf("node b rebuild: %v", err)
		}
		bRebuilt <- n
	}()
	select {
	case n := <-bRebuilt:
		t.Fatalf("node b rebuilt %d documents while a held the lease", n)
	case <-time.After(600 * time.Millisecond):
	}
	open()
	if n := <-aDone; n != 2 {
		t.Errorf("node a applied %d, want 2", n)
	}
	if n := <-bRebuilt; n != 2 {
		t.Errorf("node b rebuilt %d documents, want 2", n)
	}
	mustPending(t, db, 0)
	if got := shared.max.Load(); got != 1 {
		t.Errorf("%d engine calls at once, want 1", got)
	}
	if res := searchtest.MustSearch(t, shared, search.Query{}); res.Total != 2 {
		t.Errorf("indexed %d documents, want 2", res.Total)
	}
}
