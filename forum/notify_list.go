package forum

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// NotificationView is a notification as its recipient sees it: the
// proposal's title (plain text) and reference and the consultation's
// title, read when it is shown.
type NotificationView struct {
	Notification
	ProposalTitle     string
	ProposalRef       string
	ConsultationTitle string
	// SubjectTitle (plain text) and SubjectURL describe a notification
	// about a subject (Notification.SubjectKind set) instead.
	SubjectTitle string
	SubjectURL   string
}

// Unread reports whether the recipient has not marked it read.
func (n NotificationView) Unread() bool { return n.ReadAt.IsZero() }

// notificationRow is what the listing query reads.
type notificationRow struct {
	bun.BaseModel `bun:"table:notifications,alias:n"`
	Notification
	PTitle    string `bun:"p_title"`
	PState    string `bun:"p_state"`
	PGroup    int64  `bun:"p_group"`
	PAuthor   int64  `bun:"p_author"`
	CTitle    string `bun:"c_title"`
	CSlug     string `bun:"c_slug"`
	CStatus   string `bun:"c_status"`
	CmState   string `bun:"cm_state"`
	CmDeleted bool   `bun:"cm_deleted"`
}

// visibleNotifications restricts q (notifications n joined with
// proposals p, consultations c and, left, comments cm) to what the
// recipient may see now: the SQL form of Can read for published content. A
// notification about content hidden, deleted, moved into a draft, or in
// a focus group the recipient is not (or no longer) a member of, is
// neither listed nor counted.
func visibleNotifications(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Join("JOIN proposals AS p ON p.id = n.proposal_id").
		Join("JOIN consultations AS c ON c.id = n.consultation_id").
		Join("LEFT JOIN comments AS cm ON cm.id = n.comment_id").
		Where("c.status <> ?", StatusDraft).
		Where("p.state = ?", StatePublished).
		Where("(n.comment_id = 0 OR (cm.state = ? AND cm.deleted_at IS NULL))", StatePublished).
		Where(`(p.focus_group_id = 0
			OR EXISTS (SELECT 1 FROM focus_group_members AS m WHERE m.focus_group_id = p.focus_group_id AND m.user_id = n.user_id AND m.removed_at IS NULL)
			OR EXISTS (SELECT 1 FROM users AS u WHERE u.id = n.user_id AND u.role IN (?, ?))
			OR EXISTS (SELECT 1 FROM consultation_moderators AS cmod WHERE cmod.consultation_id = c.id AND cmod.user_id = n.user_id))`,
			RoleAdmin, RoleModerator)
}

// Notifications returns signed-in v's newest limit (at most 100)
// notifications that v may see now, each also passed through Can.
func Notifications(ctx context.Context, db bun.IDB, v Viewer, limit int) ([]NotificationView, error) {
	if v.User == nil {
		return nil, errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var rows []notificationRow
	q := db.NewSelect().Model(&rows).ColumnExpr("n.*").
		ColumnExpr("p.title AS p_title, p.state AS p_state, p.focus_group_id AS p_group, p.author_id AS p_author").
		ColumnExpr("c.title AS c_title, c.slug AS c_slug, c.status AS c_status").
		ColumnExpr("COALESCE(cm.state, '') AS cm_state, (cm.deleted_at IS NOT NULL) AS cm_deleted")
	err := visibleNotifications(q).Where("n.user_id = ?", v.User.ID).Order("n.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("notifications of user %d: %w", v.User.ID, err)
	}
	out := make([]NotificationView, 0, len(rows))
	for _, r := range rows {
		if !seesAll(ctx, v, r.items()) {
			continue
		}
		p := Proposal{ID: r.ProposalID, Title: r.PTitle}
		out = append(out, NotificationView{Notification: r.Notification, ProposalTitle: r.PTitle, ProposalRef: p.Ref(), ConsultationTitle: r.CTitle})
	}
	subs, err := subjectNotifications(ctx, db, v, limit)
	if err != nil {
		return nil, err
	}
	out = append(out, subs...)
	slices.SortFunc(out, func(a, b NotificationView) int { return cmp.Compare(b.ID, a.ID) })
	return out[:min(len(out), limit)], nil
}

// items is what notification r is about, as the access rule sees it: the
// proposal and, for a comment notification, the comment.
func (r *notificationRow) items() []Item {
	c := &Consultation{ID: r.ConsultationID, Slug: r.CSlug, Title: r.CTitle, Status: r.CStatus}
	items := []Item{{Kind: ItemNotification, OwnerID: r.UserID, Consultation: c, GroupID: r.PGroup, State: r.PState, AuthorID: r.PAuthor}}
	if r.CommentID != 0 {
		items = append(items, Item{Kind: ItemNotification, OwnerID: r.UserID, Consultation: c, GroupID: r.PGroup, State: r.CmState, Deleted: r.CmDeleted})
	}
	return items
}

// Deliverable reports whether notification id may still reach its
// recipient now: the recipient exists, and the access rule (Can read) lets
// them read what it is about, with their rights and the content read now.
// Mail is composed when a notification is made and sent later from a
// queue, so the sender asks this again just before sending: a comment
// hidden, a consultation turned draft or a membership ended in between
// stops the mail.
func Deliverable(ctx context.Context, db bun.IDB, id int64) (bool, error) {
	var sub []Notification
	if err := db.NewSelect().Model(&sub).Where("n.id = ? AND n.subject_kind <> ''", id).Scan(ctx); err != nil {
		return false, fmt.Errorf("notification %d: %w", id, err)
	}
	if len(sub) == 1 {
		u, err := UserByID(ctx, db, sub[0].UserID)
		if errs.KindOf(err) == errs.NotFound || (err == nil && !u.DeletedAt.IsZero()) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		vs, err := LoadViewers(ctx, db, []int64{u.ID})
		if err != nil {
			return false, err
		}
		ok, err := describeSubjects(ctx, db, vs[u.ID], sub)
		return len(ok) == 1, err
	}
	var rows []notificationRow
	q := db.NewSelect().Model(&rows).ColumnExpr("n.*").
		ColumnExpr("p.state AS p_state, p.focus_group_id AS p_group, p.author_id AS p_author").
		ColumnExpr("c.status AS c_status").
		ColumnExpr("COALESCE(cm.state, '') AS cm_state, (cm.deleted_at IS NOT NULL) AS cm_deleted").
		Join("JOIN proposals AS p ON p.id = n.proposal_id").
		Join("JOIN consultations AS c ON c.id = n.consultation_id").
		Join("LEFT JOIN comments AS cm ON cm.id = n.comment_id").
		Where("n.id = ?", id)
	if err := q.Scan(ctx); err != nil {
		return false, fmt.Errorf("notification %d: %w", id, err)
	}
	if len(rows) == 0 {
		return false, nil
	}
	u, err := UserByID(ctx, db, rows[0].UserID)
	if errs.KindOf(err) == errs.NotFound || (err == nil && !u.DeletedAt.IsZero()) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	pid, err := participantOfUser(ctx, db, u.ID)
	if err != nil {
		return false, err
	}
	v, err := LoadViewer(ctx, db, u, pid)
	if err != nil {
		return false, err
	}
	return seesAll(ctx, v, rows[0].items()), nil
}

func seesAll(ctx context.Context, v Viewer, items []Item) bool {
	for _, it := range items {
		if Can(ctx, v, ActRead, it) != nil {
			return false
		}
	}
	return true
}

// UnreadCount counts signed-in v's unread notifications that v may see
// now (the same rule as Notifications), up to 100; 0 for guests.
func UnreadCount(ctx context.Context, db bun.IDB, v Viewer) (int, error) {
	if v.User == nil {
		return 0, nil
	}
	q := db.NewSelect().Model((*Notification)(nil)).Column("n.id").Where("n.user_id = ? AND n.read_at IS NULL", v.User.ID).Limit(100)
	n, err := db.NewSelect().TableExpr("(?) AS x", visibleNotifications(q)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("unread notifications of user %d: %w", v.User.ID, err)
	}
	var ns []Notification
	if err := db.NewSelect().Model(&ns).Where("n.user_id = ? AND n.subject_kind <> '' AND n.read_at IS NULL", v.User.ID).
		Order("n.id DESC").Limit(100).Scan(ctx); err != nil {
		return 0, fmt.Errorf("unread notifications of user %d: %w", v.User.ID, err)
	}
	if len(ns) == 0 {
		return int(n), nil
	}
	// The header passes the bare user: the subjects' rule needs their
	// rights, read now.
	vs, err := LoadViewers(ctx, db, []int64{v.User.ID})
	if err != nil {
		return 0, err
	}
	subs, err := describeSubjects(ctx, db, vs[v.User.ID], ns)
	if err != nil {
		return 0, err
	}
	return min(int(n)+len(subs), 100), nil
}

// MarkNotificationsRead marks all of signed-in v's notifications read.
func (s *Store) MarkNotificationsRead(ctx context.Context, v Viewer) error {
	if v.User == nil {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		_, err := tx.NewUpdate().Model((*Notification)(nil)).Set("read_at = ?", now).
			Where("user_id = ? AND read_at IS NULL", v.User.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
		return nil
	})
}
