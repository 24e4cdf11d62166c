package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Merge merges duplicate complaint dup into primary: dup becomes merged
// (final) and both timelines say so; the citizen of dup follows primary.
// Complaint desk only. KindInvalid when they are the same complaint or
// primary is itself rejected or merged.
func (s *Store) Merge(ctx context.Context, a Actor, dup, primary int64) (*Complaint, error) {
	if dup == primary {
		return nil, errs.E(errs.Invalid, "complaint.error.merge_self", nil)
	}
	return s.run(ctx, a, dup, step{action: "complaint.merge", need: needTriage, from: openStatuses,
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			p, err := lockComplaint(ctx, tx, primary)
			if err != nil {
				return nil, err
			}
			if p.Status == StatusMerged || p.Status == StatusRejected {
				return nil, errs.E(errs.Invalid, "complaint.error.merge_target", nil)
			}
			s.unpause(c, now)
			c.Status = StatusMerged
			c.MergedIntoID = &p.ID
			c.ClosedAt = &now
			if err := event(ctx, tx, p, "merged_from", a, 0, c.Number, false, now); err != nil {
				return nil, err
			}
			return map[string]any{"into": p.Number}, event(ctx, tx, c, "merged_into", a, 0, p.Number, false, now)
		}})
}

// Note adds an internal note, never shown to the citizen or the public.
// Complaint desk and officers of a routed agency.
func (s *Store) Note(ctx context.Context, a Actor, id int64, body string) (*Complaint, error) {
	b, err := text(body, 8000)
	if err != nil {
		return nil, err
	}
	all := append(append([]Status{}, openStatuses...), StatusAnswered, StatusClosed)
	return s.run(ctx, a, id, step{action: "complaint.note", need: needHandle, from: all,
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			return nil, event(ctx, tx, c, "note", a, 0, b, true, now)
		}})
}

// Assign gives an open complaint to one person: an officer of an agency it
// is routed to, or a member of the complaint desk. 0 unassigns. KindInvalid
// for anyone else.
func (s *Store) Assign(ctx context.Context, a Actor, id, userID int64) (*Complaint, error) {
	return s.run(ctx, a, id, step{action: "complaint.assign", need: needHandle, from: openStatuses,
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			if userID == 0 {
				c.AssigneeUserID = nil
				return nil, event(ctx, tx, c, "assigned", a, 0, "", true, now)
			}
			u, err := forum.UserByID(ctx, tx, userID)
			if err != nil {
				return nil, errs.E(errs.Invalid, "complaint.error.assignee", nil)
			}
			v, err := forum.LoadViewer(ctx, tx, u, 0)
			if err != nil {
				return nil, fmt.Errorf("assignee rights: %w", err)
			}
			if !s.Access(Actor{Viewer: v}, c).Handle {
				return nil, errs.E(errs.Invalid, "complaint.error.assignee", nil)
			}
			c.AssigneeUserID = &userID
			return map[string]any{"assignee": userID}, event(ctx, tx, c, "assigned", a, 0, u.DisplayName, true, now)
		}})
}

// SetLaporID records the complaint's SP4N-LAPOR! tracking id, for
// reconciling with the national system. Complaint desk only.
func (s *Store) SetLaporID(ctx context.Context, a Actor, id int64, laporID string) (*Complaint, error) {
	all := append(append([]Status{}, openStatuses...), StatusAnswered, StatusClosed, StatusRejected, StatusMerged)
	return s.run(ctx, a, id, step{action: "complaint.lapor_id", need: needTriage, from: all,
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			if len(laporID) > 60 {
				return nil, errs.E(errs.Invalid, "complaint.error.too_long", nil)
			}
			c.LaporID = laporID
			return nil, event(ctx, tx, c, "lapor_id", a, 0, laporID, true, now)
		}})
}
