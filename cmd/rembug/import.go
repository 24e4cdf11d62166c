package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rembug/rembug/polls/polis"
)

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: rembug import polis DIR\n")
		return errUsage
	}
	kind, args := args[0], args[1:]
	if kind == "ikm" { // import_ikm.go: its flags follow the file name
		return importIKM(ctx, args, stdout, stderr)
	}
	if kind == "complaints" { // import_complaints.go
		return importComplaints(ctx, args, stdout, stderr)
	}
	cfg, rest, err := parse("import "+kind, args, stderr)
	if err != nil {
		return err
	}
	switch kind {
	case "polis":
		if len(rest) != 1 {
			fmt.Fprint(stderr, "usage: rembug import polis DIR\n")
			return errUsage
		}
		return importPolis(ctx, cfg, rest[0], stdout)
	case "proposals": // import_proposals.go
		if len(rest) != 1 {
			fmt.Fprint(stderr, "usage: rembug import proposals DIR\n")
			return errUsage
		}
		return importProposals(ctx, cfg, rest[0], stdout)
	}
	fmt.Fprintf(stderr, "rembug import: unknown kind %q (want polis)\n", kind)
	return errUsage
}

func importPolis(ctx context.Context, cfg *config, dir string, stdout io.Writer) error {
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	rep, err := polis.Import(ctx, db, dir, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("import polis %s: %w (nothing was imported)", dir, err)
	}
	d := time.Since(start)
	fmt.Fprintf(stdout, "imported %q as /k/%s (id %d): %d statements (%d hidden), %d participants, %d votes (%d agree, %d disagree, %d pass) in %v (%.0f votes/s)\n",
		rep.Title, rep.Slug, rep.ConsultationID, rep.Statements, rep.Hidden, rep.Participants,
		rep.Votes, rep.Agree, rep.Disagree, rep.Pass, d.Round(time.Millisecond), float64(rep.Votes)/d.Seconds())
	return nil
}
