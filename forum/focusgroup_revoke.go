package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// GroupInvite is a live invitation of a focus group as its moderators see
// it: Key names it in a revoke form (the SHA-256 of its token, never the
// token, which is shown once when made), Email is "" for a link anyone
// signed in may use.
type GroupInvite struct {
	Key       string    `bun:"token_hash"`
	Email     string    `bun:"email"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// GroupInvites lists group g's invitations that can still be used (not
// expired, used or revoked), newest first, for the consultation's
// moderators (errs.Forbidden for anyone else).
func GroupInvites(ctx context.Context, db bun.IDB, v Viewer, g *FocusGroup, now time.Time) ([]GroupInvite, error) {
	if err := groupModerator(ctx, v, g); err != nil {
		return nil, err
	}
	var out []GroupInvite
	err := db.NewSelect().Table("focus_group_invites").Column("token_hash", "email", "created_at", "expires_at").
		Where("focus_group_id = ? AND expires_at > ? AND used_at IS NULL AND revoked_at IS NULL", g.ID, now).
		OrderExpr("created_at DESC, token_hash").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("invitations of group %d: %w", g.ID, err)
	}
	return out, nil
}

// RevokeInvite ends group g's invitation key (GroupInvite.Key) at once:
// from then on its link answers errs.NotFound "error.invite_revoked" to
// anyone, signed in or not, and members who joined through it stay (a
// moderator removes them). The revocation and its audit row are one
// transaction. Only the consultation's moderators may (errs.Forbidden); a
// key of another group, or one already revoked, used or expired, is
// errs.NotFound.
func (s *Store) RevokeInvite(ctx context.Context, v Viewer, g *FocusGroup, key string) error {
	if err := groupModerator(ctx, v, g); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := groupModerator(ctx, v, g); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE focus_group_invites SET revoked_at = ?
			WHERE token_hash = ? AND focus_group_id = ? AND revoked_at IS NULL AND used_at IS NULL AND expires_at > ?`, now, key, g.ID, now)
		if err != nil {
			return fmt.Errorf("revoke invitation of group %d: %w", g.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "error.invite_invalid", nil)
		}
		return audit(ctx, tx, v, "invite_revoke", "focus_group", g.ID, g.ConsultationID, "", now)
	})
}
