package bleve_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/search/searchtest"
)

// NewTestBleve returns an empty in-memory Bleve index closed by tb.Cleanup.
func newTestBleve(tb testing.TB) *bleve.Index {
	tb.Helper()
	b, err := bleve.NewMemory()
	if err != nil {
		tb.Fatalf("NewMemory: %v", err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

func TestBleveContract(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Index { return newTestBleve(t) })
}

func TestBleveOnDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "search")
	b, err := bleve.Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if !b.NeedsReindex() {
		t.Error("new index: NeedsReindex false")
	}
	searchtest.MustIndex(t, b, searchtest.Doc(1, "Memperbaiki jalan rusak", "Di depan pasar."))
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := b.Search(context.Background(), search.Query{}); err != search.ErrClosed {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
	b, err = bleve.Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer b.Close()
	if b.NeedsReindex() {
		t.Error("reopened index: NeedsReindex true")
	}
	if ids := searchtest.IDs(searchtest.MustSearch(t, b, search.Query{Text: "perbaikan jalan"})); len(ids) != 1 {
		t.Errorf("after reopen: %v", ids)
	}
	if err := b.DeleteAll(context.Background()); err != nil {
		t.Fatalf("DeleteAll: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		t.Errorf("index folder after DeleteAll: %v", err)
	}
	if res := searchtest.MustSearch(t, b, search.Query{}); res.Total != 0 {
		t.Errorf("after DeleteAll: %d documents", res.Total)
	}
}
