package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

const userUsage = `usage: rembug user create --email EMAIL --role admin|moderator|analyst [--name NAME] [--password-stdin]

Without --password-stdin it prints a one-time sign-in link (valid 24 hours).
With it, the first line of standard input becomes the password (at least 12 characters).
`

// userCmd runs "rembug user create": a staff account with a password or a
// one-time sign-in link.
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("rembug user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	email := fs.String("email", "", "the staff member's email")
	role := fs.String("role", "", "admin, moderator or analyst")
	name := fs.String("name", "", "display name (default: the part of the email before @)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	switch {
	case *email == "" || !strings.Contains(*email, "@"):
		fmt.Fprintf(stderr, "rembug user create: --email %q is not an email address\n\n%s", *email, userUsage)
		return errUsage
	case *role != forum.RoleAdmin && *role != forum.RoleModerator && *role != forum.RoleAnalyst:
		// Citizens sign in with a provider (see README, "Sign-in and
		// accounts"); local accounts are for staff only.
		fmt.Fprintf(stderr, "rembug user create: --role %q: must be admin, moderator or analyst (citizens sign in with a provider)\n\n%s", *role, userUsage)
		return errUsage
	}
	var password string
	if *pwStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if err := forum.ValidPassword(password); err != nil {
			return fmt.Errorf("password: at least %d characters, at most %d bytes", forum.MinPasswordRunes, forum.MaxPasswordBytes)
		}
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now().UTC()
	store := forum.NewStore(db, func() time.Time { return now })
	u := &forum.User{Email: *email, DisplayName: *name, Role: *role}
	if err := store.CreateUser(ctx, forum.Viewer{}, u); err != nil {
		if errs.KindOf(err) == errs.Conflict {
			return fmt.Errorf("user create: an account with email %s already exists", u.Email)
		}
		return fmt.Errorf("user create: %w", err)
	}
	if *pwStdin {
		if err := store.SetPassword(ctx, forum.Viewer{}, u.ID, password, forum.RecommendedArgon2()); err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		fmt.Fprintf(stdout, "created %s %s (id %d) with a password; sign in at %s/masuk\n", u.Role, u.Email, u.ID, cfg.baseURL())
		return nil
	}
	tok, err := store.CreateSignInLink(ctx, u.ID, forum.SignInLinkTTL)
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\none-time sign-in link, valid until %s:\n%s/masuk/tautan/%s\n",
		u.Role, u.Email, u.ID, now.Add(forum.SignInLinkTTL).Format(time.RFC3339), cfg.baseURL(), url.PathEscape(tok))
	return nil
}
