package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// AuditEntry is one line of the audit log: who (a user id, 0 for the
// system, e.g. hiding after reports), what (action on a target), when and
// why.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ActorUserID    int64     `bun:"actor_user_id,notnull" json:"actor_user_id"`
	Action         string    `bun:"action,notnull" json:"action"`
	TargetKind     string    `bun:"target_kind,notnull" json:"target_kind"`
	TargetID       int64     `bun:"target_id,notnull" json:"target_id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"consultation_id"`
	Reason         string    `bun:"reason,notnull" json:"reason"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
}

// audit appends an entry for v's action, in the caller's transaction.
func audit(ctx context.Context, db bun.IDB, v Viewer, action, kind string, id, cons int64, reason string, now time.Time) error {
	e := &AuditEntry{Action: action, TargetKind: kind, TargetID: id, ConsultationID: cons, Reason: reason, CreatedAt: now}
	if v.User != nil {
		e.ActorUserID = v.User.ID
	}
	if _, err := db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Audit appends an entry for v's action on target (kind, id) of
// consultation cons (0 for none) at now, in tx: the transaction of the
// write it records, so the two commit or roll back together. The Stores of
// other domain packages (polls, live) call it inside their own
// transactions; it takes a bun.Tx so that it cannot be called outside one.
func Audit(ctx context.Context, tx bun.Tx, v Viewer, action, kind string, id, cons int64, reason string, now time.Time) error {
	return audit(ctx, tx, v, action, kind, id, cons, reason, now)
}

// AuditLog returns the newest limit entries (at most 500); admins only
// (errs.Forbidden otherwise).
func AuditLog(ctx context.Context, db bun.IDB, v Viewer, limit int) ([]AuditEntry, error) {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	var es []AuditEntry
	if err := db.NewSelect().Model(&es).Order("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return es, nil
}
