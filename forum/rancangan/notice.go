package rancangan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Notice tells a citizen that the drafters answered their input; it is
// listed with the user's other notifications.
type Notice struct {
	ID        int64
	InputID   int64
	DraftID   int64
	Anchor    string
	Label     string // the unit's name, LabelOf(Anchor)
	Decision  string
	CreatedAt time.Time
	ReadAt    time.Time
	state     string // the input's
	// DraftTitle and ConsultationSlug are read when it is shown.
	DraftTitle       string
	ConsultationSlug string
}

// Unread reports whether the recipient has not marked it read.
func (n Notice) Unread() bool { return n.ReadAt.IsZero() }

// Notices returns signed-in v's newest limit (at most 100) notices, only
// those about inputs v may still read (forum.Can, judged now: a draft
// moved into a draft consultation or a focus group v left is not shown).
// unread limits them to the unread ones.
func Notices(ctx context.Context, db bun.IDB, v forum.Viewer, limit int, unread bool) ([]Notice, error) {
	if v.User == nil {
		return nil, errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	return notices(ctx, db, v, 0, limit, unread)
}

// notices is Notices, of notice id only when id is not 0.
func notices(ctx context.Context, db bun.IDB, v forum.Viewer, id int64, limit int, unread bool) ([]Notice, error) {
	var rows []struct {
		notice
		DraftID  int64  `bun:"draft_id"`
		Anchor   string `bun:"anchor"`
		Decision string `bun:"decision"`
		State    string `bun:"state"`
		Author   int64  `bun:"author_id"`
		Group    int64  `bun:"focus_group_id"`
		Title    string `bun:"title"`
		ConsID   int64  `bun:"c_id"`
		Slug     string `bun:"slug"`
		Status   string `bun:"status"`
	}
	q := db.NewSelect().TableExpr("draft_notices AS n").ColumnExpr("n.*").
		ColumnExpr("i.draft_id, i.anchor, i.decision, i.state, i.author_id, d.focus_group_id, d.title, c.id AS c_id, c.slug, c.status").
		Join("JOIN draft_inputs AS i ON i.id = n.input_id").
		Join("JOIN draft_texts AS d ON d.id = i.draft_id").
		Join("JOIN consultations AS c ON c.id = d.consultation_id").
		Where("n.user_id = ?", v.User.ID)
	if unread {
		q = q.Where("n.read_at IS NULL")
	}
	if id != 0 {
		q = q.Where("n.id = ?", id)
	}
	if err := q.OrderExpr("n.id DESC").Limit(int64(limit)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("draft notices of user %d: %w", v.User.ID, err)
	}
	out := make([]Notice, 0, len(rows))
	for _, r := range rows {
		c := &forum.Consultation{ID: r.ConsID, Slug: r.Slug, Status: r.Status}
		in := Input{FocusGroupID: r.Group, State: r.State, AuthorID: r.Author}
		if forum.Can(ctx, v, forum.ActRead, in.Item(c)) != nil {
			continue
		}
		out = append(out, Notice{ID: r.ID, InputID: r.InputID, DraftID: r.DraftID, Anchor: r.Anchor, Label: LabelOf(r.Anchor), Decision: r.Decision,
			CreatedAt: r.CreatedAt, ReadAt: r.ReadAt, DraftTitle: r.Title, ConsultationSlug: r.Slug, state: r.State})
	}
	return out, nil
}

// MarkNoticesRead marks every notice of signed-in v read.
func (s *Store) MarkNoticesRead(ctx context.Context, v forum.Viewer) error {
	if v.User == nil {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	if _, err := s.db.NewUpdate().Model((*notice)(nil)).Set("read_at = ?", s.clock()).
		Where("user_id = ? AND read_at IS NULL", v.User.ID).Exec(ctx); err != nil {
		return fmt.Errorf("mark draft notices of user %d: %w", v.User.ID, err)
	}
	return nil
}

// DeliverableNotice reads notice id for mailing it, at send time: the
// notice, and its recipient when they may still read the input now
// (forum.Can with their rights read now) and the input is still published.
// An input hidden, deleted or answered differently since, a draft moved
// into a focus group the recipient is not in or a consultation turned back
// into a draft, or a deleted account, all give ok false: no mail. The
// in-app notice (Notices) applies its own check when shown.
func DeliverableNotice(ctx context.Context, db bun.IDB, id int64) (n Notice, u *forum.User, ok bool, err error) {
	var row struct {
		UserID int64 `bun:"user_id"`
	}
	err = db.NewSelect().TableExpr("draft_notices").Column("user_id").Where("id = ?", id).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return n, nil, false, nil
	}
	if err != nil {
		return n, nil, false, fmt.Errorf("draft notice %d: %w", id, err)
	}
	vs, err := forum.LoadViewers(ctx, db, []int64{row.UserID})
	if err != nil {
		return n, nil, false, err
	}
	v, found := vs[row.UserID]
	if !found || v.User == nil || !v.User.DeletedAt.IsZero() {
		return n, nil, false, nil
	}
	ns, err := notices(ctx, db, v, id, 1, false)
	if err != nil || len(ns) == 0 || ns[0].state != forum.StatePublished {
		return n, nil, false, err
	}
	return ns[0], v.User, true, nil
}
