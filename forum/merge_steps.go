package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Mergers is the one list of merge steps run when a guest signs in: every
// package that owns participant-keyed rows registers its step here (forum's
// own are registered by NewMergers; polls.RegisterMerge, live.RegisterMerge
// add theirs), and the sign-in runs them all through Merge in its
// transaction. A step touches only its own package's tables. Build it
// once at start; it is not safe to Register while Merge runs.
type Mergers struct {
	steps []ParticipantMerger
	names []string
}

// NewMergers returns the list with forum's steps registered: supports
// (and support quotas), comment votes, flags, the authorship of proposals
// and comments, and blocks (a block of the guest also holds for the
// account). Follows are kept per user, never per guest, so they have
// nothing to move.
func NewMergers() *Mergers {
	m := &Mergers{}
	m.Register("forum.supports", mergeSupports)
	m.Register("forum.comment_votes", mergeCommentVotes)
	m.Register("forum.flags", mergeFlags)
	m.Register("forum.authorship", mergeAuthorship)
	m.Register("forum.blocks", mergeBlocks)
	return m
}

// Register adds step, named name (for error messages), after the others.
func (m *Mergers) Register(name string, step ParticipantMerger) {
	m.names = append(m.names, name)
	m.steps = append(m.steps, step)
}

// Names lists the registered steps in order.
func (m *Mergers) Names() []string { return append([]string(nil), m.names...) }

// Merge moves everything guest participant from did to participant into by
// running every registered step in tx (see MergeParticipant for the
// checks and errors).
func (m *Mergers) Merge(ctx context.Context, tx bun.IDB, from, into int64) error {
	named := make([]ParticipantMerger, len(m.steps))
	for i, step := range m.steps {
		name := m.names[i]
		named[i] = func(ctx context.Context, tx bun.IDB, from, into int64) error {
			if err := step(ctx, tx, from, into); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		}
	}
	return MergeParticipant(ctx, tx, from, into, named...)
}

// MergeKeyed moves the rows of table keyed by (target column, participant
// column) from participant from to into, inside tx: where into already has
// a row for the same target, into's row (the account's earlier choice)
// stays and from's is dropped. It returns the targets from had rows for,
// so the caller can rebuild the counters kept beside them. It is the
// building block of every package's merge step; table and columns are the
// caller's own constant names, never input.
func MergeKeyed(ctx context.Context, tx bun.IDB, table, target, participant string, from, into int64) ([]int64, error) {
	var ids []int64
	if err := tx.NewSelect().Table(table).Column(target).Where("? = ?", bun.Ident(participant), from).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("%s of %d: %w", table, from, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	_, err := tx.NewRaw(`DELETE FROM ? WHERE ? = ? AND ? IN (SELECT ? FROM ? WHERE ? = ?)`,
		bun.Ident(table), bun.Ident(participant), from, bun.Ident(target),
		bun.Ident(target), bun.Ident(table), bun.Ident(participant), into).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("drop %s the account also has: %w", table, err)
	}
	_, err = tx.NewRaw(`UPDATE ? SET ? = ? WHERE ? = ?`, bun.Ident(table), bun.Ident(participant), into,
		bun.Ident(participant), from).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("move %s: %w", table, err)
	}
	return ids, nil
}

func mergeSupports(ctx context.Context, tx bun.IDB, from, into int64) error {
	pids, err := MergeKeyed(ctx, tx, "supports", "proposal_id", "participant_id", from, into)
	if err != nil || len(pids) == 0 {
		return err
	}
	var cids []int64
	if err := tx.NewSelect().Table("proposals").ColumnExpr("DISTINCT consultation_id").
		Where("id IN (?)", bun.In(pids)).Scan(ctx, &cids); err != nil {
		return err
	}
	steps := []struct {
		sql  string
		args []any
	}{
		{`UPDATE proposals SET supports = (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = proposals.id) WHERE id IN (?)`,
			[]any{bun.In(pids)}},
		{`DELETE FROM support_quotas WHERE participant_id IN (?, ?) AND consultation_id IN (?)`, []any{from, into, bun.In(cids)}},
		{`INSERT INTO support_quotas (consultation_id, participant_id, used)
			SELECT p.consultation_id, s.participant_id, COUNT(*) FROM supports s JOIN proposals p ON p.id = s.proposal_id
			WHERE s.participant_id = ? AND p.consultation_id IN (?) GROUP BY p.consultation_id, s.participant_id`,
			[]any{into, bun.In(cids)}},
	}
	for _, st := range steps {
		if _, err := tx.NewRaw(st.sql, st.args...).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func mergeCommentVotes(ctx context.Context, tx bun.IDB, from, into int64) error {
	ids, err := MergeKeyed(ctx, tx, "comment_votes", "comment_id", "participant_id", from, into)
	if err != nil || len(ids) == 0 {
		return err
	}
	_, err = tx.NewRaw(`UPDATE comments SET
		up = (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = comments.id AND v.value = 1),
		down = (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = comments.id AND v.value = -1)
		WHERE id IN (?)`, bun.In(ids)).Exec(ctx)
	return err
}

// mergeFlags keeps one flag per person per item: a report the account
// already made wins over the guest's on the same item. The flags rows are
// the only count of reports (auto-hide and the queue read them).
func mergeFlags(ctx context.Context, tx bun.IDB, from, into int64) error {
	var both []struct {
		Kind string `bun:"target_kind"`
		ID   int64  `bun:"target_id"`
	}
	err := tx.NewRaw(`SELECT f.target_kind, f.target_id FROM flags f WHERE f.reporter_id = ? AND EXISTS
		(SELECT 1 FROM flags g WHERE g.reporter_id = ? AND g.target_kind = f.target_kind AND g.target_id = f.target_id)`,
		from, into).Scan(ctx, &both)
	if err != nil {
		return err
	}
	for _, t := range both {
		if _, err := tx.NewRaw(`DELETE FROM flags WHERE reporter_id = ? AND target_kind = ? AND target_id = ?`, from, t.Kind, t.ID).Exec(ctx); err != nil {
			return err
		}
	}
	_, err = tx.NewRaw(`UPDATE flags SET reporter_id = ? WHERE reporter_id = ?`, into, from).Exec(ctx)
	return err
}

func mergeAuthorship(ctx context.Context, tx bun.IDB, from, into int64) error {
	for _, table := range []string{"proposals", "comments"} {
		if _, err := tx.NewRaw(`UPDATE ? SET author_id = ? WHERE author_id = ?`, bun.Ident(table), into, from).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func mergeBlocks(ctx context.Context, tx bun.IDB, from, into int64) error {
	_, err := tx.NewRaw(`INSERT INTO blocks (participant_id, consultation_id, reason, blocked_by, created_at)
		SELECT ?, b.consultation_id, b.reason, b.blocked_by, b.created_at FROM blocks b WHERE b.participant_id = ?
		AND NOT EXISTS (SELECT 1 FROM blocks c WHERE c.participant_id = ? AND c.consultation_id = b.consultation_id)`,
		into, from, into).Exec(ctx)
	return err
}
