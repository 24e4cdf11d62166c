package sources

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/search"
)

// pageSize is how many rows Source reads per query.
const pageSize = 1000

// Source returns the search.Source of every visible row of every kind in
// db, for search.Reindex: kinds in the order of Kinds, rows in id order,
// read in pages of 1,000 by id (keyset), hidden rows left out. Kinds whose
// table does not exist are skipped.
func Source(ctx context.Context, db bun.IDB) search.Source {
	return func(yield func(search.Document) error) error {
		for _, k := range Kinds {
			var after int64
			for {
				recs, err := load(ctx, db, k, specs[k].id+" > ?", pageSize, after)
				if err != nil {
					return err
				}
				for _, r := range recs {
					if r.Hidden() {
						continue
					}
					if err := yield(r.Doc); err != nil {
						return err
					}
				}
				if len(recs) < pageSize {
					break
				}
				_, after, _ = ParseDocID(recs[len(recs)-1].Doc.ID)
			}
		}
		return nil
	}
}
