package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rembug/rembug/forum/consul"
)

// importProposals loads a CONSUL Democracy proposals folder (such as
// shared/data/proposals/decide-madrid) in one transaction; a malformed
// file is reported with its file and line, and nothing is imported.
func importProposals(ctx context.Context, cfg *config, dir string, stdout io.Writer) error {
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	rep, err := consul.Import(ctx, db, dir, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("import proposals %s: %w (nothing was imported)", dir, err)
	}
	fmt.Fprintf(stdout, "imported /k/%s (id %d): %d proposals (%d new), %d comments (%d new, %d replies to missing parents kept at top level), %d imported supports in %v\n",
		rep.Slug, rep.ConsultationID, rep.Proposals, rep.NewProposals, rep.Comments, rep.NewComments, rep.Orphans, rep.Supports,
		time.Since(start).Round(time.Millisecond))
	return nil
}
