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

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/search/searchtest"
)

// newOutboxDB returns a migrated database for tb.
func newOutboxDB(tb testing.TB) *bun.DB {
	tb.Helper()
	db := storagetest.NewDB(tb)
	if err := search.Migrate(context.Background(), db); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return db
}

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
	rollback := errors.New("rollback")
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := search.Enqueue(ctx, tx, search.IndexOp(searchtest.Doc(1, "Jalan rusak", ""))); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("RunInTx: %v", err)
	}
	mustPending(t, db, 0)
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return search.Enqueue(ctx, tx, search.IndexOp(searchtest.Doc(2, "Jalan rusak", "Usulan\x96air\xff")))
	}); err != nil {
		t.Fatal(err)
	}
	mustPending(t, db, 1)
	ix := &search.Indexer{DB: db, Index: idx}
	n, err := ix.Drain(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Drain = %d, %v; want 1, nil", n, err)
	}
	mustPending(t, db, 0)
	if ids := searchtest.IDs(searchtest.MustSearch(t, idx, search.Query{Text: "jalan"})); len(ids) != 1 || ids[0] != "proposal:2" {
		t.Errorf("after drain: %v", ids)
	}
	if n, err := ix.Drain(ctx); err != nil || n != 0 {
		t.Errorf("second Drain = %d, %v; want 0, nil", n, err)
	}
	if err := search.Enqueue(ctx, db, search.Op{Kind: "upsert", DocID: "x"}); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("bad op: %v", err)
	}
}

func TestOutboxNewestWins(t *testing.T) {
	ctx := context.Background()
	db := newOutboxDB(t)
	idx := newTestBleve(t)
	ops := []search.Op{
		search.IndexOp(searchtest.Doc(1, "Taman lama", "")),
		search.IndexOp(searchtest.Doc(2, "Halte bus", "")),
		search.IndexOp(searchtest.Doc(1, "Taman baru", "")),
		search.DeleteOp("proposal:2"),
		search.IndexOp(searchtest.Doc(3, "Halte kereta", "")),
	}
	if err := search.Enqueue(ctx, db, ops...); err != nil {
		t.Fatal(err)
	}
	ix := &search.Indexer{DB: db, Index: idx, Batch: 2}
	if _, err := ix.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	mustPending(t, db, 0)
	cases := []struct{ query, want string }{{"lama", ""}, {"baru", "proposal:1"}, {"halte", "proposal:3"}}
	for _, c := range cases {
		got := strings.Join(searchtest.IDs(searchtest.MustSearch(t, idx, search.Query{Text: c.query})), ",")
		if got != c.want {
			t.Errorf("search %q = %q, want %q", c.query, got, c.want)
		}
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
	ix := &search.Indexer{DB: db, Index: engine, Now: func() time.Time { return now }, Backoff: time.Second}
	if err := search.Enqueue(ctx, db,
		search.IndexOp(searchtest.Doc(1, "Usulan gagal", "")),
		search.IndexOp(searchtest.Doc(2, "Usulan gagal panik", "")),
		search.IndexOp(searchtest.Doc(3, "Usulan berhasil", ""))); err != nil {
		t.Fatal(err)
	}
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
	ix := &search.Indexer{DB: db, Index: idx, Notify: notify, Poll: time.Hour}
	go func() { done <- ix.Run(ctx) }()
	if err := search.Enqueue(ctx, db, search.IndexOp(searchtest.Doc(1, "Sumur bor", ""))); err != nil {
		t.Fatal(err)
	}
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
	idx := newTestBleve(t)
	searchtest.MustIndex(t, idx, searchtest.Doc(9999, "Dokumen basi", ""))
	source := func(yield func(search.Document) error) error {
		for i := 1; i <= 1201; i++ {
			d := searchtest.Doc(i, fmt.Sprintf("Usulan %d", i), "Perbaikan jalan desa.")
			if i == 600 {
				d.Visibility = "secret"
			}
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}
	n, err := search.Reindex(ctx, idx, source)
	if n != 1201 || !errors.Is(err, search.ErrInvalid) {
		t.Fatalf("Reindex = %d, %v; want 1201 and an ErrInvalid for the bad document", n, err)
	}
	if res := searchtest.MustSearch(t, idx, search.Query{Text: "jalan"}); res.Total != 1200 {
		t.Errorf("after reindex: %d documents, want 1200", res.Total)
	}
	if res := searchtest.MustSearch(t, idx, search.Query{Text: "basi"}); res.Total != 0 {
		t.Errorf("stale document survived reindex")
	}
	boom := errors.New("database gone")
	if _, err := search.Reindex(ctx, idx, func(func(search.Document) error) error { return boom }); !errors.Is(err, boom) {
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
