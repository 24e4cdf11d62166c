package web

import (
	"context"
	"fmt"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/draft"
	"github.com/rembug/rembug/forum/meeting"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/forum/reach"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/token"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/uptrace/bun"
)

// Migrate applies the migrations of every package whose tables the server
// reads, in dependency order: search's outbox first, which the others'
// triggers write to, then forum, since the others reference its tables. Each package still owns its steps; this is only the one list of
// them, shared by `rembug migrate`, `rembug serve` and the tests. The whole
// list runs under storage.WithMigrationLock, so nodes that start together on
// an empty PostgreSQL database apply it once: the first takes the lock, the
// others wait and then find every step applied.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.WithMigrationLock(ctx, db, func() error { return migrateAll(ctx, db) })
}

func migrateAll(ctx context.Context, db *bun.DB) error {
	steps := []struct {
		name string
		run  func(context.Context, *bun.DB) error
	}{{"search", search.Migrate}, {"forum", forum.Migrate}, {"rancangan", rancangan.Migrate}, {"meeting", meeting.Migrate}, {"reach", reach.Migrate}, {"complaint", complaint.Migrate}, {"token", token.Migrate}, {"polls", polls.Migrate}, {"live", live.Migrate},
		{"messaging", messaging.Migrate}, {"indicators", indicators.Migrate}, {"evaluation", evaluation.Migrate}, {"otp", otp.Migrate}, {"draft", draft.Migrate}}
	for _, s := range steps {
		if err := s.run(ctx, db); err != nil {
			return fmt.Errorf("migrate %s: %w", s.name, err)
		}
	}
	return nil
}
