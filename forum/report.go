package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// SetReportPublished publishes (published true) or withdraws the report of
// consultation id, so that everyone, or only staff, may see it. It returns
// ErrNotFound when there is no such consultation.
func SetReportPublished(ctx context.Context, db bun.IDB, id int64, published bool, now time.Time) error {
	res, err := db.NewUpdate().Model((*Consultation)(nil)).
		Set("report_published = ?", published).Set("updated_at = ?", now).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set report_published of %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.ErrNotFound
	}
	return nil
}
