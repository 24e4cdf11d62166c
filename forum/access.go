package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Content states. Only StatePublished content is public; the others are
// seen by moderators (in the queue) and by their author.
const (
	StatePublished = "published"
	StatePending   = "pending" // waiting for approval (pre-moderation)
	StateHidden    = "hidden"  // hidden by a moderator or by reports
)

// Viewer is who asks, for authorization: a signed-in user or a guest, and
// the participant that acts for them (0 before a guest first takes part).
type Viewer struct {
	User          *User
	ParticipantID int64
}

// Admin reports whether v is an admin.
func (v Viewer) Admin() bool { return v.User != nil && v.User.Role == RoleAdmin }

// globalModerator reports whether v moderates every consultation.
func (v Viewer) globalModerator() bool {
	return v.User != nil && (v.User.Role == RoleAdmin || v.User.Role == RoleModerator)
}

// Analyst reports whether v may read reports and exports (analysts,
// moderators and admins).
func (v Viewer) Analyst() bool { return v.User.Staff() }

// Item is what authorization needs to know about a piece of content (or a
// whole space when State is StatePublished and AuthorID is 0).
type Item struct {
	Consultation *Consultation
	GroupID      int64 // focus group, 0 for the public part of the consultation
	State        string
	AuthorID     int64 // participant id
	Deleted      bool
}

// CanSee is the one visibility rule that every content path (pages, JSON
// API, exports, search, feeds, notifications, counts) goes through. It
// returns nil when v may read it and ErrNotFound otherwise, so that a
// viewer cannot tell hidden from missing. The rule:
//   - a draft consultation is seen by admins and its moderators only;
//   - focus-group content is seen by current (not removed) members, the
//     group's consultation moderators and admins;
//   - deleted content is seen by nobody;
//   - pending or hidden content is seen by its author and its moderators.
func CanSee(ctx context.Context, db bun.IDB, v Viewer, it Item) error {
	c := it.Consultation
	if c == nil || it.Deleted {
		return errs.ErrNotFound
	}
	mod := false
	var err error
	if !c.Public() || it.GroupID != 0 || it.State != StatePublished {
		if mod, err = CanModerate(ctx, db, v, c.ID); err != nil {
			return err
		}
	}
	if !c.Public() && !mod {
		return errs.ErrNotFound
	}
	if it.GroupID != 0 && !mod {
		ok, err := IsMember(ctx, db, it.GroupID, v)
		if err != nil {
			return err
		}
		if !ok {
			return errs.ErrNotFound
		}
	}
	if it.State != StatePublished && !mod && (it.AuthorID == 0 || it.AuthorID != v.ParticipantID) {
		return errs.ErrNotFound
	}
	return nil
}

// CanModerate reports whether v moderates consultation id: admins, global
// moderators and moderators named for that consultation.
func CanModerate(ctx context.Context, db bun.IDB, v Viewer, id int64) (bool, error) {
	if v.User == nil {
		return false, nil
	}
	if v.globalModerator() {
		return true, nil
	}
	n, err := db.NewSelect().Table("consultation_moderators").
		Where("consultation_id = ? AND user_id = ?", id, v.User.ID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("moderator check: %w", err)
	}
	return n > 0, nil
}

// AddModerator makes user a moderator of consultation id.
func AddModerator(ctx context.Context, db bun.IDB, id, user int64) error {
	_, err := db.ExecContext(ctx, "INSERT INTO consultation_moderators (consultation_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, user)
	if err != nil {
		return fmt.Errorf("add moderator: %w", err)
	}
	return nil
}

// requireModerator returns errs.Forbidden unless v moderates consultation id.
func requireModerator(ctx context.Context, db bun.IDB, v Viewer, id int64) error {
	ok, err := CanModerate(ctx, db, v, id)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	return nil
}

// visibleSQL is the SQL form of CanSee for published public rows of a
// listing: state published and not deleted. Listings are always scoped to
// one space (consultation and focus group) that the caller has passed
// through CanSee first.
func visibleSQL(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	return q.Where(alias+".state = ?", StatePublished)
}
