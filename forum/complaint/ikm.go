package complaint

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// RatingsOf returns the citizens' ratings (1–4, the IKM answer scale) of
// complaints routed to the agencies linked to IKM unit unitID
// (Agency.IKMUnitID, set by SetAgencyIKMUnit) and closed in [from, to),
// oldest first. They are the answers the IKM element "penanganan
// pengaduan, saran dan masukan" (U8 of PermenPANRB 14/2017) takes from
// complaints, beside the unit's survey answers to U8. A complaint routed to
// two agencies of the unit counts once; unrated ones not at all.
func (s *Store) RatingsOf(ctx context.Context, unitID int64, from, to time.Time) ([]int, error) {
	var out []int
	err := s.db.NewSelect().TableExpr("complaints AS c").ColumnExpr("c.rating").
		Where("c.id IN (SELECT r.complaint_id FROM complaint_routes AS r JOIN complaint_agencies AS a ON a.id = r.agency_id WHERE a.ikm_unit_id = ?)", unitID).
		Where("c.rating BETWEEN 1 AND 4 AND c.closed_at >= ? AND c.closed_at < ?", from.UTC(), to.UTC()).
		OrderExpr("c.closed_at, c.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("ratings of IKM unit %d: %w", unitID, err)
	}
	return out, nil
}

// SetAgencyIKMUnit links agency id to IKM unit unitID (nil unlinks): its
// complaint ratings then count for that unit's U8 (RatingsOf). Admins
// only (KindForbidden); errs.ErrNotFound for an unknown agency. The caller
// checks that the unit exists (it belongs to polls). Audited as
// complaint.agency_ikm with the unit id.
func (s *Store) SetAgencyIKMUnit(ctx context.Context, a Actor, id int64, unitID *int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Table("complaint_agencies").Set("ikm_unit_id = ?", unitID).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("link agency %d to IKM unit: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.ErrNotFound
		}
		reason := ""
		if unitID != nil {
			reason = strconv.FormatInt(*unitID, 10)
		}
		return auditDirectory(ctx, tx, a, "complaint.agency_ikm", id, reason, s.now())
	})
}
