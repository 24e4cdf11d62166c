package forum

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// Kinds of flagged or moderated target.
const (
	TargetProposal = "proposal"
	TargetComment  = "comment"
	TargetUser     = "participant"
	// TargetDraftInput is a citizen's input on a draft regulation's unit
	// (package rancangan, table draft_inputs).
	TargetDraftInput = "draft_input"
)

// Moderation actions.
const (
	ActionHide      = "hide"
	ActionRestore   = "restore"
	ActionApprove   = "approve"
	ActionIgnore    = "ignore"
	ActionBlock     = "block"
	ActionBlockSite = "block_site" // everywhere; admins only
)

// Target names a piece of content (or a participant) to flag or moderate.
type Target struct {
	Kind string
	ID   int64
}

// target loads what moderation needs about t: its consultation, focus
// group, state and author. A participant target belongs to the
// consultation it was reported in (consultation), which must be given.
func target(ctx context.Context, db bun.IDB, t Target) (cons, group int64, state string, author int64, err error) {
	var table string
	switch t.Kind {
	case TargetProposal:
		table = "proposals"
	case TargetComment:
		table = "comments"
	case TargetDraftInput:
		table = "draft_inputs"
	default:
		return 0, 0, "", 0, errs.E(errs.Invalid, "error.bad_form", nil)
	}
	var row struct {
		ConsultationID int64  `bun:"consultation_id"`
		FocusGroupID   int64  `bun:"focus_group_id"`
		State          string `bun:"state"`
		AuthorID       int64  `bun:"author_id"`
	}
	err = db.NewSelect().Table(table).Column("consultation_id", "focus_group_id", "state", "author_id").
		Where("id = ?", t.ID).Scan(ctx, &row)
	if err != nil {
		return 0, 0, "", 0, errs.ErrNotFound
	}
	return row.ConsultationID, row.FocusGroupID, row.State, row.AuthorID, nil
}

// Flag records v's report of t with a reason, once per reporter (the
// unique index flags_once; a second report by the same participant is a
// no-op that returns nil), in one transaction. When the target's open
// reports by account holders reach the consultation's FlagThreshold,
// published content is hidden pending review (and leaves every count), and
// the audit log says so. Reports by guests (no account) go to the
// moderation queue but count for nothing toward the threshold: a guest
// costs nothing to make, so guests alone must never hide what someone
// wrote. Reporting content v cannot see is errs.NotFound. Reporting a
// participant (TargetUser) needs the consultation the report is about in
// cons.
func (s *Store) Flag(ctx context.Context, v Viewer, t Target, cons int64, reason string) error {
	db, now := s.db, s.now().UTC()
	reason, err := longText(reason, "reason", 1, MaxReasonRunes)
	if err != nil {
		return err
	}
	if v.ParticipantID == 0 {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	var group int64
	state, author := StatePublished, int64(0)
	if t.Kind != TargetUser {
		if cons, group, state, author, err = target(ctx, db, t); err != nil {
			return err
		}
	}
	c, err := ConsultationByRef(ctx, db, fmt.Sprint(cons))
	if err != nil {
		return err
	}
	if err := Can(ctx, v, ActRead, Item{Kind: targetKind(t), Consultation: c, GroupID: group, State: state, AuthorID: author}); err != nil {
		return err
	}
	if err := checkNotBlocked(ctx, v, c.ID); err != nil {
		return err
	}
	rules, err := RulesOf(ctx, db, c.ID)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := Can(ctx, v, ActRead, Item{Kind: targetKind(t), Consultation: c, GroupID: group, State: state, AuthorID: author}); err != nil {
			return err
		}
		if err := checkNotBlocked(ctx, v, c.ID); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO flags (consultation_id, target_kind, target_id, reporter_id, reason, created_at, resolution)
			VALUES (?, ?, ?, ?, ?, ?, '') ON CONFLICT DO NOTHING`, c.ID, t.Kind, t.ID, v.ParticipantID, reason, now)
		if err != nil {
			return fmt.Errorf("flag %s %d: %w", t.Kind, t.ID, err)
		}
		if n, _ := r.RowsAffected(); n == 0 || t.Kind == TargetUser {
			return nil
		}
		if rules.FlagThreshold == 0 || v.User == nil {
			return nil // a guest's report reaches the queue but never hides
		}
		flags, err := accountFlags(ctx, tx, t)
		if err != nil || flags < rules.FlagThreshold {
			return err
		}
		changed, err := setState(ctx, tx, t, StatePublished, StateHidden, AutoHideReason(flags))
		if err != nil || !changed {
			return err
		}
		return audit(ctx, tx, Viewer{}, "auto_hide", t.Kind, t.ID, c.ID, AutoHideReason(flags), now)
	})
}

// accountFlags counts the open reports of t made by participants with an
// account (source ParticipantUser): the reports that count toward
// auto-hide. A guest's report counts here once it has moved to the account
// the guest signed in to (mergeFlags).
func accountFlags(ctx context.Context, tx bun.IDB, t Target) (int, error) {
	n, err := tx.NewSelect().TableExpr("flags AS f").
		Join("JOIN participants AS pt ON pt.id = f.reporter_id").
		Where("f.target_kind = ? AND f.target_id = ? AND f.resolved_at IS NULL AND pt.source = ?", t.Kind, t.ID, ParticipantUser).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count account reports of %s %d: %w", t.Kind, t.ID, err)
	}
	return int(n), nil
}

// autoHidePrefix starts the reason of content hidden after reports.
const autoHidePrefix = "auto_hide:reports:"

// AutoHideReason is the state reason (and audit reason) of content hidden
// automatically after n reports: a language-neutral key with the count,
// e.g. "auto_hide:reports:3", that pages translate (ParseAutoHide).
func AutoHideReason(n int) string { return autoHidePrefix + strconv.Itoa(n) }

// ParseAutoHide reports whether reason was made by AutoHideReason and with
// which count; the bare "reports" of earlier versions parses with n 0.
func ParseAutoHide(reason string) (n int, ok bool) {
	if reason == "reports" {
		return 0, true
	}
	rest, found := strings.CutPrefix(reason, autoHidePrefix)
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

// setState moves t from state from to state to (with a reason the author
// sees) and keeps the proposal's comment count in step, in tx. It reports
// whether the row changed.
func setState(ctx context.Context, tx bun.IDB, t Target, from, to, reason string) (bool, error) {
	table := map[string]string{TargetProposal: "proposals", TargetComment: "comments", TargetDraftInput: "draft_inputs"}[t.Kind]
	r, err := tx.ExecContext(ctx, "UPDATE "+table+" SET state = ?, state_reason = ? WHERE id = ? AND state = ?", to, reason, t.ID, from)
	if err != nil {
		return false, fmt.Errorf("set %s %d %s: %w", t.Kind, t.ID, to, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return false, nil
	}
	if t.Kind != TargetComment || (from != StatePublished && to != StatePublished) {
		return true, nil
	}
	var row struct {
		ProposalID int64     `bun:"proposal_id"`
		DeletedAt  time.Time `bun:"deleted_at,nullzero"`
	}
	if err := tx.NewSelect().Table("comments").Column("proposal_id", "deleted_at").Where("id = ?", t.ID).Scan(ctx, &row); err != nil {
		return false, fmt.Errorf("comment %d: %w", t.ID, err)
	}
	if !row.DeletedAt.IsZero() {
		return true, nil
	}
	delta := 1
	if from == StatePublished {
		delta = -1
	}
	return true, bumpComments(ctx, tx, row.ProposalID, delta)
}

// checkNotBlocked returns errs.Forbidden "error.blocked" when v's
// participant is blocked in consultation cons or site-wide, as Can does
// for writes (used by actions on one's own content that are not a Can
// write: reports, edits). Inside a write transaction (ctx from inTx) the
// blocks are read again there, as Can does.
func checkNotBlocked(ctx context.Context, v Viewer, cons int64) error {
	if !v.loaded {
		return fmt.Errorf("access: viewer of participant %d was not loaded (use LoadViewer)", v.ParticipantID)
	}
	if f := factsOf(ctx); f != nil {
		var err error
		if v, _, err = f.fresh(ctx, v, Item{}); err != nil {
			return err
		}
	}
	if v.BlockedIn(cons) {
		return errs.E(errs.Forbidden, "error.blocked", nil)
	}
	return nil
}

// targetKind is the access rule's item kind of moderation target t.
func targetKind(t Target) ItemKind {
	switch t.Kind {
	case TargetProposal:
		return ItemProposal
	case TargetComment:
		return ItemComment
	case TargetDraftInput:
		return ItemDraftInput
	}
	return ItemConsultation // a participant is reported within a consultation
}

// LockParticipant takes participant pid's row for update in tx on
// PostgreSQL (SQLite has one writer), so that the participant's writes that
// check a count or a block before they insert run one after the other: a
// block (lockParticipant), or realtime/live's questions-per-minute limit.
func LockParticipant(ctx context.Context, tx bun.Tx, pid int64) error {
	return lockParticipant(ctx, tx, pid)
}

// lockParticipant takes participant pid's row for update on PostgreSQL
// before a block is written, so that writes re-checking it
// (stillUnblocked) wait for the block or finish before it.
func lockParticipant(ctx context.Context, tx bun.IDB, pid int64) error {
	if !storage.Postgres(tx) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT id FROM participants WHERE id = ? FOR UPDATE", pid); err != nil {
		return fmt.Errorf("lock participant %d: %w", pid, err)
	}
	return nil
}
