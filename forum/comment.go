package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Alignments of a comment towards its proposal.
const (
	Against int8 = -1
	Neutral int8 = 0
	For     int8 = 1
)

// Comment is a threaded comment (komentar) on a proposal, or on the
// consultation itself when ProposalID is 0. ParentID 0 is a top-level
// comment (also a reply whose parent an import did not find; SourceParent
// keeps the source's parent id). Up and Down count votes, imported tallies
// included. A comment deleted by its author keeps its row (without text)
// so the thread keeps its shape.
type Comment struct {
	bun.BaseModel `bun:"table:comments,alias:cm"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"-"`
	ProposalID     int64     `bun:"proposal_id,notnull" json:"-"`
	FocusGroupID   int64     `bun:"focus_group_id,notnull" json:"-"`
	ParentID       int64     `bun:"parent_id,notnull" json:"-"`
	AuthorID       int64     `bun:"author_id,notnull" json:"-"`
	Body           string    `bun:"body,notnull" json:"body"`
	Alignment      int8      `bun:"alignment,notnull" json:"alignment"`
	State          string    `bun:"state,notnull" json:"-"`
	StateReason    string    `bun:"state_reason,notnull" json:"-"`
	Up             int       `bun:"up,notnull" json:"up"`
	Down           int       `bun:"down,notnull" json:"down"`
	ImportedUp     int       `bun:"imported_up,notnull" json:"-"`
	ImportedDown   int       `bun:"imported_down,notnull" json:"-"`
	Source         string    `bun:"source,notnull" json:"-"`
	SourceKey      string    `bun:"source_key,notnull" json:"-"`
	SourceParent   string    `bun:"source_parent,notnull" json:"-"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
	EditedAt       time.Time `bun:"edited_at,nullzero" json:"edited_at,omitzero"`
	DeletedAt      time.Time `bun:"deleted_at,nullzero" json:"-"`
}

// Visible reports whether the comment counts and shows its text: published
// and not deleted. This is the one rule for every count, sort, export and
// API: a hidden or deleted comment is never counted and never shows its
// text, and its replies are judged on their own (they stay, under a
// placeholder without text; see Thread).
func (c *Comment) Visible() bool { return c.State == StatePublished && c.DeletedAt.IsZero() }

// AlignmentFrom parses "for", "neutral" or "against" (errs.Invalid otherwise).
func AlignmentFrom(s string) (int8, error) {
	switch s {
	case "for":
		return For, nil
	case "against":
		return Against, nil
	case "neutral", "":
		return Neutral, nil
	}
	return 0, errs.E(errs.Invalid, "error.alignment", nil)
}

// AlignmentName is the inverse of AlignmentFrom.
func AlignmentName(a int8) string {
	switch a {
	case For:
		return "for"
	case Against:
		return "against"
	}
	return "neutral"
}

// CommentInput is what a participant submits: ParentID 0 starts a thread.
type CommentInput struct {
	Body      string
	Alignment int8
	ParentID  int64
}

// AddComment stores v's comment on proposal p (in consultation c) in one
// transaction with the proposal's comment count. A reply's parent must be a
// comment of the same proposal; replying to a hidden or deleted comment is
// allowed only while it still shows in the thread, i.e. never to text the
// viewer cannot see (errs.NotFound). Needs a signed-in, unblocked user and
// the comments feature. The comment, the count, its search outbox row and
// the notifications (reply, followers) are one transaction; the deliveries
// returned are for email after the commit.
func (s *Store) AddComment(ctx context.Context, v Viewer, c *Consultation, p *Proposal, in CommentInput) (*Comment, []Delivery, error) {
	db, now := s.db, s.now().UTC()
	if p.State != StatePublished {
		return nil, nil, errs.ErrNotFound
	}
	if err := canAct(ctx, db, v, c, p.FocusGroupID, ItemComment, false, now); err != nil {
		return nil, nil, err
	}
	body, err := longText(in.Body, "comment", 1, MaxCommentRunes)
	if err != nil {
		return nil, nil, err
	}
	if in.Alignment < Against || in.Alignment > For {
		return nil, nil, errs.E(errs.Invalid, "error.alignment", nil)
	}
	if in.ParentID != 0 {
		parent, err := commentByID(ctx, db, in.ParentID)
		if err != nil {
			return nil, nil, err
		}
		if parent.ProposalID != p.ID || !parent.Visible() {
			return nil, nil, errs.ErrNotFound
		}
	}
	rules, err := RulesOf(ctx, db, c.ID)
	if err != nil {
		return nil, nil, err
	}
	cm := &Comment{ConsultationID: c.ID, ProposalID: p.ID, FocusGroupID: p.FocusGroupID, ParentID: in.ParentID,
		AuthorID: v.ParticipantID, Body: body, Alignment: in.Alignment, State: StatePublished, CreatedAt: now}
	if rules.Premoderation {
		cm.State = StatePending
	}
	var ds []Delivery
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := canActInTx(ctx, tx, v, c, p.FocusGroupID, ItemComment, false, now); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(cm).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		if cm.Visible() {
			if err := bumpComments(ctx, tx, p.ID, 1); err != nil {
				return err
			}
		}
		ds, err = notifyNewComment(ctx, tx, c, p, cm, now)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return cm, ds, nil
}

func bumpComments(ctx context.Context, db bun.IDB, proposal int64, delta int) error {
	if proposal == 0 || delta == 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, "UPDATE proposals SET comments = comments + ? WHERE id = ?", delta, proposal); err != nil {
		return fmt.Errorf("count comments of proposal %d: %w", proposal, err)
	}
	return nil
}

func commentByID(ctx context.Context, db bun.IDB, id int64) (*Comment, error) {
	cm := new(Comment)
	err := db.NewSelect().Model(cm).Where("cm.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("comment %d: %w", id, err)
	}
	return cm, nil
}

// CommentFor returns comment id with its consultation when v may see it
// (Can read on the comment itself); errs.ErrNotFound otherwise.
func CommentFor(ctx context.Context, db bun.IDB, v Viewer, id int64) (*Comment, *Consultation, error) {
	cm, err := commentByID(ctx, db, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := ConsultationByRef(ctx, db, strconv.FormatInt(cm.ConsultationID, 10))
	if err != nil {
		return nil, nil, err
	}
	it := Item{Kind: ItemComment, Consultation: c, GroupID: cm.FocusGroupID, State: cm.State, AuthorID: cm.AuthorID, Deleted: !cm.DeletedAt.IsZero()}
	if err := Can(ctx, v, ActRead, it); err != nil {
		return nil, nil, err
	}
	return cm, c, nil
}

// EditComment replaces the text of v's own comment cm and marks it edited,
// in one transaction with its search outbox row. Others' comments and
// deleted ones are errs.Forbidden, a blocked author too; an empty or too
// long text is errs.Invalid.
func (s *Store) EditComment(ctx context.Context, v Viewer, cm *Comment, body string) error {
	if v.ParticipantID == 0 || cm.AuthorID != v.ParticipantID || !cm.DeletedAt.IsZero() {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	var at time.Time
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := checkNotBlocked(ctx, v, cm.ConsultationID); err != nil {
			return err
		}
		var err error
		if body, err = longText(body, "comment", 1, MaxCommentRunes); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*Comment)(nil)).Set("body = ?, edited_at = ?", body, now).Where("id = ?", cm.ID).Exec(ctx); err != nil {
			return fmt.Errorf("edit comment %d: %w", cm.ID, err)
		}
		at = now
		return nil
	})
	if err != nil {
		return err
	}
	cm.Body, cm.EditedAt = body, at
	return nil
}

// DeleteComment deletes v's own comment: its text goes, its row stays as
// a placeholder for its replies, and the count drops in the same
// transaction. Deleting twice is a no-op.
func (s *Store) DeleteComment(ctx context.Context, v Viewer, cm *Comment) error {
	db, now := s.db, s.now().UTC()
	if v.ParticipantID == 0 || cm.AuthorID != v.ParticipantID {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE comments SET deleted_at = ?, body = '' WHERE id = ? AND deleted_at IS NULL", now, cm.ID)
		if err != nil {
			return fmt.Errorf("delete comment %d: %w", cm.ID, err)
		}
		if n, _ := r.RowsAffected(); n == 1 && cm.State == StatePublished {
			if err := bumpComments(ctx, tx, cm.ProposalID, -1); err != nil {
				return err
			}
		}
		return nil
	})
}

// VoteComment records v's up (+1) or down (-1) vote on a visible comment,
// unique per (comment, participant) by primary key; voting the other way
// moves the vote, voting the same way again changes nothing.
func (s *Store) VoteComment(ctx context.Context, v Viewer, c *Consultation, cm *Comment, value int8) error {
	db, now := s.db, s.now().UTC()
	if value != 1 && value != -1 {
		return errs.E(errs.Invalid, "error.bad_form", nil)
	}
	if !cm.Visible() {
		return errs.ErrNotFound
	}
	if err := canAct(ctx, db, v, c, cm.FocusGroupID, ItemComment, true, now); err != nil {
		return err
	}
	col := map[int8]string{1: "up", -1: "down"}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := canActInTx(ctx, tx, v, c, cm.FocusGroupID, ItemComment, true, now); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, "INSERT INTO comment_votes (comment_id, participant_id, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			cm.ID, v.ParticipantID, value)
		if err != nil {
			return fmt.Errorf("vote on comment %d: %w", cm.ID, err)
		}
		set := ""
		if n, _ := r.RowsAffected(); n == 1 {
			set = col[value] + " = " + col[value] + " + 1"
		} else {
			r, err = tx.ExecContext(ctx, "UPDATE comment_votes SET value = ? WHERE comment_id = ? AND participant_id = ? AND value = ?",
				value, cm.ID, v.ParticipantID, -value)
			if err != nil {
				return fmt.Errorf("vote on comment %d: %w", cm.ID, err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return nil
			}
			set = col[value] + " = " + col[value] + " + 1, " + col[-value] + " = " + col[-value] + " - 1"
		}
		_, err = tx.ExecContext(ctx, "UPDATE comments SET "+set+" WHERE id = ?", cm.ID)
		return err
	})
}

// Align is the comment's alignment as "for", "neutral" or "against".
func (c *Comment) Align() string { return AlignmentName(c.Alignment) }
