package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/errs"

	"github.com/uptrace/bun"
)

// SupportResult says what Support did: Added is false when the participant
// had already supported (a retry or a double click), and Supports is the
// proposal's count afterwards.
type SupportResult struct {
	Added    bool
	Supports int
}

// Support records v's support (dukungan) for proposal p in one
// transaction. Uniqueness per (proposal, participant) is the supports
// table's primary key (CASES C01), so parallel requests add one row; the
// per-participant limit of the consultation is a guarded counter
// (UPDATE ... WHERE used < limit), so it holds under concurrency on both
// databases. Over the limit is errs.Conflict "error.support_limit".
// Supporting needs the supports feature, a visible published proposal and a
// signed-in user unless the consultation allows guest supports.
func (s *Store) Support(ctx context.Context, v Viewer, p *Proposal, c *Consultation) (SupportResult, error) {
	db, now := s.db, s.now().UTC()
	var res SupportResult
	rules, err := RulesOf(ctx, db, c.ID)
	if err != nil {
		return res, err
	}
	if p.State != StatePublished {
		return res, errs.ErrNotFound
	}
	if err := canAct(ctx, db, v, c, p.FocusGroupID, ItemSupport, rules.GuestSupports, now); err != nil {
		return res, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := canActInTx(ctx, tx, v, c, p.FocusGroupID, ItemSupport, rules.GuestSupports, now); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, "INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			p.ID, v.ParticipantID, now)
		if err != nil {
			return fmt.Errorf("insert support: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return tx.NewSelect().Table("proposals").Column("supports").Where("id = ?", p.ID).Scan(ctx, &res.Supports)
		}
		res.Added = true
		if _, err := tx.ExecContext(ctx, "INSERT INTO support_quotas (consultation_id, participant_id, used) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
			c.ID, v.ParticipantID); err != nil {
			return fmt.Errorf("support quota: %w", err)
		}
		q := tx.NewUpdate().Table("support_quotas").Set("used = used + 1").
			Where("consultation_id = ? AND participant_id = ?", c.ID, v.ParticipantID)
		if rules.SupportLimit > 0 {
			q = q.Where("used < ?", rules.SupportLimit)
		}
		r, err = q.Exec(ctx)
		if err != nil {
			return fmt.Errorf("support quota: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "error.support_limit", map[string]any{"Max": rules.SupportLimit})
		}
		if err := tx.NewRaw("UPDATE proposals SET supports = supports + 1 WHERE id = ? RETURNING supports", p.ID).Scan(ctx, &res.Supports); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return SupportResult{}, err
	}
	p.Supports = res.Supports
	return res, nil
}

// Unsupport withdraws v's support for p, if any, and returns the count.
func (s *Store) Unsupport(ctx context.Context, v Viewer, p *Proposal) (int, error) {
	db := s.db
	var count int
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, err := tx.ExecContext(ctx, "DELETE FROM supports WHERE proposal_id = ? AND participant_id = ?", p.ID, v.ParticipantID)
		if err != nil {
			return fmt.Errorf("delete support: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return tx.NewSelect().Table("proposals").Column("supports").Where("id = ?", p.ID).Scan(ctx, &count)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE support_quotas SET used = used - 1 WHERE consultation_id = ? AND participant_id = ? AND used > 0",
			p.ConsultationID, v.ParticipantID); err != nil {
			return fmt.Errorf("support quota: %w", err)
		}
		if err := tx.NewRaw("UPDATE proposals SET supports = supports - 1 WHERE id = ? RETURNING supports", p.ID).Scan(ctx, &count); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	p.Supports = count
	return count, nil
}

// Supported reports which of ids participant pid supports.
func Supported(ctx context.Context, db bun.IDB, pid int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if pid == 0 || len(ids) == 0 {
		return out, nil
	}
	var got []int64
	err := db.NewSelect().Table("supports").Column("proposal_id").
		Where("participant_id = ? AND proposal_id IN (?)", pid, bun.List(ids)).Scan(ctx, &got)
	if err != nil {
		return nil, fmt.Errorf("supports of participant %d: %w", pid, err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}
