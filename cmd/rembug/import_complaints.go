package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/tz"
)

// importComplaints loads historical complaints from a CSV file, all rows
// or none: `rembug import complaints FILE.csv [--tz Asia/Jakarta]`. Bad rows
// are printed as file:row: message lines and the exit status is non-zero.
func importComplaints(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rembug import complaints", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	tzName := fs.String("tz", "Asia/Jakarta", "time zone of the file's local times")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, "usage: rembug import complaints FILE.csv [--tz Asia/Jakarta]\n")
		return errUsage
	}
	file := pos[0]
	zone, ok := tz.Named(*tzName)
	if !ok {
		return fmt.Errorf("--tz %q: unknown time zone / zona waktu tidak dikenal", *tzName)
	}
	loc := zone.Loc
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := complaint.NewStore(ctx, db, complaint.Config{Location: loc})
	if err != nil {
		return err
	}
	start := time.Now()
	rep, err := st.Import(ctx, complaint.SystemActor, filepath.Base(file), f, loc)
	if err != nil {
		var rows complaint.RowErrors
		if errors.As(err, &rows) {
			fmt.Fprintln(stderr, rows.Error())
			return fmt.Errorf("%s: %d bad rows; nothing was imported / tidak ada yang diimpor", file, len(rows))
		}
		return fmt.Errorf("import complaints %s: %w (nothing was imported)", file, err)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w.Error())
	}
	fmt.Fprintf(stdout, "imported %d of %d complaints from %s (%d already present): %d with a first answer (%d left out of response times: answered before received); created %d agencies, %d topics, %d areas in %v\n",
		rep.Imported, rep.Rows, file, rep.Skipped, rep.Answered, len(rep.Warnings), rep.Agencies, rep.Topics, rep.Areas, time.Since(start).Round(time.Millisecond))
	return nil
}
