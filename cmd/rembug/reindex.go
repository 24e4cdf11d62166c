package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// reindexCmd empties the search index and rebuilds it from the database
// (consultations, statements, proposals, comments, live questions), then
// applies the outbox. Run it with the server stopped when using Bleve
// (the index folder is locked by a running server); Meilisearch may stay
// in use.
func reindexCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parse("reindex", args, stderr)
	if err != nil {
		return err
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	idx, _, err := cfg.openSearch(ctx)
	if err != nil {
		return err
	}
	defer idx.Close()
	sources, err := searchSources()
	if err != nil {
		return err
	}
	start := time.Now()
	ix := cfg.indexer(db, idx, sources, cfg.logger(stderr))
	n, err := ix.Rebuild(ctx)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	d := time.Since(start)
	applied, err := ix.Drain(ctx)
	if err != nil {
		return fmt.Errorf("reindex: apply outbox: %w", err)
	}
	fmt.Fprintf(stdout, "reindexed %d documents into %s in %v (%.0f documents/s); applied %d outbox rows\n",
		n, searchKind(idx), d.Round(time.Millisecond), float64(n)/d.Seconds(), applied)
	return nil
}
