package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// ProposalCounts is what a consultation card shows about proposals: the
// published proposals of its public part (focus groups left out) and the
// visible comments on them (Proposal.Comments, the CASES C19 rule).
type ProposalCounts struct {
	Proposals int `json:"proposals"`
	Comments  int `json:"comments"`
}

// ProposalCountsFor returns the ProposalCounts of each consultation in ids,
// in one query; consultations without proposals are absent (zero).
func ProposalCountsFor(ctx context.Context, db bun.IDB, ids []int64) (map[int64]ProposalCounts, error) {
	out := make(map[int64]ProposalCounts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ConsultationID int64 `bun:"consultation_id"`
		Proposals      int   `bun:"proposals"`
		Comments       int   `bun:"comments"`
	}
	sel := db.NewSelect().Model((*Proposal)(nil)).
		ColumnExpr("p.consultation_id, COUNT(*) AS proposals, COALESCE(SUM(p.comments), 0) AS comments").
		Where("p.consultation_id IN (?) AND p.focus_group_id = 0", bun.In(ids)).GroupExpr("p.consultation_id")
	if err := visibleSQL(sel, "p").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("proposal counts: %w", err)
	}
	for _, r := range rows {
		out[r.ConsultationID] = ProposalCounts{Proposals: r.Proposals, Comments: r.Comments}
	}
	return out, nil
}
