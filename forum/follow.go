package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Kinds of followed target.
const (
	FollowConsultation = "consultation"
	FollowProposal     = "proposal"
)

// Follow makes signed-in v follow (on) or stop following (off) the
// consultation c, or its proposal p when p is not nil: followers of a
// consultation hear of its new proposals, followers of a proposal of its
// comments and official answer. The target must be visible to v (Can read,
// errs.NotFound otherwise); guests get errs.Forbidden. Repeating is a no-op.
func (s *Store) Follow(ctx context.Context, v Viewer, c *Consultation, p *Proposal, on bool) error {
	if v.User == nil {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	kind, id, it := FollowConsultation, c.ID, Item{Kind: ItemConsultation, Consultation: c}
	if p != nil {
		kind, id, it = FollowProposal, p.ID, p.item(c)
	}
	if err := Can(ctx, v, ActRead, it); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActRead, it); err != nil {
			return err
		}
		var err error
		if on {
			_, err = tx.ExecContext(ctx, "INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				v.User.ID, kind, id, now)
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM follows WHERE user_id = ? AND target_kind = ? AND target_id = ?", v.User.ID, kind, id)
		}
		if err != nil {
			return fmt.Errorf("follow %s %d: %w", kind, id, err)
		}
		return nil
	})
}

// Following reports whether v follows target kind id (false for guests).
func Following(ctx context.Context, db bun.IDB, v Viewer, kind string, id int64) (bool, error) {
	if v.User == nil {
		return false, nil
	}
	n, err := db.NewSelect().Table("follows").Where("user_id = ? AND target_kind = ? AND target_id = ?", v.User.ID, kind, id).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("follows of user %d: %w", v.User.ID, err)
	}
	return n > 0, nil
}

// followers returns the ids of the users who follow target kind id.
func followers(ctx context.Context, db bun.IDB, kind string, id int64) ([]int64, error) {
	var ids []int64
	if err := db.NewSelect().Table("follows").Column("user_id").Where("target_kind = ? AND target_id = ?", kind, id).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("followers of %s %d: %w", kind, id, err)
	}
	return ids, nil
}
