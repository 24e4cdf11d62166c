package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
)

// reindexBatch is how many documents Reindex sends to the engine at once.
const reindexBatch = 500

// Reindex empties idx and fills it with every visible document of every
// source in sources, kinds in registration order and rows in id order,
// read from db in pages of 500 and sent to the engine in batches of 500;
// it returns how many documents it indexed. Searches during the rebuild
// see a partial index. Documents that fail validation are skipped and
// reported together in the returned error after the rebuild finishes; an
// engine or database error stops it. Outbox rows written meanwhile are
// applied by the Indexer afterwards, so nothing newer is lost.
func Reindex(ctx context.Context, idx Index, db bun.IDB, sources *Registry) (int, error) {
	if err := idx.DeleteAll(ctx); err != nil {
		return 0, fmt.Errorf("search: reindex: %w", err)
	}
	var invalid []error
	n := 0
	batch := make([]Document, 0, reindexBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := idx.Index(ctx, batch...)
		n += len(batch)
		batch = batch[:0]
		if err != nil {
			if isOnlyInvalid(err) {
				invalid = append(invalid, err)
				return nil
			}
			return err
		}
		return nil
	}
	err := sources.each(ctx, db, func(d Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = append(batch, d)
		if len(batch) >= reindexBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return n, fmt.Errorf("search: reindex after %d documents: %w", n, err)
	}
	return n, errors.Join(invalid...)
}

// each passes every visible document of every source to yield, stopping at
// yield's first error, which it returns.
func (r *Registry) each(ctx context.Context, db bun.IDB, yield func(Document) error) error {
	for _, s := range r.sources {
		var after int64
		for {
			recs, err := s.Scan(ctx, db, after, reindexBatch)
			if err != nil {
				return fmt.Errorf("search: scan %s rows: %w", s.Kind, err)
			}
			for _, rec := range recs {
				if _, id, ok := ParseDocID(rec.Doc.ID); ok {
					after = max(after, id)
				}
				if rec.Hidden() {
					continue
				}
				if err := yield(rec.Doc); err != nil {
					return err
				}
			}
			if len(recs) < reindexBatch {
				break
			}
		}
	}
	return nil
}

// isOnlyInvalid reports whether err (maybe joined) holds only ErrInvalid
// errors.
func isOnlyInvalid(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !isOnlyInvalid(e) {
				return false
			}
		}
		return true
	}
	return errors.Is(err, ErrInvalid)
}
