package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/token"
)

// tokenCmd creates a staff personal access token for the JSON API:
// `rembug token create --email E --name N` prints it once.
func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "usage: rembug token create --email EMAIL --name NAME\n")
		return errUsage
	}
	fs := flag.NewFlagSet("rembug token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	email := fs.String("email", "", "the staff member's email")
	name := fs.String("name", "", "what the token is for, e.g. dasbor-opd")
	if err := fs.Parse(args[1:]); err != nil || *email == "" || *name == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, "usage: rembug token create --email EMAIL --name NAME\n")
		return errUsage
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	tok, err := token.NewStore(db, time.Now).Create(ctx, *email, *name)
	switch errs.KindOf(err) {
	case errs.Internal:
		if err != nil {
			return err
		}
	case errs.NotFound:
		return fmt.Errorf("no user with email %s / tidak ada pengguna dengan email %s", *email, *email)
	default:
		return fmt.Errorf("%s is not staff or a complaint officer / %s bukan staf atau petugas pengaduan", *email, *email)
	}
	fmt.Fprintf(stdout, "%s\n(shown once: store it now / hanya ditampilkan sekali: simpan sekarang)\n", tok)
	return nil
}
