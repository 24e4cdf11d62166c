package search_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/search"
)

// TestOutboxLogPerNode: two nodes, each with its own Bleve index, read one
// outbox with their own cursors. A change reaches both indexes; a row stays
// until both have applied it; a node away longer than Retention is left
// behind by pruning and reindexes when it comes back.
func TestOutboxLogPerNode(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	idxA, idxB := newTestBleve(t), newTestBleve(t)
	now := time.Now()
	a := &search.Indexer{DB: db, Index: idxA, Sources: noteSources(t), Node: "a", Now: func() time.Time { return now }}
	b := &search.Indexer{DB: db, Index: idxB, Sources: noteSources(t), Node: "b", Now: func() time.Time { return now }}
	drain := func(ix *search.Indexer) {
		t.Helper()
		if _, err := ix.Drain(ctx); err != nil {
			t.Fatalf("drain %s: %v", ix.Node, err)
		}
	}
	hits := func(ix *search.Indexer, q string) int {
		t.Helper()
		res, err := ix.Index.Search(ctx, search.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	drain(a)
	drain(b) // both nodes have cursors

	addNote(t, db, "Jalan rusak di Wonokromo", 0)
	drain(a)
	if hits(a, "jalan") != 1 || hits(b, "jalan") != 0 {
		t.Fatalf("after node a drained: a %d, b %d hits", hits(a, "jalan"), hits(b, "jalan"))
	}
	mustPending(t, db, 1) // kept for node b
	drain(b)
	if hits(b, "jalan") != 1 {
		t.Fatalf("node b: %d hits", hits(b, "jalan"))
	}
	mustPending(t, db, 0) // both passed: pruned

	mustExec(t, db, "UPDATE notes SET title = 'Halte bus rusak'")
	drain(b)
	drain(a)
	for _, ix := range []*search.Indexer{a, b} {
		if hits(ix, "halte") != 1 || hits(ix, "wonokromo") != 0 {
			t.Errorf("node %s after the edit: halte %d, wonokromo %d", ix.Node, hits(ix, "halte"), hits(ix, "wonokromo"))
		}
	}

	// Node b goes away for two hours; node a goes on and prunes without it.
	now = now.Add(2 * time.Hour)
	addNote(t, db, "Lampu jalan padam", 0)
	drain(a)
	mustPending(t, db, 0)
	if hits(b, "lampu") != 0 {
		t.Fatal("node b found a note it never applied")
	}
	drain(b) // behind the pruned log: reindexes
	if hits(b, "lampu") != 1 || hits(b, "halte") != 1 {
		t.Errorf("node b after coming back: lampu %d, halte %d", hits(b, "lampu"), hits(b, "halte"))
	}
	addNote(t, db, "Taman kota", 0)
	drain(b)
	if hits(b, "taman") != 1 {
		t.Errorf("node b after its reindex: taman %d", hits(b, "taman"))
	}
	mustPending(t, db, 1) // node a has not applied it yet
}
