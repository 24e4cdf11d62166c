package main

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rembug/rembug/forum/storage"
)

// TestMigrateConcurrently starts three `rembug migrate` at once on one empty
// database, as three nodes starting together would: every one succeeds and
// every package's steps are recorded exactly once. On PostgreSQL the
// advisory lock (storage.WithMigrationLock) is what keeps them apart.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	args := append([]string{"migrate"}, dbArgs(t, t.TempDir())...)
	var wg sync.WaitGroup
	errc := make(chan error, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out bytes.Buffer
			if err := run(ctx, args, &out, &out); err != nil {
				errc <- fmt.Errorf("%v: %s", err, out.String())
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Errorf("concurrent migrate: %v", err)
	}
	cfg, _, err := parse("migrate", args[1:], &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(ctx, storage.Config{URL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, set := range []string{"search", "forum", "complaint", "polls", "live"} {
		var total, distinct int
		q := fmt.Sprintf("SELECT COUNT(*), COUNT(DISTINCT name) FROM %s_migrations", set)
		if err := db.QueryRowContext(ctx, q).Scan(&total, &distinct); err != nil {
			t.Fatalf("%s: %v", set, err)
		}
		if total == 0 || total != distinct {
			t.Errorf("%s_migrations: %d rows for %d steps, want each step once", set, total, distinct)
		}
	}
}
