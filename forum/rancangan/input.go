package rancangan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// NewInput is what a citizen sends on one unit.
type NewInput struct {
	// Anchor is the unit of the current version the input is about.
	Anchor string
	// Stance is one of Stances.
	Stance string
	// Body is the comment: required for StanceDisagree, optional otherwise.
	Body string
	// Amendment is the proposed new text of the unit: required for
	// StanceAmend, ignored otherwise.
	Amendment string
}

// writeItem is in as the access rule sees a write to it, with c's stage.
func (s *Store) writeItem(ctx context.Context, c *forum.Consultation, it forum.Item) (forum.Item, error) {
	st, err := forum.StageOf(ctx, s.db, c, s.clock())
	if err != nil {
		return it, err
	}
	it.Stage = &st
	return it, nil
}

// AddInput stores v's input on a unit of draft d's current version. It
// needs v to write inputs there (forum.Can: an open consultation whose
// phase takes comments, a signed-in participant, not blocked, a member of
// the draft's focus group); a unit that is not in the current version, or
// a bad stance, empty or overlong text, is errs.Invalid with its key.
func (s *Store) AddInput(ctx context.Context, v forum.Viewer, c *forum.Consultation, d *Draft, n NewInput) (*Input, error) {
	in := &Input{DraftID: d.ID, ConsultationID: c.ID, FocusGroupID: d.FocusGroupID, Version: d.CurrentVersion,
		Anchor: n.Anchor, AuthorID: v.ParticipantID, Stance: n.Stance, State: forum.StatePublished}
	it, err := s.writeItem(ctx, c, in.Item(c))
	if err != nil {
		return nil, err
	}
	if err := forum.Can(ctx, v, forum.ActWrite, it); err != nil {
		return nil, err
	}
	if !slices.Contains(Stances, n.Stance) {
		return nil, errs.E(errs.Invalid, "rancangan.bad_stance", nil)
	}
	minBody := 0
	if n.Stance == StanceDisagree {
		minBody = 1
	}
	if in.Body, err = text(n.Body, "input", minBody, MaxInputRunes); err != nil {
		return nil, err
	}
	if n.Stance == StanceAmend {
		if in.Amendment, err = text(n.Amendment, "amendment", 1, MaxAmendmentRunes); err != nil {
			return nil, err
		}
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := forum.Can(ctx, v, forum.ActWrite, it); err != nil {
			return err
		}
		var u unitRow
		err := tx.NewSelect().Model(&u).Where("draft_id = ? AND current = ? AND anchor = ?", d.ID, true, n.Anchor).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.Invalid, "rancangan.bad_unit", nil)
		}
		if err != nil {
			return fmt.Errorf("draft %d unit %q: %w", d.ID, n.Anchor, err)
		}
		if !u.unit().Commentable() {
			return errs.E(errs.Invalid, "rancangan.bad_unit", nil)
		}
		in.Version, in.Seq, in.CreatedAt = u.Version, u.Seq, s.clock()
		if _, err := tx.NewInsert().Model(in).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert draft input: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// InputFor returns input id of draft d when v may read it; errs.ErrNotFound
// otherwise.
func InputFor(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, d *Draft, id int64) (*Input, error) {
	in := new(Input)
	err := db.NewSelect().Model(in).Where("id = ? AND draft_id = ?", id, d.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("draft input %d: %w", id, err)
	}
	if err := forum.Can(ctx, v, forum.ActRead, in.Item(c)); err != nil {
		return nil, err
	}
	return in, nil
}

// Support records v's support of amendment in, once per participant: a
// repeat, a double click or a retry racing the first changes nothing (the
// primary key decides, and the count moves only with an inserted row, in
// the same transaction). It returns whether this call added the support.
// Supporting an input that proposes no amendment, or one's own, is
// errs.Invalid; the rest is forum.Can's write rule.
func (s *Store) Support(ctx context.Context, v forum.Viewer, c *forum.Consultation, in *Input) (bool, error) {
	it, err := s.writeItem(ctx, c, in.Item(c))
	if err != nil {
		return false, err
	}
	it.State, it.AuthorID = forum.StatePublished, 0 // writing needs a published input, whoever wrote it
	if in.State != forum.StatePublished {
		return false, errs.ErrNotFound
	}
	if err := forum.Can(ctx, v, forum.ActWrite, it); err != nil {
		return false, err
	}
	if in.Stance != StanceAmend {
		return false, errs.E(errs.Invalid, "rancangan.support_not_amendment", nil)
	}
	if in.AuthorID == v.ParticipantID {
		return false, errs.E(errs.Invalid, "rancangan.support_own", nil)
	}
	added := false
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := forum.Can(ctx, v, forum.ActWrite, it); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO draft_input_supports (input_id, participant_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			in.ID, v.ParticipantID, s.clock())
		if err != nil {
			return fmt.Errorf("support draft input %d: %w", in.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		if _, err := tx.ExecContext(ctx, "UPDATE draft_inputs SET supports = supports + 1 WHERE id = ?", in.ID); err != nil {
			return fmt.Errorf("count support of draft input %d: %w", in.ID, err)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if added {
		in.Supports++
	}
	return added, nil
}

// Supported returns which of inputs ids participant pid supports.
func Supported(ctx context.Context, db bun.IDB, pid int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if pid == 0 || len(ids) == 0 {
		return out, nil
	}
	var got []int64
	if err := db.NewSelect().Table("draft_input_supports").Column("input_id").
		Where("participant_id = ? AND input_id IN (?)", pid, bun.In(ids)).Scan(ctx, &got); err != nil {
		return nil, fmt.Errorf("draft supports of participant %d: %w", pid, err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// Answer is the drafters' answer to one or several inputs.
type Answer struct {
	// Decision is one of Decisions.
	Decision string
	// Reason is the written explanation (required).
	Reason string
	// Version is the version where the decision took effect, 0 for none;
	// at most the draft's current version.
	Version int
}

// AnswerInputs gives answer a to inputs ids of draft d (a bulk answer to
// similar inputs is one call) and notifies each author who has an account:
// it returns the ids of the notices written, which the caller may also
// mail (DeliverableNotice decides at send time).
// It needs v to moderate d. A bad decision, an empty or overlong reason, a
// version that does not exist, no ids or more than MaxBulkAnswer are
// errs.Invalid; an id that is not an input of d is errs.ErrNotFound; in
// every case nothing is written. Answering again replaces the answer.
func (s *Store) AnswerInputs(ctx context.Context, v forum.Viewer, c *forum.Consultation, d *Draft, ids []int64, a Answer) ([]int64, error) {
	if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
		return nil, err
	}
	if !slices.Contains(Decisions, a.Decision) {
		return nil, errs.E(errs.Invalid, "rancangan.bad_decision", nil)
	}
	reason, err := text(a.Reason, "reason", 1, MaxReasonRunes)
	if err != nil {
		return nil, err
	}
	if a.Version < 0 || a.Version > d.CurrentVersion {
		return nil, errs.E(errs.Invalid, "rancangan.bad_version", nil)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 || len(ids) > MaxBulkAnswer {
		return nil, errs.E(errs.Invalid, "rancangan.bad_selection", map[string]any{"Max": MaxBulkAnswer})
	}
	actor := int64(0)
	if v.User != nil {
		actor = v.User.ID
	}
	var notices []int64
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		notices = notices[:0]
		if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
			return err
		}
		var authors []int64
		if err := tx.NewSelect().Model((*Input)(nil)).Column("author_id").Where("draft_id = ? AND id IN (?)", d.ID, bun.In(ids)).
			Order("id").Scan(ctx, &authors); err != nil {
			return fmt.Errorf("draft %d inputs to answer: %w", d.ID, err)
		}
		if len(authors) != len(ids) {
			return errs.ErrNotFound
		}
		if _, err := tx.NewUpdate().Model((*Input)(nil)).
			Set("decision = ?, reason = ?, effective_version = ?, answered_by = ?, answered_at = ?", a.Decision, reason, a.Version, actor, now).
			Where("draft_id = ? AND id IN (?)", d.ID, bun.In(ids)).Exec(ctx); err != nil {
			return fmt.Errorf("answer draft %d inputs: %w", d.ID, err)
		}
		users, err := usersOf(ctx, tx, authors)
		if err != nil {
			return err
		}
		for i, id := range ids {
			if err := forum.Audit(ctx, tx, v, AuditAnswer, auditInput, id, c.ID, a.Decision, now); err != nil {
				return err
			}
			if u := users[authors[i]]; u != 0 && u != actor {
				n := &notice{UserID: u, InputID: id, CreatedAt: now}
				if _, err := tx.NewInsert().Model(n).Returning("id").Exec(ctx); err != nil {
					return fmt.Errorf("notice of draft input %d: %w", id, err)
				}
				notices = append(notices, n.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return notices, nil
}

// SetHidden hides (hidden true) or restores input in of draft d, for v who
// moderates d, with its audit row. Hidden inputs leave the matrix, the
// report and search; their author still sees them.
func (s *Store) SetHidden(ctx context.Context, v forum.Viewer, c *forum.Consultation, d *Draft, in *Input, hidden bool) error {
	if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
		return err
	}
	state, action := forum.StatePublished, AuditRestore
	if hidden {
		state, action = forum.StateHidden, AuditHide
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*Input)(nil)).Set("state = ?, state_reason = ''", state).Where("id = ? AND draft_id = ?", in.ID, d.ID).Exec(ctx); err != nil {
			return fmt.Errorf("draft input %d state: %w", in.ID, err)
		}
		in.State = state
		return forum.Audit(ctx, tx, v, action, auditInput, in.ID, c.ID, "", now)
	})
}

// usersOf maps participant ids to the user ids of those that act for a
// signed-in user (guests have none).
func usersOf(ctx context.Context, db bun.IDB, pids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(pids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID  int64  `bun:"id"`
		Key string `bun:"source_key"`
	}
	if err := db.NewSelect().Table("participants").Column("id", "source_key").
		Where("id IN (?) AND source = ?", bun.In(pids), forum.ParticipantUser).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("users of participants: %w", err)
	}
	for _, r := range rows {
		if u, err := strconv.ParseInt(r.Key, 10, 64); err == nil {
			out[r.ID] = u
		}
	}
	return out, nil
}
