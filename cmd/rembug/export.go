package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/polis"
)

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rembug export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) != 3 || pos[0] != "polis" {
		fmt.Fprint(stderr, "usage: rembug export polis CONSULTATION DIR\n")
		return errUsage
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := forum.ConsultationByRef(ctx, db, pos[1])
	if err != nil {
		return fmt.Errorf("consultation %q: %w", pos[1], err)
	}
	rep, err := polis.Export(ctx, db, c, pos[2])
	if err != nil {
		return fmt.Errorf("export %q: %w", pos[1], err)
	}
	fmt.Fprintf(stdout, "exported %q to %s in the Pol.is format: %d statements, %d participants, %d votes, %d opinion groups\n",
		c.Title, pos[2], rep.Statements, rep.Participants, rep.Votes, rep.Groups)
	return nil
}
