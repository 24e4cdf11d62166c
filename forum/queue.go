package forum

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Moderate applies action to t in consultation cons on behalf of moderator
// v, with a reason the author sees, in one transaction with its audit
// entry:
//   - hide: published or pending content leaves every public path and count;
//   - restore: hidden content comes back (its reports are settled);
//   - approve: pending content is published;
//   - ignore: the open reports are dismissed, the content stays;
//   - block: the author (or the reported participant) may no longer take part
//     in this consultation;
//   - block_site: the same in every consultation (admins only).
//
// A block runs the access-change hook after the commit (OnAccessChange):
// for cons, or for every consultation after block_site.
//
// A reason is required to hide and to block (errs.Invalid). Content that
// is not in consultation cons is errs.ErrNotFound; cons 0 takes the content's
// block stops the author of t (or participant t) from taking part: in
// consultation cons, or everywhere when site is set (admins only: Can
// administer the site). Nobody blocks a moderator of the consultation.
func block(ctx context.Context, tx bun.IDB, v Viewer, t Target, cons int64, site bool, reason string, now time.Time) error {
	pid := t.ID
	if t.Kind != TargetUser {
		_, _, _, author, err := target(ctx, tx, t)
		if err != nil {
			return err
		}
		pid = author
	}
	scope := cons
	if site {
		if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
			return err
		}
		scope = 0
	}
	us, err := usersOfParticipants(ctx, tx, []int64{pid})
	if err != nil {
		return err
	}
	for _, uid := range us {
		u, err := UserByID(ctx, tx, uid)
		if err != nil {
			return err
		}
		them, err := LoadViewer(ctx, tx, u, pid)
		if err != nil {
			return err
		}
		if them.Moderates(cons) {
			return errs.E(errs.Forbidden, "error.block_moderator", nil)
		}
	}
	if err := lockParticipant(ctx, tx, pid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO blocks (participant_id, consultation_id, reason, blocked_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
		pid, scope, reason, v.User.ID, now); err != nil {
		return fmt.Errorf("block participant %d in consultation %d: %w", pid, scope, err)
	}
	return nil
}

// own consultation (a participant target always needs cons).
func (s *Store) Moderate(ctx context.Context, v Viewer, t Target, cons int64, action, reason string) error {
	db, now := s.db, s.now().UTC()
	if t.Kind != TargetUser {
		c, _, _, _, err := target(ctx, db, t)
		if err != nil {
			return err
		}
		if cons != 0 && c != cons {
			return errs.ErrNotFound // the item is not in the consultation the request names
		}
		cons = c
	}
	if err := requireModerator(ctx, v, cons); err != nil {
		return err
	}
	reason, err := longText(reason, "reason", 0, MaxReasonRunes)
	if err != nil {
		return err
	}
	if reason == "" && (action == ActionHide || action == ActionBlock || action == ActionBlockSite) {
		return errs.E(errs.Invalid, "error.reason_required", nil)
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := requireModerator(ctx, v, cons); err != nil {
			return err
		}
		switch action {
		case ActionHide:
			if t.Kind == TargetUser {
				return errs.E(errs.Invalid, "error.bad_form", nil)
			}
			if _, err := setState(ctx, tx, t, StatePublished, StateHidden, reason); err != nil {
				return err
			}
			if _, err := setState(ctx, tx, t, StatePending, StateHidden, reason); err != nil {
				return err
			}
			// Hiding what reports hid automatically is the review: the
			// moderator's reason replaces the automatic one, so the item
			// no longer reads "hidden pending review".
			if _, err := setState(ctx, tx, t, StateHidden, StateHidden, reason); err != nil {
				return err
			}
		case ActionRestore, ActionApprove:
			from := StateHidden
			if action == ActionApprove {
				from = StatePending
			}
			if t.Kind == TargetUser {
				return errs.E(errs.Invalid, "error.bad_form", nil)
			}
			if _, err := setState(ctx, tx, t, from, StatePublished, reason); err != nil {
				return err
			}
		case ActionIgnore:
		case ActionBlock, ActionBlockSite:
			if err := block(ctx, tx, v, t, cons, action == ActionBlockSite, reason, now); err != nil {
				return err
			}
		default:
			return errs.E(errs.Invalid, "error.bad_form", nil)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE flags SET resolved_at = ?, resolution = ? WHERE target_kind = ? AND target_id = ? AND resolved_at IS NULL",
			now, action, t.Kind, t.ID); err != nil {
			return fmt.Errorf("resolve reports: %w", err)
		}
		return audit(ctx, tx, v, action, t.Kind, t.ID, cons, reason, now)
	})
	if err == nil {
		switch action {
		case ActionBlock:
			s.accessChanged(ctx, cons)
		case ActionBlockSite:
			s.accessChangedEverywhere(ctx)
		}
	}
	return err
}

// QueueItem is one entry of a moderation queue: content that waits for
// approval, is hidden, or has open reports, or a reported participant.
type QueueItem struct {
	Target
	Text        string // title of a proposal, text of a comment, name of a participant
	State       string
	StateReason string
	ProposalID  int64
	// Path is the page that shows the item when it is not a proposal's
	// (a draft input: its unit's page), else "".
	Path    string
	Reports []string // the open reports' reasons
}

// Queue lists consultation c's moderation queue for v: moderators and
// analysts (read-only) may see it; focus-group items appear only to those
// who read the group (Can).
func Queue(ctx context.Context, db bun.IDB, v Viewer, c *Consultation) ([]QueueItem, error) {
	if err := Can(ctx, v, ActRead, Item{Kind: ItemModerationLog, Consultation: c}); err != nil {
		return nil, err
	}
	var flags []struct {
		TargetKind string `bun:"target_kind"`
		TargetID   int64  `bun:"target_id"`
		Reason     string `bun:"reason"`
	}
	err := db.NewSelect().Table("flags").Column("target_kind", "target_id", "reason").
		Where("consultation_id = ? AND resolved_at IS NULL", c.ID).Order("id").Scan(ctx, &flags)
	if err != nil {
		return nil, fmt.Errorf("open reports: %w", err)
	}
	reports := map[Target][]string{}
	for _, f := range flags {
		t := Target{f.TargetKind, f.TargetID}
		reports[t] = append(reports[t], f.Reason)
	}
	var out []QueueItem
	add := func(it QueueItem, group, author int64) error {
		err := Can(ctx, v, ActRead, Item{Kind: ItemModerationLog, Consultation: c, GroupID: group, AuthorID: author})
		if errs.KindOf(err) == errs.NotFound {
			return nil
		}
		if err != nil {
			return err
		}
		it.Reports = reports[it.Target]
		delete(reports, it.Target)
		out = append(out, it)
		return nil
	}
	var ps []Proposal
	err = db.NewSelect().Model(&ps).Column("id", "focus_group_id", "author_id", "title", "state", "state_reason").
		Where("p.consultation_id = ? AND (p.state <> ? OR p.id IN (SELECT target_id FROM flags WHERE target_kind = ? AND resolved_at IS NULL))",
			c.ID, StatePublished, TargetProposal).Order("p.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue proposals: %w", err)
	}
	for _, p := range ps {
		if err := add(QueueItem{Target: Target{TargetProposal, p.ID}, Text: p.Title, State: p.State, StateReason: p.StateReason, ProposalID: p.ID}, p.FocusGroupID, p.AuthorID); err != nil {
			return nil, err
		}
	}
	var cs []Comment
	err = db.NewSelect().Model(&cs).Column("id", "proposal_id", "focus_group_id", "author_id", "body", "state", "state_reason").
		Where("cm.consultation_id = ? AND cm.deleted_at IS NULL AND (cm.state <> ? OR cm.id IN (SELECT target_id FROM flags WHERE target_kind = ? AND resolved_at IS NULL))",
			c.ID, StatePublished, TargetComment).Order("cm.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue comments: %w", err)
	}
	for _, cm := range cs {
		if err := add(QueueItem{Target: Target{TargetComment, cm.ID}, Text: cm.Body, State: cm.State, StateReason: cm.StateReason, ProposalID: cm.ProposalID}, cm.FocusGroupID, cm.AuthorID); err != nil {
			return nil, err
		}
	}
	if err := queueDraftInputs(ctx, db, c, reports, add); err != nil {
		return nil, err
	}
	for t, rs := range reports {
		if t.Kind == TargetUser {
			out = append(out, QueueItem{Target: t, State: StatePublished, Reports: rs})
		}
	}
	return out, nil
}

// queueDraftInputs adds to a queue the draft inputs (package rancangan)
// with open reports, read from draft_inputs only when there are some, so
// that a database without the draft tables still lists its queue.
func queueDraftInputs(ctx context.Context, db bun.IDB, c *Consultation, reports map[Target][]string, add func(QueueItem, int64, int64) error) error {
	var ids []int64
	for t := range reports {
		if t.Kind == TargetDraftInput {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID           int64  `bun:"id"`
		DraftID      int64  `bun:"draft_id"`
		FocusGroupID int64  `bun:"focus_group_id"`
		AuthorID     int64  `bun:"author_id"`
		Anchor       string `bun:"anchor"`
		Body         string `bun:"body"`
		Amendment    string `bun:"amendment"`
		State        string `bun:"state"`
		StateReason  string `bun:"state_reason"`
	}
	err := db.NewSelect().Table("draft_inputs").
		Column("id", "draft_id", "focus_group_id", "author_id", "anchor", "body", "amendment", "state", "state_reason").
		Where("consultation_id = ? AND id IN (?)", c.ID, bun.In(ids)).Order("id").Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("queue draft inputs: %w", err)
	}
	for _, r := range rows {
		text := strings.TrimSpace(r.Body + "\n\n" + r.Amendment)
		path := fmt.Sprintf("/k/%s/rancangan/%d/u/%s#m%d", url.PathEscape(c.Slug), r.DraftID, r.Anchor, r.ID)
		it := QueueItem{Target: Target{TargetDraftInput, r.ID}, Text: text, State: r.State, StateReason: r.StateReason, Path: path}
		if err := add(it, r.FocusGroupID, r.AuthorID); err != nil {
			return err
		}
	}
	return nil
}
