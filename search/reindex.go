package search

import (
	"context"
	"errors"
	"fmt"
)

// reindexBatch is how many documents Reindex sends to the engine at once.
const reindexBatch = 500

// Source streams every searchable document to yield, stopping at yield's
// first error (which it returns). It is how the owner of the data (the
// forum, via cmd) feeds Reindex without search importing it.
type Source func(yield func(Document) error) error

// Reindex empties idx and fills it from source, in batches of 500, and
// returns how many documents it indexed. Searches during the rebuild see a
// partial index. Documents that fail validation are skipped and reported
// together in the returned error after the rebuild finishes; an engine or
// source error stops it. Outbox rows written meanwhile are applied by the
// Indexer afterwards, so nothing newer is lost.
func Reindex(ctx context.Context, idx Index, source Source) (int, error) {
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
	err := source(func(d Document) error {
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
