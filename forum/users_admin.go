package forum

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Audit actions of user management, shown in the audit log under
// "audit.action.<action>".
const (
	AuditUserRole    = "user_role"    // reason: "old→new"
	AuditUserBlock   = "user_block"   // site-wide block; reason given by the admin
	AuditUserUnblock = "user_unblock" // site-wide block lifted
)

// UserRow is one user in the user management list: the account, its
// verified phone number (E.164, "" for none) and whether the user is
// blocked site-wide.
type UserRow struct {
	User
	Phone   string `bun:"phone"`
	Blocked bool   `bun:"blocked"`
}

// MaxUserRows bounds one page of the user list.
const MaxUserRows = 100

// ListUsers lists, newest first, at most MaxUserRows accounts that are not
// deleted and whose display name, email or phone number contains query
// (case-insensitive; "" lists all). A phone query may be written in any
// local form ("0812…", "62812…", "+62 812…"): its digits are matched
// against the E.164 number without the "+". Admins only (errs.Forbidden).
func ListUsers(ctx context.Context, db bun.IDB, v Viewer, query string) ([]UserRow, error) {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return nil, err
	}
	var rows []UserRow
	q := db.NewSelect().TableExpr("users AS u").ColumnExpr("u.*").
		ColumnExpr("(SELECT MIN(i.subject) FROM identities AS i WHERE i.user_id = u.id AND i.provider = 'phone') AS phone").
		ColumnExpr(`EXISTS (SELECT 1 FROM blocks AS b JOIN participants AS p ON p.id = b.participant_id
			WHERE b.consultation_id = 0 AND p.kind = ? AND p.source = ? AND p.source_key = CAST(u.id AS TEXT)) AS blocked`,
			ParticipantUser, ParticipantUser).
		Where("u.deleted_at IS NULL").Order("u.id DESC").Limit(MaxUserRows)
	if query = strings.TrimSpace(query); query != "" {
		like := "%" + escapeLike(strings.ToLower(query)) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("LOWER(u.display_name) LIKE ? ESCAPE '\\'", like).WhereOr("LOWER(u.email) LIKE ? ESCAPE '\\'", like)
			if digits := phoneDigits(query); len(digits) >= 4 {
				q = q.WhereOr("EXISTS (SELECT 1 FROM identities AS i WHERE i.user_id = u.id AND i.provider = 'phone' AND i.subject LIKE ?)",
					"%"+digits+"%")
			}
			return q
		})
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return rows, nil
}

// phoneDigits is the part of a phone query to match against E.164
// subjects: its digits, with an Indonesian trunk "0" replaced by the
// country code 62 (0812… is +62812…).
func phoneDigits(q string) string {
	var b strings.Builder
	for _, r := range q {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r != ' ' && r != '-' && r != '+' && r != '(' && r != ')' && r != '.' {
			return ""
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "0") {
		d = "62" + d[1:]
	}
	return d
}

// escapeLike escapes LIKE's wildcards in s (the ESCAPE character is '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// SetRole gives user id the global role (RoleAdmin, RoleModerator,
// RoleAnalyst or RoleParticipant) for admin v, in one transaction with its
// audit entry (AuditUserRole, reason "old→new"), then runs the
// access-change hook for every consultation (OnAccessChange). Errors: errs.Forbidden
// for a non-admin and for an admin changing their own role (so the last
// admin cannot lock the site out by mistake), errs.Invalid for an unknown
// role, errs.ErrNotFound for a missing or deleted user (UserByID).
func (s *Store) SetRole(ctx context.Context, v Viewer, id int64, role string) error {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return err
	}
	if !ValidRole(role) {
		return errs.E(errs.Invalid, "error.role_invalid", nil)
	}
	if v.User.ID == id {
		return errs.E(errs.Forbidden, "error.own_role", nil)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
			return err
		}
		u, err := UserByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		if _, err := tx.NewUpdate().Table("users").Set("role = ?", role).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("set role of user %d: %w", id, err)
		}
		return audit(ctx, tx, v, AuditUserRole, "user", id, 0, u.Role+"→"+role, now)
	})
	if err == nil {
		s.accessChangedEverywhere(ctx)
	}
	return err
}

// accessChangedEverywhere runs the access-change hook for every
// consultation, after a site-wide change (a global role, a site-wide
// block) that can take rights away in all of them.
func (s *Store) accessChangedEverywhere(ctx context.Context) {
	if s.accessChange == nil {
		return
	}
	var ids []int64
	if err := s.db.NewSelect().Table("consultations").Column("id").Scan(ctx, &ids); err != nil {
		return // the hook only speeds re-checks up; sockets re-check on their own schedule too
	}
	for _, id := range ids {
		s.accessChanged(ctx, id)
	}
}

// SetUserBlocked blocks (blocked true) or unblocks user id site-wide for
// admin v: their participant may take part in no consultation, as a
// moderator's block_site does. It runs in one transaction with its audit
// entry (AuditUserBlock with reason, AuditUserUnblock). Errors:
// errs.Forbidden for a non-admin, for blocking oneself and for blocking a
// staff member (change their role first), errs.Invalid for a block without
// a reason, errs.ErrNotFound for a missing or deleted user (UserByID). Blocking a
// blocked user or unblocking one who is not blocked changes nothing and
// writes no audit entry.
func (s *Store) SetUserBlocked(ctx context.Context, v Viewer, id int64, blocked bool, reason string) error {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return err
	}
	reason, err := longText(reason, "reason", 0, MaxReasonRunes)
	if err != nil {
		return err
	}
	if blocked && reason == "" {
		return errs.E(errs.Invalid, "error.reason_required", nil)
	}
	if blocked && v.User.ID == id {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
			return err
		}
		u, err := UserByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if blocked && u.Staff() {
			return errs.E(errs.Forbidden, "error.block_staff", nil)
		}
		p, err := EnsureParticipant(ctx, tx, ParticipantUser, ParticipantUser, strconv.FormatInt(id, 10), now)
		if err != nil {
			return err
		}
		var res interface{ RowsAffected() (int64, error) }
		action := AuditUserUnblock
		if blocked {
			action = AuditUserBlock
			if err := lockParticipant(ctx, tx, p.ID); err != nil {
				return err
			}
			res, err = tx.ExecContext(ctx, "INSERT INTO blocks (participant_id, consultation_id, reason, blocked_by, created_at) VALUES (?, 0, ?, ?, ?) ON CONFLICT DO NOTHING",
				p.ID, reason, v.User.ID, now)
		} else {
			res, err = tx.ExecContext(ctx, "DELETE FROM blocks WHERE participant_id = ? AND consultation_id = 0", p.ID)
		}
		if err != nil {
			return fmt.Errorf("%s %d: %w", action, id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return audit(ctx, tx, v, action, "user", id, 0, reason, now)
	})
	if err == nil && blocked {
		s.accessChangedEverywhere(ctx)
	}
	return err
}
