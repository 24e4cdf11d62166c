package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// PhasesFor lists the phases of consultations ids by start time, keyed by
// consultation id, in one query (a consultation without phases is absent).
func PhasesFor(ctx context.Context, db bun.IDB, ids []int64) (map[int64][]Phase, error) {
	out := map[int64][]Phase{}
	if len(ids) == 0 {
		return out, nil
	}
	var ps []Phase
	err := db.NewSelect().Model(&ps).Where("consultation_id IN (?)", bun.In(ids)).Order("consultation_id", "starts_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("phases of %d consultations: %w", len(ids), err)
	}
	for _, p := range ps {
		out[p.ConsultationID] = append(out[p.ConsultationID], p)
	}
	return out, nil
}
