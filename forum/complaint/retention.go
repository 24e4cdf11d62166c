package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// EraseExpired is the retention job (UU 27/2022 tentang Pelindungan Data
// Pribadi, Pasal 43 ayat (1) huruf a: the controller erases personal data
// no longer needed for the purpose it was processed for): complaints closed, rejected or merged more than
// Config.RetentionDays ago lose their reporter's name, phone, email, user
// link, tracking secret, coordinates and photos; personal data in the complaint
// text and timeline is masked. The handling record (dates, agencies,
// topic, area, rating) stays for statistics. It returns how many complaints
// it erased; running it again erases nothing more.
func (s *Store) EraseExpired(ctx context.Context) (int, error) {
	cutoff := s.now().AddDate(0, 0, -s.cfg.RetentionDays)
	var ids []int64
	if err := s.db.NewSelect().Table("complaints").Column("id").
		Where("erased_at IS NULL AND closed_at IS NOT NULL AND closed_at <= ? AND status IN (?, ?, ?)",
			cutoff, StatusClosed, StatusRejected, StatusMerged).Order("id").Scan(ctx, &ids); err != nil {
		return 0, fmt.Errorf("expired complaints: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.write(ctx, SystemActor, func(ctx context.Context, tx bun.Tx, now time.Time) (*change, error) {
			c, err := lockComplaint(ctx, tx, id)
			if err != nil || c.ErasedAt != nil {
				return nil, err
			}
			c.ReporterName, c.ReporterPhone, c.ReporterEmail, c.SecretHash = "", "", "", ""
			c.ReporterUserID, c.Latitude, c.Longitude = nil, nil, nil
			c.Body = Mask(c.Body)
			c.RatingComment = Mask(c.RatingComment)
			c.ErasedAt = &now
			c.UpdatedAt = now
			if _, err := tx.NewUpdate().Model(c).WherePK().Exec(ctx); err != nil {
				return nil, fmt.Errorf("erase complaint %s: %w", c.Number, err)
			}
			if _, err := tx.NewDelete().Model((*Photo)(nil)).Where("complaint_id = ?", c.ID).Exec(ctx); err != nil {
				return nil, fmt.Errorf("erase photos of %s: %w", c.Number, err)
			}
			var es []Event
			if err := tx.NewSelect().Model(&es).Where("complaint_id = ?", c.ID).Scan(ctx); err != nil {
				return nil, err
			}
			for _, e := range es {
				if m := Mask(e.Body); m != e.Body {
					if _, err := tx.NewUpdate().Model((*Event)(nil)).Set("body = ?", m).Where("id = ?", e.ID).Exec(ctx); err != nil {
						return nil, err
					}
				}
			}
			n++
			return &change{action: "complaint.erase", c: c, reason: "retention"}, nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Jobs runs the periodic complaint jobs once: deadline warnings and
// escalations, auto-close, and erasure after the retention period. cmd
// runs it every few minutes.
func (s *Store) Jobs(ctx context.Context) error {
	if _, err := s.CheckDeadlines(ctx); err != nil {
		return err
	}
	if _, err := s.AutoClose(ctx); err != nil {
		return err
	}
	_, err := s.EraseExpired(ctx)
	return err
}
