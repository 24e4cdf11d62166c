package sources

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/search"
)

// Checked is a search result re-read from the database: the hits the
// viewer may read now, with their current records, and the hits that were
// dropped because the index was stale.
type Checked struct {
	// Hits are the hits that passed, in their order.
	Hits []search.Hit
	// Records holds the current record of each passing hit, by ID.
	Records map[string]Record
	// Stale are the IDs of hits whose row is gone or that v may no longer
	// read; pass them to Repair.
	Stale []string
}

// Check re-reads the rows behind hits and keeps those that viewer v may
// read according to the database now, so that content deleted, hidden or
// moved to a focus group since it was indexed is never shown, even before
// the indexer catches up (CASES C21). It runs one query per kind.
func Check(ctx context.Context, db bun.IDB, v search.Viewer, hits []search.Hit) (Checked, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	recs, err := Load(ctx, db, ids)
	if err != nil {
		return Checked{}, fmt.Errorf("sources: check hits: %w", err)
	}
	allowed := search.VisibleTo(v)
	out := Checked{Hits: make([]search.Hit, 0, len(hits)), Records: make(map[string]Record, len(hits))}
	for _, h := range hits {
		r, ok := recs[h.ID]
		if !ok || !slices.Contains(allowed, r.Doc.Visibility) {
			out.Stale = append(out.Stale, h.ID)
			continue
		}
		out.Hits = append(out.Hits, h)
		out.Records[h.ID] = r
	}
	return out, nil
}
