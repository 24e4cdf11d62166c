package search_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/search/searchtest"
)

func mustPending(tb testing.TB, db *bun.DB, want int) {
	tb.Helper()
	n, err := search.Pending(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	if n != want {
		tb.Errorf("pending %d, want %d", n, want)
	}
}

func TestOutboxCommitsWithTransaction(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	idx := newTestBleve(t)
	ix := &search.Indexer{DB: db, Index: idx, Sources: noteSources(t)}
	rollback := errors.New("rollback")
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		addNote(t, tx, "Jalan rusak", 0)
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("RunInTx: %v", err)
	}
	mustPending(t, db, 0)
	id := addNote(t, db, "Jalan rusak \x96air\xff", 0)
	mustPending(t, db, 1)
	if n, err := ix.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("Drain = %d, %v; want 1, nil", n, err)
	}
	mustPending(t, db, 0)
	want := search.DocID(search.KindProposal, id)
	if ids := searchtest.IDs(searchtest.MustSearch(t, idx, search.Query{Text: "jalan"})); len(ids) != 1 || ids[0] != want {
		t.Errorf("after drain: %v", ids)
	}
	if n, err := ix.Drain(ctx); err != nil || n != 0 {
		t.Errorf("second Drain = %d, %v; want 0, nil", n, err)
	}
	steps := []struct {
		name, sql string
		pending   int
		query     string
		found     int
	}{
		{"column not indexed", "UPDATE notes SET views = views + 1", 0, "jalan", 1},
		{"title", "UPDATE notes SET title = 'Halte bus'", 1, "halte", 1},
		{"hidden", "UPDATE notes SET visibility = 'hidden'", 1, "halte", 0},
		{"restored", "UPDATE notes SET visibility = 'public'", 1, "halte", 1},
		{"deleted", "DELETE FROM notes", 1, "halte", 0},
	}
	for _, s := range steps {
		mustExec(t, db, s.sql)
		mustPending(t, db, s.pending)
		if _, err := ix.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if got := searchtest.MustSearch(t, idx, search.Query{Text: s.query}).Total; got != s.found {
			t.Errorf("%s: search %q found %d, want %d", s.name, s.query, got, s.found)
		}
	}
	if err := search.Enqueue(ctx, db, "x"); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("bad document ID: %v", err)
	}
}

func TestOutboxFollows(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	idx := newTestBleve(t)
	ix := &search.Indexer{DB: db, Index: idx, Sources: noteSources(t), Batch: 2}
	mustExec(t, db, "INSERT INTO topics (id, hidden) VALUES (7, FALSE)")
	addNote(t, db, "Taman kota", 7)
	addNote(t, db, "Taman desa", 7)
	addNote(t, db, "Taman lain", 0)
	if _, err := ix.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := searchtest.MustSearch(t, idx, search.Query{Text: "taman"}).Total; got != 3 {
		t.Fatalf("indexed %d, want 3", got)
	}
	mustExec(t, db, "UPDATE topics SET hidden = TRUE WHERE id = 7")
	mustPending(t, db, 1) // one notice, no document of its own
	if _, err := ix.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	mustPending(t, db, 0)
	if got := searchtest.MustSearch(t, idx, search.Query{Text: "taman"}).Total; got != 1 {
		t.Errorf("after hiding the topic: %d found, want 1", got)
	}
}

// engine names the embedded engine of flaky.
type engine = bleve.Index

// flaky fails or panics on documents whose title holds "gagal" until
// healed.
type flaky struct {
	*engine
	mu     sync.Mutex
	healed bool
	calls  int
}

func (f *flaky) Index(ctx context.Context, docs ...search.Document) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	for _, d := range docs {
		if !f.healed && strings.Contains(d.Title, "gagal") {
			if strings.Contains(d.Title, "panik") {
				panic("engine bug")
			}
			return fmt.Errorf("engine down")
		}
	}
	return f.engine.Index(ctx, docs...)
}

func TestOutboxRetriesWithBackoff(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	engine := &flaky{engine: newTestBleve(t)}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ix := &search.Indexer{DB: db, Index: engine, Sources: noteSources(t), Now: func() time.Time { return now }, Backoff: time.Second}
	addNote(t, db, "Usulan gagal", 0)
	addNote(t, db, "Usulan gagal panik", 0)
	addNote(t, db, "Usulan berhasil", 0)
	steps := []struct {
		name      string
		advance   time.Duration
		heal      bool
		applied   int
		pending   int
		attempts  int
		lastError string
	}{
		{"first try", 0, false, 1, 2, 1, "engine down"},
		{"held back", 500 * time.Millisecond, false, 0, 2, 1, "engine down"},
		{"second try", time.Second, false, 0, 2, 2, "engine down"},
		{"healed", 2 * time.Second, true, 2, 0, 0, ""},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		engine.mu.Lock()
		engine.healed = s.heal
		engine.mu.Unlock()
		n, err := ix.Drain(ctx)
		if err != nil || n != s.applied {
			t.Fatalf("%s: Drain = %d, %v; want %d", s.name, n, err, s.applied)
		}
		mustPending(t, db, s.pending)
		var attempts int
		var lastError string
		if s.pending > 0 {
			if err := db.NewRaw("SELECT attempts, last_error FROM search_outbox WHERE doc_id = 'proposal:1'").Scan(ctx, &attempts, &lastError); err != nil {
				t.Fatal(err)
			}
			var panicErr string
			if err := db.NewRaw("SELECT last_error FROM search_outbox WHERE doc_id = 'proposal:2'").Scan(ctx, &panicErr); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(panicErr, "panic: engine bug") {
				t.Errorf("%s: panic recorded as %q", s.name, panicErr)
			}
		}
		if attempts != s.attempts || !strings.Contains(lastError, s.lastError) {
			t.Errorf("%s: attempts %d last_error %q; want %d, %q", s.name, attempts, lastError, s.attempts, s.lastError)
		}
	}
	if res := searchtest.MustSearch(t, engine, search.Query{}); res.Total != 3 {
		t.Errorf("indexed %d documents, want 3", res.Total)
	}
}

func TestIndexerRunWakesOnNotify(t *testing.T) {
	db := newOutboxDB(t)
	idx := newTestBleve(t)
	notify := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ix := &search.Indexer{DB: db, Index: idx, Sources: noteSources(t), Notify: notify, Poll: time.Hour}
	go func() { done <- ix.Run(ctx) }()
	addNote(t, db, "Sumur bor", 0)
	notify <- struct{}{}
	deadline := time.Now().Add(5 * time.Second)
	for searchtest.MustSearch(t, idx, search.Query{Text: "sumur"}).Total != 1 {
		if time.Now().After(deadline) {
			t.Fatal("document not indexed within 5 s of the notification")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
}

func TestReindex(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	idx := newTestBleve(t)
	searchtest.MustIndex(t, idx, searchtest.Doc(9999, "Dokumen basi", ""))
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i := 1; i <= 1201; i++ {
			addNote(t, tx, fmt.Sprintf("Usulan %d perbaikan jalan desa", i), 0)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "UPDATE notes SET visibility = 'secret' WHERE id = 600")
	mustExec(t, db, "UPDATE notes SET visibility = 'hidden' WHERE id = 601")
	n, err := search.Reindex(ctx, idx, db, noteSources(t))
	if n != 1200 || !errors.Is(err, search.ErrInvalid) {
		t.Fatalf("Reindex = %d, %v; want 1200 and an ErrInvalid for the bad document", n, err)
	}
	if res := searchtest.MustSearch(t, idx, search.Query{Text: "jalan"}); res.Total != 1199 {
		t.Errorf("after reindex: %d documents, want 1199", res.Total)
	}
	if res := searchtest.MustSearch(t, idx, search.Query{Text: "basi"}); res.Total != 0 {
		t.Errorf("stale document survived reindex")
	}
	boom := errors.New("database gone")
	broken, err := search.NewRegistry(search.Source{Kind: search.KindProposal,
		Load: func(context.Context, bun.IDB, []int64) ([]search.Record, error) { return nil, boom },
		Scan: func(context.Context, bun.IDB, int64, int) ([]search.Record, error) { return nil, boom }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := search.Reindex(ctx, idx, db, broken); !errors.Is(err, boom) {
		t.Errorf("source error: %v", err)
	}
}

// newTestBleve returns an empty in-memory Bleve index closed by tb.Cleanup.
func newTestBleve(tb testing.TB) *bleve.Index {
	tb.Helper()
	b, err := bleve.NewMemory()
	if err != nil {
		tb.Fatalf("NewMemory: %v", err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}
