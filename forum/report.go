package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Audit actions of publishing a report.
const (
	AuditReportPublish   = "report_publish"
	AuditReportUnpublish = "report_unpublish"
)

// PublishReport publishes (on true) or withdraws consultation c's report
// for v, who administers c (errs.Forbidden otherwise), in one transaction
// with its audit entry (AuditReportPublish or AuditReportUnpublish) naming
// v. It is the one way a report is published: the button on the report
// page and `rembug report publish --as ADMIN_EMAIL` both call it. A
// consultation that no longer exists is errs.ErrNotFound.
func (s *Store) PublishReport(ctx context.Context, v Viewer, c *Consultation, on bool) error {
	if err := Can(ctx, v, ActAdminister, c.Item()); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, c.Item()); err != nil {
			return err
		}
		if err := setReportPublished(ctx, tx, v, c.ID, on, now); err != nil {
			return err
		}
		c.ReportPublished = on
		return nil
	})
}

func setReportPublished(ctx context.Context, tx bun.IDB, v Viewer, id int64, on bool, now time.Time) error {
	res, err := tx.NewUpdate().Model((*Consultation)(nil)).
		Set("report_published = ?", on).Set("updated_at = ?", now).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set report_published of %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.ErrNotFound
	}
	action := AuditReportPublish
	if !on {
		action = AuditReportUnpublish
	}
	return audit(ctx, tx, v, action, "consultation", id, id, "", now)
}
