package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// RefreshStatistics has the database re-read the row counts and value
// distributions of the participation tables (ANALYZE, on PostgreSQL and
// SQLite alike). Run it after a bulk load: until then PostgreSQL's
// planner believes a freshly filled table is empty (it estimated 1 row
// for 10,000 proposals) and sorts a whole consultation instead of
// reading one page from an index. Autovacuum catches up by itself, but
// only after a delay.
func RefreshStatistics(ctx context.Context, db bun.IDB) error {
	for _, t := range []string{"proposals", "comments", "supports"} {
		if _, err := db.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}
