package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// importIKM loads paper IKM questionnaires typed into a CSV file: all rows
// or none. A bad cell is reported as one line naming the file, row and
// column, in Indonesian and English, and nothing is stored.
func importIKM(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rembug import ikm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	unit := fs.String("unit", "", "service unit name (created when new)")
	period := fs.String("period", "", "period: YYYY, YYYY-S1, YYYY-Q1 or YYYY-MM")
	// Flags may come after the file name: rembug import ikm FILE --unit … --period ….
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" || *unit == "" || *period == "" {
		fmt.Fprint(stderr, "usage: rembug import ikm FILE.csv --unit NAME --period 2026-S1\n")
		return errUsage
	}
	p, err := ikm.ParsePeriod(*period)
	if err != nil {
		var pe *ikm.PeriodError
		if errors.As(err, &pe) {
			return fmt.Errorf("--period: %s / %s", pe.Indonesian(), pe.English())
		}
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	rs, err := ikm.ReadCSV(bytes.NewReader(data))
	if err != nil {
		var ie *ikm.ImportError
		if errors.As(err, &ie) {
			return fmt.Errorf("%s: %s / %s (nothing was imported)", file, ie.Indonesian(), ie.English())
		}
		return fmt.Errorf("%s: %w (nothing was imported)", file, err)
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	u, err := polls.NewStore(db, func() time.Time { return now }).EnsureIKMUnit(ctx, forum.Viewer{}, *unit)
	if err != nil {
		return fmt.Errorf("--unit: %w", err)
	}
	sum := sha256.Sum256(data)
	if err := polls.NewStore(db, func() time.Time { return now }).ImportIKM(ctx, forum.Viewer{}, u.ID, p, hex.EncodeToString(sum[:]), rs); err != nil {
		if errors.Is(err, polls.ErrIKMDuplicateImport) {
			return fmt.Errorf("%s: this file was already imported for %q (nothing was imported)", file, u.Name)
		}
		return fmt.Errorf("%s: %w (nothing was imported)", file, err)
	}
	rep, err := polls.BuildIKMReport(ctx, db, u, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d responses for %q, %s: IKM %s (%s), %d respondents in the period; report /ikm/%s/%s\n",
		len(rs), u.Name, p.Label("id"), ikm.FormatIKM(rep.Result.Rounded, "en"), rep.Result.Grade,
		rep.Result.Respondents, u.Slug, p)
	return nil
}
