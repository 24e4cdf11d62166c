package complaint

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Staff notification kinds: what an in-app notification about a complaint
// tells its recipient.
const (
	NotifyNew      = "new"      // a complaint was received: the complaint desk
	NotifyRouted   = "routed"   // routed or forwarded to an agency: its officers
	NotifyAssigned = "assigned" // assigned to the recipient
	NotifyOverdue  = "overdue"  // past its stage's target: the desk and the routed agencies' officers
)

// StaffNotification is one in-app notification of a staff member about a
// complaint. It stores ids only; whether the recipient may see the
// complaint is judged when it is made and again when it is shown.
type StaffNotification struct {
	bun.BaseModel `bun:"table:complaint_notifications,alias:n"`

	ID          int64      `bun:"id,pk,autoincrement"`
	UserID      int64      `bun:"user_id,notnull"`
	ComplaintID int64      `bun:"complaint_id,notnull"`
	Kind        string     `bun:"kind,notnull"`
	CreatedAt   time.Time  `bun:"created_at,notnull"`
	ReadAt      *time.Time `bun:"read_at"`
}

// staffNotice is who a change notifies: the complaint desk, the officers of
// some agencies, or named users, all with one kind.
type staffNotice struct {
	kind     string
	desk     bool
	agencies []int64
	users    []int64
}

// notifyStaff stores, in tx, one notification per recipient of ns, never
// for the actor, and only for recipients who may handle the complaint now
// (Access: ItemComplaintHandling read through forum.Can, with the
// recipients' rights read in tx). A recipient named twice gets one. The
// recipients' rights are read in one batch (forum.LoadViewers) and the
// notifications written in one insert, so a desk of 50 costs a few
// queries, not a few per member.
func (s *Store) notifyStaff(ctx context.Context, tx bun.Tx, actor Actor, c *Complaint, ns []staffNotice, now time.Time) error {
	seen := map[int64]bool{actor.UserID(): true}
	var out []StaffNotification
	for _, n := range ns {
		ids := slices.Clone(n.users)
		if n.desk {
			var desk []int64
			if err := tx.NewSelect().Table("users").Column("id").Where("role IN (?, ?) AND deleted_at IS NULL",
				forum.RoleAdmin, forum.RoleModerator).Order("id").Scan(ctx, &desk); err != nil {
				return fmt.Errorf("complaint desk: %w", err)
			}
			ids = append(ids, desk...)
		}
		if len(n.agencies) > 0 {
			var off []int64
			if err := tx.NewSelect().Table("agency_officers").Column("user_id").Where("agency_id IN (?)", bun.In(n.agencies)).
				Order("user_id").Scan(ctx, &off); err != nil {
				return fmt.Errorf("officers of %v: %w", n.agencies, err)
			}
			ids = append(ids, off...)
		}
		fresh := ids[:0]
		for _, id := range ids {
			if id != 0 && !seen[id] {
				seen[id] = true
				fresh = append(fresh, id)
			}
		}
		viewers, err := forum.LoadViewers(ctx, tx, fresh)
		if err != nil {
			return fmt.Errorf("recipients of %s: %w", c.Number, err)
		}
		for _, id := range fresh {
			if v, ok := viewers[id]; ok && s.Access(Actor{Viewer: v}, c).Internal {
				out = append(out, StaffNotification{UserID: id, ComplaintID: c.ID, Kind: n.kind, CreatedAt: now})
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&out).Exec(ctx); err != nil {
		return fmt.Errorf("notify %d staff of %s: %w", len(out), c.Number, err)
	}
	return nil
}

// handles reports whether user id, with the rights read in db, may handle c
// (read its internal part: the desk and its routed agencies' officers).
func (s *Store) handles(ctx context.Context, db bun.IDB, id int64, c *Complaint) (bool, error) {
	u, err := forum.UserByID(ctx, db, id)
	if errs.KindOf(err) == errs.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !u.DeletedAt.IsZero() {
		return false, nil
	}
	v, err := forum.LoadViewer(ctx, db, u, 0)
	if err != nil {
		return false, fmt.Errorf("rights of user %d: %w", id, err)
	}
	return s.Access(Actor{Viewer: v}, c).Internal, nil
}

// StaffNotice is a notification as its recipient sees it.
type StaffNotice struct {
	ID        int64
	Number    string // the complaint's tracking number
	Kind      string // NotifyNew, NotifyRouted, NotifyAssigned, NotifyOverdue
	CreatedAt time.Time
	Unread    bool
}

// visibleStaffNotifications narrows q (complaint_notifications n) to
// complaints the recipient may handle now: the SQL form of the access
// rule's ItemComplaintHandling read (the desk, or an officer of an agency
// the complaint is routed to). Listing passes each through Access as well.
func visibleStaffNotifications(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where(`(EXISTS (SELECT 1 FROM users AS u WHERE u.id = n.user_id AND u.role IN (?, ?))
		OR EXISTS (SELECT 1 FROM complaint_routes AS r JOIN agency_officers AS o ON o.agency_id = r.agency_id
			WHERE r.complaint_id = n.complaint_id AND o.user_id = n.user_id))`, forum.RoleAdmin, forum.RoleModerator)
}

// StaffNotifications returns signed-in a's newest limit (1–100)
// notifications about complaints they may handle now, each passed through
// Access with the complaint as it is now.
func (s *Store) StaffNotifications(ctx context.Context, a Actor, limit int) ([]StaffNotice, error) {
	if a.User() == nil {
		return nil, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var ns []StaffNotification
	q := s.db.NewSelect().Model(&ns).Where("n.user_id = ?", a.UserID()).Order("n.id DESC").Limit(int64(limit))
	if err := visibleStaffNotifications(q).Scan(ctx); err != nil {
		return nil, fmt.Errorf("complaint notifications of user %d: %w", a.UserID(), err)
	}
	out := make([]StaffNotice, 0, len(ns))
	for _, n := range ns {
		c, err := load(ctx, s.db, n.ComplaintID)
		if err != nil {
			return nil, err
		}
		if !s.Access(a, c).Internal {
			continue
		}
		out = append(out, StaffNotice{ID: n.ID, Number: c.Number, Kind: n.Kind, CreatedAt: n.CreatedAt, Unread: n.ReadAt == nil})
	}
	return out, nil
}

// UnreadStaffNotifications counts a's unread complaint notifications about
// complaints they may handle now (the SQL form of the rule), up to 100.
func (s *Store) UnreadStaffNotifications(ctx context.Context, userID int64) (int, error) {
	q := s.db.NewSelect().Model((*StaffNotification)(nil)).Column("n.id").Where("n.user_id = ? AND n.read_at IS NULL", userID).Limit(100)
	n, err := s.db.NewSelect().TableExpr("(?) AS x", visibleStaffNotifications(q)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("unread complaint notifications of user %d: %w", userID, err)
	}
	return int(n), nil
}

// MarkStaffNotificationsRead marks all of signed-in a's complaint
// notifications read.
func (s *Store) MarkStaffNotificationsRead(ctx context.Context, a Actor) error {
	if a.User() == nil {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*StaffNotification)(nil)).Set("read_at = ?", s.now()).
			Where("user_id = ? AND read_at IS NULL", a.UserID()).Exec(ctx)
		if err != nil {
			return fmt.Errorf("mark complaint notifications read: %w", err)
		}
		return nil
	})
}
