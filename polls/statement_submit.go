package polls

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/grapheme"
	"github.com/rembug/rembug/forum/storage"
)

// Participants' statements and their moderation. A statement is public
// when hidden is false; every public path (pages, the vote, Tallies,
// search, the report, the Pol.is export) reads only those. A submitted
// statement under pre-moderation starts hidden and pending; a moderator
// approves it (public) or rejects it (hidden, no longer pending). Under
// post-moderation it is public at once and a moderator may hide it. Its
// author and the consultation's moderators still read a pending or hidden
// statement (forum.Can, StateOf).

var moderationMigration = storage.Migration{
	Name: "20261202145714", Comment: "statement_moderation",
	Up: []string{
		`ALTER TABLE statements ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE`,
		`ALTER TABLE statements ADD COLUMN state_reason TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX statements_author ON statements (author_id)`,
	},
	Down: []string{
		`DROP INDEX statements_author`,
		`ALTER TABLE statements DROP COLUMN state_reason`,
		`ALTER TABLE statements DROP COLUMN pending`,
	},
}

// State is the statement's moderation state as forum.Can reads it:
// forum.StatePending, forum.StateHidden or forum.StatePublished.
func (s *Statement) State() string {
	switch {
	case s.Pending:
		return forum.StatePending
	case s.Hidden:
		return forum.StateHidden
	}
	return forum.StatePublished
}

// Item is statement s of consultation c as the access rule sees it.
func (s *Statement) Item(c *forum.Consultation) forum.Item {
	return forum.Item{Kind: forum.ItemStatement, Consultation: c, State: s.State(), AuthorID: s.AuthorID}
}

// Participants' statements per participant and window: enough to take
// part in a conversation, too few to flood a post-moderated one.
const (
	StatementsPerParticipant = 10
	StatementWindow          = time.Hour
)

// statementText trims text and checks its length: errs.Invalid when it is
// empty or longer than MaxStatementRunes user-perceived characters.
func statementText(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", errs.E(errs.Invalid, "error.statement_empty", nil)
	}
	if n := grapheme.Count(text); n > MaxStatementRunes {
		return "", errs.E(errs.Invalid, "error.statement_too_long", map[string]any{"Max": MaxStatementRunes, "Count": n})
	}
	return text, nil
}

// SubmitStatement adds text, written by participant viewer v, to
// consultation c as an OriginSubmitted statement, at the Store's time, in
// one transaction with its audit entry ("statement_submit", so that
// moderators see who wrote what). stage is c's current stage
// (forum.StageOf). The consultation's rules (forum.RulesOf, read in the
// transaction) decide:
//   - ParticipantStatements off: errs.Forbidden "error.statements_closed";
//   - Premoderation on: the statement is hidden and pending until a
//     moderator approves it; off: it is public at once.
//
// v must be allowed to write a statement (forum.Can: signed in, the
// statements feature open, not blocked). Text is checked as SeedStatement
// does (errs.Invalid); the same text already in c, whatever its state, is
// errs.Conflict "error.statement_duplicate". A participant may submit
// StatementsPerParticipant statements per StatementWindow across
// consultations (forum.Store.CountAttempt, counted before the text is checked);
// beyond that it is errs.RateLimited "error.statement_rate_limited" with
// the wait.
func (st *Store) SubmitStatement(ctx context.Context, v forum.Viewer, c *forum.Consultation, stage forum.Stage, text string) (*Statement, error) {
	if err := forum.Can(ctx, v, forum.ActWrite, forum.Item{Kind: forum.ItemStatement, Consultation: c, Stage: &stage}); err != nil {
		return nil, err
	}
	ok, wait, err := st.attempts.CountAttempt(ctx, fmt.Sprintf("statement-by:%d", v.ParticipantID),
		StatementsPerParticipant, StatementWindow)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errs.Limited("error.statement_rate_limited", wait, map[string]any{"Count": int((wait + time.Minute - 1) / time.Minute)})
	}
	text, err = statementText(text)
	if err != nil {
		return nil, err
	}
	s := &Statement{ConsultationID: c.ID, AuthorID: v.ParticipantID, Text: text, Origin: OriginSubmitted}
	err = st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActWrite, forum.Item{Kind: forum.ItemStatement, Consultation: c, Stage: &stage}); err != nil {
			return err
		}
		rules, err := forum.RulesOf(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if !rules.ParticipantStatements {
			return errs.E(errs.Forbidden, "error.statements_closed", nil)
		}
		n, err := tx.NewSelect().Model((*Statement)(nil)).Where("consultation_id = ? AND text = ?", c.ID, text).Count(ctx)
		if err != nil {
			return fmt.Errorf("duplicate statement in %d: %w", c.ID, err)
		}
		if n > 0 {
			return errs.E(errs.Conflict, "error.statement_duplicate", nil)
		}
		s.Hidden, s.Pending, s.CreatedAt = rules.Premoderation, rules.Premoderation, now
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return fmt.Errorf("submit statement in %d: %w", c.ID, err)
		}
		return forum.Audit(ctx, tx, v, "statement_submit", "statement", s.ID, c.ID, s.State(), now)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ModerateStatement applies action to statement sid of consultation c on
// behalf of moderator v (forum.Can moderate, else errs.Forbidden or
// errs.ErrNotFound), with reason, in one transaction with its audit entry
// (the action, kind "statement"):
//   - forum.ActionApprove: a pending statement becomes public;
//   - forum.ActionHide: a public or pending statement is hidden (a
//     rejection, for a pending one); reason is required (errs.Invalid
//     "error.reason_required"), and its author sees it;
//   - forum.ActionRestore: a hidden statement that is not pending becomes
//     public again.
//
// Hiding or showing a statement that has votes recounts the
// consultation's counters (Recount) in the same transaction. A statement
// not in c is errs.ErrNotFound; an action that does not apply to the
// statement's state is errs.Conflict "error.state_changed" (someone else
// moderated it first); another action is errs.Invalid.
func (st *Store) ModerateStatement(ctx context.Context, v forum.Viewer, c *forum.Consultation, sid int64, action, reason string) error {
	reason = strings.TrimSpace(reason)
	if action == forum.ActionHide && reason == "" {
		return errs.E(errs.Invalid, "error.reason_required", nil)
	}
	if grapheme.Count(reason) > forum.MaxReasonRunes {
		return errs.E(errs.Invalid, "error.length_reason", map[string]any{"Min": 0, "Max": forum.MaxReasonRunes})
	}
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		s := new(Statement)
		q := tx.NewSelect().Model(s).Where("id = ? AND consultation_id = ?", sid, c.ID)
		if storage.Postgres(tx) {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return errs.ErrNotFound
		}
		if err := forum.Can(ctx, v, forum.ActModerate, s.Item(c)); err != nil {
			return err
		}
		hidden, ok := false, false
		switch action {
		case forum.ActionApprove:
			ok = s.Pending
		case forum.ActionHide:
			hidden, ok = true, !s.Hidden || s.Pending
		case forum.ActionRestore:
			ok = s.Hidden && !s.Pending
		default:
			return errs.E(errs.Invalid, "error.bad_form", nil)
		}
		if !ok {
			return errs.E(errs.Conflict, "error.state_changed", nil)
		}
		_, err := tx.NewUpdate().Model(s).Set("hidden = ?", hidden).Set("pending = ?", false).
			Set("state_reason = ?", reason).WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("%s statement %d: %w", action, sid, err)
		}
		if s.AgreeCount+s.DisagreeCount+s.PassCount > 0 && hidden != s.Hidden {
			if err := Recount(ctx, tx, c.ID); err != nil {
				return err
			}
		}
		return forum.Audit(ctx, tx, v, action, "statement", sid, c.ID, reason, now)
	})
}

// StatementsToModerate lists consultation c's statements that a moderator
// acts on, for v who reads its moderation queue (forum.Can read of the
// queue, else its error): every pending statement, oldest first, then the
// newest limit hidden ones and the newest limit public ones written by
// participants (post-moderation: a moderator may hide them).
func StatementsToModerate(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, limit int) (pending, hidden, submitted []Statement, err error) {
	if err := forum.Can(ctx, v, forum.ActRead, forum.Item{Kind: forum.ItemModerationLog, Consultation: c}); err != nil {
		return nil, nil, nil, err
	}
	base := func() *bun.SelectQuery {
		return db.NewSelect().Model((*Statement)(nil)).Where("consultation_id = ?", c.ID)
	}
	if err := base().Where("pending = ?", true).Order("created_at", "id").Scan(ctx, &pending); err != nil {
		return nil, nil, nil, fmt.Errorf("pending statements of %d: %w", c.ID, err)
	}
	if err := base().Where("hidden = ? AND pending = ?", true, false).Order("created_at DESC", "id DESC").
		Limit(int64(limit)).Scan(ctx, &hidden); err != nil {
		return nil, nil, nil, fmt.Errorf("hidden statements of %d: %w", c.ID, err)
	}
	if err := base().Where("hidden = ? AND origin = ?", false, OriginSubmitted).Order("created_at DESC", "id DESC").
		Limit(int64(limit)).Scan(ctx, &submitted); err != nil {
		return nil, nil, nil, fmt.Errorf("submitted statements of %d: %w", c.ID, err)
	}
	return pending, hidden, submitted, nil
}

// OwnStatements lists the statements participant pid submitted to
// consultation cid that the public does not see (pending or hidden), newest
// first, so that their author sees what became of them. pid 0 has none.
func OwnStatements(ctx context.Context, db bun.IDB, cid, pid int64) ([]Statement, error) {
	if pid == 0 {
		return nil, nil
	}
	var out []Statement
	err := db.NewSelect().Model(&out).Where("consultation_id = ? AND author_id = ? AND hidden = ?", cid, pid, true).
		Order("created_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("own statements of %d in %d: %w", pid, cid, err)
	}
	return out, nil
}

// TargetStatement is the kind of a statement in moderation forms and the
// queue, beside forum.TargetProposal and forum.TargetComment.
const TargetStatement = "statement"

// StatementIn returns statement id of consultation cid whatever its state,
// for moderation (the caller has checked that the viewer moderates cid),
// or errs.ErrNotFound.
func StatementIn(ctx context.Context, db bun.IDB, cid, id int64) (*Statement, error) {
	s := new(Statement)
	if err := db.NewSelect().Model(s).Where("id = ? AND consultation_id = ?", id, cid).Limit(1).Scan(ctx); err != nil {
		return nil, errs.ErrNotFound
	}
	return s, nil
}

// StatementsIn returns the statements of consultation cid among ids,
// whatever their state, by id; ids of other consultations or of no
// statement are left out. Callers decide what a viewer may read with
// Statement.Item and forum.Can (the meeting page's outcomes do).
func StatementsIn(ctx context.Context, db bun.IDB, cid int64, ids []int64) ([]Statement, error) {
	var ss []Statement
	if len(ids) == 0 {
		return ss, nil
	}
	if err := db.NewSelect().Model(&ss).Where("id IN (?) AND consultation_id = ?", bun.In(ids), cid).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("statements of %d: %w", cid, err)
	}
	return ss, nil
}

// AuthoredStatement is one statement a participant wrote, as their own
// data export ("Unduh data saya") shows it.
type AuthoredStatement struct {
	Consultation string `json:"consultation"`
	Text         string `json:"text"`
	// State is forum.StatePublished, StatePending or StateHidden; Reason
	// is the moderator's reason for a hidden one.
	State     string `json:"state"`
	Reason    string `json:"reason,omitempty"`
	CreatedAt string `json:"created_at"`
}

// AuthoredStatements lists the statements participant pid wrote in public
// (non-draft) consultations, oldest first, whatever their moderation
// state: their author may read them all (forum.Can), so their own export
// holds them (CASES C18: an export shows what its owner may still see).
func AuthoredStatements(ctx context.Context, db bun.IDB, pid int64) ([]AuthoredStatement, error) {
	var rows []struct {
		Statement
		Title string `bun:"title"`
	}
	err := db.NewSelect().TableExpr("statements AS s").ColumnExpr("s.*, c.title AS title").
		Join("JOIN consultations AS c ON c.id = s.consultation_id").
		Where("s.author_id = ? AND c.status <> ?", pid, "draft").
		Order("s.created_at", "s.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("statements by %d: %w", pid, err)
	}
	out := make([]AuthoredStatement, len(rows))
	for i, r := range rows {
		out[i] = AuthoredStatement{Consultation: r.Title, Text: r.Text, State: r.State(), CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339)}
		if r.Hidden && !r.Pending {
			out[i].Reason = r.StateReason
		}
	}
	return out, nil
}
