package complaint

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
// is routed to, or a member of the complaint desk. 0 unassigns. The new
// assignee gets an in-app notification (NotifyAssigned) unless they assign
// themselves. KindInvalid for anyone else.
func (s *Store) Assign(ctx context.Context, a Actor, id, userID int64) (*Complaint, error) {
	return s.run(ctx, a, id, step{action: "complaint.assign", need: needHandle, from: openStatuses,
		staff: func(*Complaint) []staffNotice { return []staffNotice{{kind: NotifyAssigned, users: []int64{userID}}} },
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

// Forward moves a complaint from agency from, one it is routed to, to
// agency to (pelimpahan: the agency finds it is another's to answer). The
// complaint desk and officers of from may forward; officers of to get an
// in-app notification (NotifyRouted); an assignee who may no longer handle
// it is unassigned. An internal timeline event with the note records it.
// Errors: KindForbidden for an officer of another agency, KindInvalid when
// from is not a route of it or to is unknown, deactivated or already a route.
func (s *Store) Forward(ctx context.Context, a Actor, id, from, to int64, note string) (*Complaint, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 2000 {
		return nil, errs.E(errs.Invalid, "complaint.error.too_long", nil)
	}
	c, err := s.run(ctx, a, id, step{action: "complaint.forward", need: needHandle, from: openStatuses,
		staff: func(*Complaint) []staffNotice { return []staffNotice{{kind: NotifyRouted, agencies: []int64{to}}} },
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			// The desk and officers of from: the handling rule asked for
			// from alone, with a's rights read again in tx (forum.InTx).
			onFrom := forum.Item{Kind: forum.ItemComplaintHandling, Complaint: &forum.ComplaintFacts{Agencies: []int64{from}}}
			if !a.System && forum.Can(ctx, a.Viewer, forum.ActWrite, onFrom) != nil {
				return nil, errs.E(errs.Forbidden, "error.action_forbidden", nil)
			}
			if !slices.Contains(c.Agencies, from) || slices.Contains(c.Agencies, to) {
				return nil, errs.E(errs.Invalid, "complaint.error.forward", nil)
			}
			n, err := tx.NewSelect().Table("complaint_agencies").Where("id = ? AND deactivated_at IS NULL", to).Count(ctx)
			if err != nil {
				return nil, fmt.Errorf("check agency %d: %w", to, err)
			}
			if n == 0 {
				return nil, errs.E(errs.Invalid, "complaint.error.forward", nil)
			}
			if _, err := tx.NewDelete().Table("complaint_routes").Where("complaint_id = ? AND agency_id = ?", c.ID, from).Exec(ctx); err != nil {
				return nil, fmt.Errorf("drop route %d: %w", from, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO complaint_routes (complaint_id, agency_id, routed_at) VALUES (?, ?, ?)", c.ID, to, now); err != nil {
				return nil, fmt.Errorf("route to %d: %w", to, err)
			}
			c.Agencies = slices.Sorted(slices.Values(append(slices.DeleteFunc(slices.Clone(c.Agencies), func(x int64) bool { return x == from }), to)))
			if c.AssigneeUserID != nil {
				ok, err := s.handles(ctx, tx, *c.AssigneeUserID, c)
				if err != nil {
					return nil, err
				}
				if !ok {
					c.AssigneeUserID = nil
				}
			}
			return map[string]any{"from": from, "to": to}, event(ctx, tx, c, "forwarded", a, to, note, true, now)
		}})
	if err == nil {
		s.learn(ctx, c)
	}
	return c, err
}

// Assignees lists the people complaint c may be assigned to: the officers
// of the agencies it is routed to, by name. Only for those who may handle
// it (errs.ErrNotFound or KindForbidden otherwise).
func (s *Store) Assignees(ctx context.Context, a Actor, c *Complaint) ([]forum.User, error) {
	v := s.Access(a, c)
	if !v.Read {
		return nil, errs.ErrNotFound
	}
	if !v.Handle {
		return nil, errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	var us []forum.User
	if len(c.Agencies) == 0 {
		return us, nil
	}
	err := s.db.NewSelect().Model(&us).Where("deleted_at IS NULL").
		Where("id IN (SELECT user_id FROM agency_officers WHERE agency_id IN (?))", bun.In(c.Agencies)).
		Order("display_name", "id").Limit(500).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("assignees of %s: %w", c.Number, err)
	}
	return us, nil
}
