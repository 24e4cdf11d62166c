package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
)

// cleanupMigrations drop what no rule reads and carry older rows over to
// the rules that replaced their shape.
var cleanupMigrations = []storage.Migration{
	{
		// The stored report counters of proposals and comments counted
		// guests' reports too, while auto-hide counts account reports
		// only (accountFlags) and the queue reads the flags rows: the
		// flags table is the one source, so the counters go.
		Name: "20261203073000", Comment: "drop_proposal_comment_flag_counters",
		Up: []string{`ALTER TABLE proposals DROP COLUMN flags`, `ALTER TABLE comments DROP COLUMN flags`},
		Down: []string{
			`ALTER TABLE proposals ADD COLUMN flags INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE comments ADD COLUMN flags INTEGER NOT NULL DEFAULT 0`,
		},
	},
	{
		// Removals recorded before they were kept per identity
		// (20261202120500) live only as focus_group_members.removed_at
		// under the old user id: key them by that user's verified
		// identities as they are now, so a removed member who deletes the
		// account and signs in again with the same identity is still
		// refused. A user already deleted has no identities left to key.
		Name: "20261203073100", Comment: "backfill_focus_group_removal_identities",
		Data: backfillRemovals,
	},
}

// backfillRemovals records, in tx, every member removed from a focus group
// under each of their identity hashes (recordRemoval), at the time of the
// removal.
func backfillRemovals(ctx context.Context, tx bun.Tx) error {
	var rows []struct {
		GroupID   int64     `bun:"focus_group_id"`
		UserID    int64     `bun:"user_id"`
		RemovedAt time.Time `bun:"removed_at"`
	}
	err := tx.NewSelect().Table("focus_group_members").Column("focus_group_id", "user_id", "removed_at").
		Where("removed_at IS NOT NULL").Order("focus_group_id", "user_id").Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("removed members: %w", err)
	}
	for _, r := range rows {
		if err := recordRemoval(ctx, tx, r.GroupID, r.UserID, r.RemovedAt); err != nil {
			return err
		}
	}
	return nil
}
