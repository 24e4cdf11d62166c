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
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// step is one workflow transition: who may take it (need), from which
// statuses, and what it changes.
type step struct {
	action string // audit action and outbox kind
	need   func(View) bool
	from   []Status
	apply  func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error)
	// staff, when set, names the staff to notify in-app, asked after apply.
	staff func(c *Complaint) []staffNotice
}

func needTriage(v View) bool  { return v.Triage }
func needHandle(v View) bool  { return v.Handle }
func needCitizen(v View) bool { return v.Citizen }

var openStatuses = []Status{StatusReceived, StatusVerified, StatusRouted, StatusInProgress, StatusWaiting}

// run applies st to complaint id as a in one transaction: the complaint is
// locked, the actor and status checked, the change applied and saved, and
// the audit and outbox rows written. a's rights are read again in that
// transaction (forum.InTx), not taken from when a was loaded. Errors: errs.ErrNotFound when a may
// not see it, KindForbidden when a may see but not do it, KindConflict
// (complaint.error.transition) from a status st does not start from.
func (s *Store) run(ctx context.Context, a Actor, id int64, st step) (*Complaint, error) {
	var out *Complaint
	err := s.write(ctx, a, func(ctx context.Context, tx bun.Tx, now time.Time) (*change, error) {
		c, err := lockComplaint(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		// a's rights as of this transaction (forum.InTx); a fault while
		// reading them is a fault, not a refusal.
		if err := s.Can(ctx, a, forum.ActRead, forum.ItemComplaint, c); err != nil && errs.KindOf(err) == errs.Internal {
			return nil, err
		}
		v := s.access(ctx, a, c)
		if !v.Read {
			return nil, errs.ErrNotFound
		}
		if !st.need(v) {
			return nil, errs.E(errs.Forbidden, "error.action_forbidden", nil)
		}
		if !slices.Contains(st.from, c.Status) {
			return nil, errs.E(errs.Conflict, "complaint.error.transition", map[string]any{"Status": string(c.Status)})
		}
		payload, err := st.apply(ctx, tx, c, now)
		if err != nil {
			return nil, err
		}
		c.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(c).WherePK().Exec(ctx); err != nil {
			return nil, fmt.Errorf("save complaint %s: %w", c.Number, err)
		}
		out = c
		ch := &change{action: st.action, c: c, payload: payload}
		if st.staff != nil {
			ch.staff = st.staff(c)
		}
		return ch, nil
	})
	return out, err
}

// lockComplaint loads id for update (a row lock on PostgreSQL; SQLite's
// immediate transactions already hold the write lock).
func lockComplaint(ctx context.Context, tx bun.Tx, id int64) (*Complaint, error) {
	if storage.Postgres(tx) {
		if _, err := tx.ExecContext(ctx, "SELECT id FROM complaints WHERE id = ? FOR UPDATE", id); err != nil {
			return nil, fmt.Errorf("lock complaint %d: %w", id, err)
		}
	}
	return load(ctx, tx, id)
}

// text checks a free-text field: trimmed, 1–max runes, valid UTF-8 without NUL.
func text(s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > max || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", errs.E(errs.Invalid, "complaint.error.text", map[string]any{"Max": max})
	}
	return s, nil
}

// Verify marks a received complaint as a genuine complaint, optionally
// setting its topic and whether it is complex (60-working-day resolution).
// Complaint desk only.
func (s *Store) Verify(ctx context.Context, a Actor, id int64, topicID *int64, complex bool) (*Complaint, error) {
	return s.run(ctx, a, id, step{action: "complaint.verify", need: needTriage, from: []Status{StatusReceived},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			if topicID != nil {
				c.TopicID = topicID
			}
			c.Complex = complex
			c.Status = StatusVerified
			return nil, event(ctx, tx, c, "verified", a, 0, "", false, now)
		}})
}

// Route sends a complaint to one or several agencies (disposisi), replacing
// any earlier routing. A routed complaint may be re-routed until it is
// answered. Complaint desk only; KindInvalid for no, unknown or deactivated
// agencies (SetAgencyActive).
func (s *Store) Route(ctx context.Context, a Actor, id int64, agencies []int64, note string) (*Complaint, error) {
	c, err := s.run(ctx, a, id, s.routeStep(a, agencies, note))
	if err == nil {
		s.learn(ctx, c)
	}
	return c, err
}

func (s *Store) routeStep(a Actor, agencies []int64, note string) step {
	var added []int64
	return step{action: "complaint.route", need: needTriage, from: openStatuses,
		staff: func(*Complaint) []staffNotice { return []staffNotice{{kind: NotifyRouted, agencies: added}} },
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			ids := slices.Compact(slices.Sorted(slices.Values(agencies)))
			for _, id := range ids {
				if !slices.Contains(c.Agencies, id) {
					added = append(added, id)
				}
			}
			if len(ids) == 0 || len(ids) > 10 {
				return nil, errs.E(errs.Invalid, "complaint.error.agencies", nil)
			}
			n, err := tx.NewSelect().Table("complaint_agencies").Where("id IN (?) AND deactivated_at IS NULL", bun.In(ids)).Count(ctx)
			if err != nil {
				return nil, fmt.Errorf("check agencies: %w", err)
			}
			if int(n) != len(ids) {
				return nil, errs.E(errs.Invalid, "complaint.error.agencies", nil)
			}
			if _, err := tx.NewDelete().Table("complaint_routes").Where("complaint_id = ?", c.ID).Exec(ctx); err != nil {
				return nil, fmt.Errorf("clear routes: %w", err)
			}
			for _, ag := range ids {
				if _, err := tx.ExecContext(ctx, "INSERT INTO complaint_routes (complaint_id, agency_id, routed_at) VALUES (?, ?, ?)", c.ID, ag, now); err != nil {
					return nil, fmt.Errorf("route to %d: %w", ag, err)
				}
				if err := event(ctx, tx, c, "routed", a, ag, strings.TrimSpace(note), true, now); err != nil {
					return nil, err
				}
			}
			c.Agencies = ids
			if c.RoutedAt == nil {
				c.RoutedAt = &now
			}
			if c.Status == StatusReceived || c.Status == StatusVerified {
				c.Status = StatusRouted
			}
			return map[string]any{"agencies": ids}, nil
		}}
}

// Start marks a routed complaint as being worked on. Agency officers.
func (s *Store) Start(ctx context.Context, a Actor, id int64) (*Complaint, error) {
	return s.run(ctx, a, id, step{action: "complaint.start", need: needHandle, from: []Status{StatusRouted},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			c.Status = StatusInProgress
			return nil, event(ctx, tx, c, "in_progress", a, 0, "", false, now)
		}})
}

// AskCitizen asks the reporter for more information; the deadline clock
// pauses until they reply (PermenPANRB 62/2018 lets the handler ask the
// reporter to complete an incomplete complaint). Agency officers.
func (s *Store) AskCitizen(ctx context.Context, a Actor, id int64, question string) (*Complaint, error) {
	q, err := text(question, 4000)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, a, id, step{action: "complaint.ask", need: needHandle, from: []Status{StatusRouted, StatusInProgress},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			c.Status = StatusWaiting
			c.PausedAt = &now
			if c.FirstResponse == nil {
				c.FirstResponse = &now
			}
			return map[string]any{"text": q}, event(ctx, tx, c, "question", a, 0, q, false, now)
		}})
}

// Reply records the citizen's answer to a question and restarts the clock.
func (s *Store) Reply(ctx context.Context, a Actor, id int64, answer string) (*Complaint, error) {
	r, err := text(answer, MaxBodyRunes)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, a, id, step{action: "complaint.reply", need: needCitizen, from: []Status{StatusWaiting},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			s.unpause(c, now)
			c.Status = StatusInProgress
			return nil, event(ctx, tx, c, "reply", a, 0, r, false, now)
		}})
}

// unpause adds the working time since c was paused to its paused total.
func (s *Store) unpause(c *Complaint, now time.Time) {
	if c.PausedAt == nil {
		return
	}
	cal := s.Calendar()
	from := *c.PausedAt
	if start := cal.ClockStart(c.ReceivedAt); from.Before(start) {
		from = start
	}
	c.PausedNS += int64(cal.Working(from, now))
	c.PausedAt = nil
}

// Answer records the official response (tanggapan resmi). Agency officers.
func (s *Store) Answer(ctx context.Context, a Actor, id int64, response string) (*Complaint, error) {
	r, err := text(response, 8000)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, a, id, step{action: "complaint.answer", need: needHandle,
		from: []Status{StatusRouted, StatusInProgress, StatusWaiting},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			s.unpause(c, now)
			c.Status = StatusAnswered
			c.AnsweredAt = &now
			if c.FirstResponse == nil {
				c.FirstResponse = &now
			}
			ag := int64(0)
			for _, id := range c.Agencies {
				if a.Viewer.OfficerOfAny([]int64{id}) {
					ag = id
					break
				}
			}
			return map[string]any{"text": r}, event(ctx, tx, c, "answer", a, ag, r, false, now)
		}})
}

// Close closes an answered complaint at the citizen's request with an
// optional rating of the answer (1–4, the IKM scale; 0 for none) and
// comment. KindInvalid for a rating outside 0–4.
func (s *Store) Close(ctx context.Context, a Actor, id int64, rating int, comment string) (*Complaint, error) {
	if rating < 0 || rating > 4 || utf8.RuneCountInString(comment) > 2000 {
		return nil, errs.E(errs.Invalid, "complaint.error.rating", nil)
	}
	return s.run(ctx, a, id, step{action: "complaint.close", need: needCitizen, from: []Status{StatusAnswered},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			c.Status = StatusClosed
			c.ClosedAt = &now
			c.Rating, c.RatingComment = rating, strings.TrimSpace(comment)
			return map[string]any{"rating": rating}, event(ctx, tx, c, "closed", a, 0, "", false, now)
		}})
}

// Reopen reopens an answered or closed complaint the citizen is not
// satisfied with, at most Config.MaxReopens times (KindConflict
// complaint.error.reopen_limit after that).
func (s *Store) Reopen(ctx context.Context, a Actor, id int64, reason string) (*Complaint, error) {
	r, err := text(reason, 2000)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, a, id, step{action: "complaint.reopen", need: needCitizen, from: []Status{StatusAnswered, StatusClosed},
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			if c.ReopenCount >= s.cfg.MaxReopens {
				return nil, errs.E(errs.Conflict, "complaint.error.reopen_limit", map[string]any{"Max": s.cfg.MaxReopens})
			}
			c.ReopenCount++
			c.Status = StatusInProgress
			c.AnsweredAt, c.ClosedAt = nil, nil
			c.Rating, c.RatingComment = 0, ""
			c.WarnedStage, c.EscalatedStage = "", ""
			return nil, event(ctx, tx, c, "reopened", a, 0, r, false, now)
		}})
}

// Reject rejects an open complaint for reason, with a note to the citizen.
// Complaint desk only; KindInvalid for an unknown reason.
func (s *Store) Reject(ctx context.Context, a Actor, id int64, reason RejectReason, note string) (*Complaint, error) {
	switch reason {
	case RejectDuplicate, RejectOutsideAuthority, RejectNotComplaint:
	default:
		return nil, errs.E(errs.Invalid, "complaint.error.reject_reason", nil)
	}
	return s.run(ctx, a, id, step{action: "complaint.reject", need: needTriage, from: openStatuses,
		apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
			s.unpause(c, now)
			c.Status = StatusRejected
			c.RejectReason = string(reason)
			c.ClosedAt = &now
			return map[string]any{"reason": reason}, event(ctx, tx, c, "rejected", a, 0, strings.TrimSpace(note), false, now)
		}})
}
