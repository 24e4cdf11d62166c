package polls_test

import (
	"context"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/search"
)

// TestMigrationsUpDownUp is CASES C24 for search's, forum's and polls' steps: every
// step applies, rolls back and applies again on a fresh database, on SQLite
// and PostgreSQL alike.
func TestMigrationsUpDownUp(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	sets := []struct {
		name  string
		steps []storage.Migration
	}{{search.MigrationSet, search.Migrations}, {"forum", forum.Migrations}, {"polls", polls.Migrations}} // forum's and polls' triggers write to search's outbox
	for _, s := range sets {
		if err := storage.Migrate(ctx, db, s.name, s.steps); err != nil {
			t.Fatalf("up %s: %v", s.name, err)
		}
	}
	for i := len(sets) - 1; i >= 0; i-- {
		if err := storage.Rollback(ctx, db, sets[i].name, sets[i].steps); err != nil {
			t.Fatalf("down %s: %v", sets[i].name, err)
		}
	}
	for _, s := range sets {
		if err := storage.Migrate(ctx, db, s.name, s.steps); err != nil {
			t.Fatalf("up again %s: %v", s.name, err)
		}
	}
}
