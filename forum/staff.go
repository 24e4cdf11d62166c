package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// maxStaffConsultations bounds the consultations the admin home lists: a
// local government runs tens a year, not thousands.
const maxStaffConsultations = 500

// StaffConsultations lists, newest first, the consultations (drafts
// included) whose moderation queue v may read by the access rule (Can
// ActRead on ItemModerationLog): every one for admins, moderators and
// analysts, the ones named for v for a per-consultation moderator or
// analyst, none
// for anyone else. At most 500 are returned.
func StaffConsultations(ctx context.Context, db bun.IDB, v Viewer) ([]Consultation, error) {
	if v.User == nil {
		return nil, nil
	}
	var cs []Consultation
	q := db.NewSelect().Model(&cs).Order("created_at DESC", "id DESC").Limit(maxStaffConsultations)
	if !v.Analyst() {
		ids := append(v.ModeratedConsultations(), v.AnalyzedConsultations()...)
		if len(ids) == 0 {
			return nil, nil
		}
		q = q.Where("id IN (?)", bun.In(ids))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("staff consultations: %w", err)
	}
	out := cs[:0]
	for _, c := range cs {
		err := Can(ctx, v, ActRead, Item{Kind: ItemModerationLog, Consultation: &c})
		switch {
		case err == nil:
			out = append(out, c)
		case errs.KindOf(err) == errs.Internal:
			return nil, err
		}
	}
	return out, nil
}
