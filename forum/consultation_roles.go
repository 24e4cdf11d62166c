package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Per-consultation roles: a user named moderator of one consultation
// moderates it (Viewer.Moderates), one named analyst reads its reports,
// exports and queue (Viewer.AnalyzesIn). Global roles are set with
// SetRole.
const (
	ConsultationModerator = "moderator"
	ConsultationAnalyst   = "analyst"
)

// Audit actions of per-consultation roles; the reason is the role.
const (
	AuditRoleAdd    = "consultation_role_add"
	AuditRoleRemove = "consultation_role_remove"
)

// roleTables maps a per-consultation role to its table.
var roleTables = map[string]string{
	ConsultationModerator: "consultation_moderators",
	ConsultationAnalyst:   "consultation_analysts",
}

// ConsultationRole is a user named for a consultation in Role.
type ConsultationRole struct {
	Role string
	User User
}

// ConsultationRoles lists the moderators and analysts named for
// consultation c (by role, then name), for v who administers it
// (errs.Forbidden otherwise).
func ConsultationRoles(ctx context.Context, db bun.IDB, v Viewer, c *Consultation) ([]ConsultationRole, error) {
	if err := Can(ctx, v, ActAdminister, c.Item()); err != nil {
		return nil, err
	}
	var out []ConsultationRole
	for _, role := range []string{ConsultationModerator, ConsultationAnalyst} {
		var us []User
		err := db.NewSelect().Model(&us).
			Where("id IN (SELECT user_id FROM "+roleTables[role]+" WHERE consultation_id = ?) AND deleted_at IS NULL", c.ID).
			Order("display_name", "id").Scan(ctx)
		if err != nil {
			return nil, fmt.Errorf("%ss of consultation %d: %w", role, c.ID, err)
		}
		for _, u := range us {
			out = append(out, ConsultationRole{Role: role, User: u})
		}
	}
	return out, nil
}

// SetConsultationRole names (on true) or un-names (on false) user id as
// role (ConsultationModerator or ConsultationAnalyst) of consultation c,
// for v who administers it, in one transaction with its audit entry
// (AuditRoleAdd or AuditRoleRemove, reason the role). Naming someone
// already named, or removing someone who is not, changes nothing and
// writes no entry. A removal runs the access-change hook after the
// commit (OnAccessChange). Errors: errs.Forbidden, errs.Invalid for another role,
// errs.ErrNotFound for a missing or deleted user.
func (s *Store) SetConsultationRole(ctx context.Context, v Viewer, c *Consultation, id int64, role string, on bool) error {
	if err := Can(ctx, v, ActAdminister, c.Item()); err != nil {
		return err
	}
	table, ok := roleTables[role]
	if !ok {
		return errs.E(errs.Invalid, "error.role_invalid", nil)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, c.Item()); err != nil {
			return err
		}
		if _, err := UserByID(ctx, tx, id); err != nil {
			return err
		}
		q, action := "INSERT INTO "+table+" (consultation_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", AuditRoleAdd
		if !on {
			q, action = "DELETE FROM "+table+" WHERE consultation_id = ? AND user_id = ?", AuditRoleRemove
		}
		res, err := tx.ExecContext(ctx, q, c.ID, id)
		if err != nil {
			return fmt.Errorf("%s %s %d in %d: %w", action, role, id, c.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return audit(ctx, tx, v, action, "user", id, c.ID, role, now)
	})
	if err == nil && !on {
		s.accessChanged(ctx, c.ID)
	}
	return err
}
