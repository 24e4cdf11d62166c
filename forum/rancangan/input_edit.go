package rancangan

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// ownWrite checks that v may change their own input in: its author, and
// allowed to write inputs on the draft now (forum.Can: the consultation is
// open in a phase that takes comments, v not blocked, in the focus group).
// Someone else's input is errs.Forbidden "rancangan.not_yours"; an input
// the drafters answered is errs.Conflict "rancangan.already_answered" (the answer
// is part of the public record, UU 12/2011 art. 96 as amended by UU
// 13/2022: the explanation must stay tied to what was said).
func ownWrite(ctx context.Context, tx bun.IDB, v forum.Viewer, it forum.Item, in *Input) error {
	if err := forum.Can(ctx, v, forum.ActWrite, it); err != nil {
		return err
	}
	var row struct {
		AuthorID int64  `bun:"author_id"`
		Decision string `bun:"decision"`
		State    string `bun:"state"`
	}
	if err := tx.NewSelect().Model((*Input)(nil)).Column("author_id", "decision", "state").Where("id = ?", in.ID).Scan(ctx, &row); err != nil {
		return errs.ErrNotFound
	}
	if row.AuthorID != v.ParticipantID || v.ParticipantID == 0 {
		return errs.E(errs.Forbidden, "rancangan.not_yours", nil)
	}
	if row.Decision != DecisionUnanswered {
		return errs.E(errs.Conflict, "rancangan.already_answered", nil)
	}
	return nil
}

// EditInput replaces the stance, comment and amendment of v's own input in
// while the consultation takes inputs (forum.Can's write rule, read again
// in the transaction), with its audit row. The checks of AddInput apply to
// the new text; an answered input is errs.Conflict "rancangan.already_answered";
// changing the text or stance of an amendment others supported is
// errs.Conflict "rancangan.edit_supported" (they supported those words);
// another's input is errs.Forbidden. The unit does not change.
func (s *Store) EditInput(ctx context.Context, v forum.Viewer, c *forum.Consultation, d *Draft, in *Input, n NewInput) error {
	it, err := s.writeItem(ctx, c, in.Item(c))
	if err != nil {
		return err
	}
	it.State = forum.StatePublished // a hidden input is under moderation: not editable
	if in.State != forum.StatePublished {
		return errs.ErrNotFound
	}
	if !slices.Contains(Stances, n.Stance) {
		return errs.E(errs.Invalid, "rancangan.bad_stance", nil)
	}
	minBody := 0
	if n.Stance == StanceDisagree {
		minBody = 1
	}
	body, err := text(n.Body, "input", minBody, MaxInputRunes)
	if err != nil {
		return err
	}
	amendment := ""
	if n.Stance == StanceAmend {
		if amendment, err = text(n.Amendment, "amendment", 1, MaxAmendmentRunes); err != nil {
			return err
		}
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := ownWrite(ctx, tx, v, it, in); err != nil {
			return err
		}
		var cur Input
		if err := tx.NewSelect().Model(&cur).Column("stance", "amendment", "supports", "state").Where("id = ?", in.ID).Scan(ctx); err != nil {
			return fmt.Errorf("draft input %d: %w", in.ID, err)
		}
		if cur.State != forum.StatePublished {
			return errs.ErrNotFound
		}
		if cur.Supports > 0 && (cur.Stance != n.Stance || cur.Amendment != amendment) {
			return errs.E(errs.Conflict, "rancangan.edit_supported", nil)
		}
		if _, err := tx.NewUpdate().Model((*Input)(nil)).Set("stance = ?, body = ?, amendment = ?", n.Stance, body, amendment).
			Where("id = ? AND draft_id = ?", in.ID, d.ID).Exec(ctx); err != nil {
			return fmt.Errorf("edit draft input %d: %w", in.ID, err)
		}
		return forum.Audit(ctx, tx, v, AuditEdit, auditInput, in.ID, c.ID, "", now)
	})
	if err != nil {
		return err
	}
	in.Stance, in.Body, in.Amendment = n.Stance, body, amendment
	return nil
}

// DeleteInput removes v's own unanswered input in while the consultation
// takes inputs, with its supports and any open reports of it, and writes
// an audit row (the audit keeps that it existed, not its words). The rules
// are EditInput's, except that a hidden input may be deleted.
func (s *Store) DeleteInput(ctx context.Context, v forum.Viewer, c *forum.Consultation, d *Draft, in *Input) error {
	it, err := s.writeItem(ctx, c, in.Item(c))
	if err != nil {
		return err
	}
	it.State = forum.StatePublished // writing is judged as on a published input; ownWrite checks the author
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := ownWrite(ctx, tx, v, it, in); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM flags WHERE target_kind = ? AND target_id = ?", forum.TargetDraftInput, in.ID); err != nil {
			return fmt.Errorf("reports of draft input %d: %w", in.ID, err)
		}
		for _, q := range []string{"DELETE FROM draft_input_supports WHERE input_id = ?", "DELETE FROM draft_notices WHERE input_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, in.ID); err != nil {
				return fmt.Errorf("delete draft input %d: %w", in.ID, err)
			}
		}
		if _, err := tx.NewDelete().Model((*Input)(nil)).Where("id = ? AND draft_id = ?", in.ID, d.ID).Exec(ctx); err != nil {
			return fmt.Errorf("delete draft input %d: %w", in.ID, err)
		}
		return forum.Audit(ctx, tx, v, AuditDelete, auditInput, in.ID, c.ID, "", now)
	})
}
