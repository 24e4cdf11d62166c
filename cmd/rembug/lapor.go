package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rembug/rembug/forum/complaint"
)

// laporCmd is the SP4N-LAPOR! bridge (README "Complaints", LAPOR! bridge):
//
//	rembug lapor export [--out FILE]   every complaint with its LAPOR! id column (CSV)
//	rembug lapor import FILE.csv       link number → lapor_id, all rows or none
//
// Bad import rows are printed as file:row: message lines and the exit
// status is non-zero.
func laporCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rembug lapor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	out := fs.String("out", "", "export: write the CSV to FILE instead of standard output")
	pos, err := parseInterleaved(fs, args)
	usage := func() error {
		fmt.Fprint(stderr, "usage: rembug lapor export [--out FILE] | rembug lapor import FILE.csv\n")
		return errUsage
	}
	if err != nil || len(pos) == 0 || (pos[0] == "export" && len(pos) != 1) || (pos[0] == "import" && len(pos) != 2) ||
		(pos[0] != "export" && pos[0] != "import") {
		return usage()
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := complaint.NewStore(ctx, db, complaint.Config{})
	if err != nil {
		return err
	}
	if pos[0] == "export" {
		w := stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		return st.ExportLapor(ctx, complaint.SystemActor, w)
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := st.ImportLapor(ctx, complaint.SystemActor, filepath.Base(pos[1]), f)
	var rows complaint.RowErrors
	if errors.As(err, &rows) {
		fmt.Fprintln(stderr, rows.Error())
		return fmt.Errorf("%s: %d bad rows; nothing was changed / tidak ada yang diubah", pos[1], len(rows))
	}
	if err != nil {
		return fmt.Errorf("lapor import %s: %w (nothing was changed)", pos[1], err)
	}
	fmt.Fprintf(stdout, "linked %d complaints to their LAPOR! ids from %s\n", n, pos[1])
	return nil
}
