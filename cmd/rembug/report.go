package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls/report"
	"github.com/rembug/rembug/web"
)

const reportUsage = `usage: rembug report CONSULTATION [--format html|md|json|csv] [--lang id|en] [--out FILE]
       rembug report publish|unpublish CONSULTATION --as ADMIN_EMAIL
CONSULTATION is a consultation's id or slug. publish and unpublish act as the
admin account ADMIN_EMAIL, as the button on the report page does, and the
audit log names that admin. --format csv writes every table
(statements, participation, regions, proposals, polls, key-terms) as sections
of one CSV; with --out DIR/ (an existing directory or a path ending in /) it
writes one file per table, DIR/statements.csv and so on.
`

// parseInterleaved parses args with fs, allowing flags before, between and
// after positional arguments ("report SLUG --format md"), which
// fs.Parse alone stops at; it returns the positional arguments in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func reportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rembug report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	format := fs.String("format", "html", "output format: html, md, json or csv")
	lang := fs.String("lang", "id", "language of html, md and csv output: id or en")
	out := fs.String("out", "", "write to FILE instead of standard output")
	as := fs.String("as", "", "publish, unpublish: the email of the admin account who acts")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) == 2 && (pos[0] == "publish" || pos[0] == "unpublish") {
		if strings.TrimSpace(*as) == "" {
			fmt.Fprintf(stderr, "rembug report %s: --as ADMIN_EMAIL is required (the admin account the audit log names)\n\n%s", pos[0], reportUsage)
			return errUsage
		}
		return publishReport(ctx, cfg, pos[1], *as, pos[0] == "publish", stdout)
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, reportUsage)
		return errUsage
	}
	switch *format {
	case "html", "md", "json", "csv":
	default:
		fmt.Fprintf(stderr, "rembug report: unknown format %q (want html, md, json or csv)\n", *format)
		return errUsage
	}
	if *lang != "id" && *lang != "en" {
		fmt.Fprintf(stderr, "rembug report: unknown language %q (want id or en)\n", *lang)
		return errUsage
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := forum.ConsultationByRef(ctx, db, pos[0])
	if err != nil {
		return fmt.Errorf("consultation %q: %w", pos[0], err)
	}
	k, err := pollMinCell()
	if err != nil {
		return err
	}
	a, err := report.Analyze(ctx, db, c.ID, report.Settings{MinCell: k})
	if err != nil {
		return err
	}
	rep, err := report.Build(ctx, db, c, a, time.Now())
	if err != nil {
		return err
	}
	if *format == "csv" && isDir(*out) {
		paths, err := report.WriteCSVDir(*out, rep, *lang)
		for _, p := range paths {
			fmt.Fprintln(stdout, p)
		}
		return err
	}
	w, closeOut := stdout, func() error { return nil }
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		w, closeOut = f, f.Close
	}
	switch *format {
	case "html":
		err = web.WriteReportHTML(w, rep, *lang)
	case "md":
		err = report.WriteMarkdown(w, rep, *lang)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	case "csv":
		err = report.WriteCSVSections(w, rep, *lang)
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}

// isDir reports whether path names a directory: an existing one, or one
// to create when it ends with a path separator.
func isDir(path string) bool {
	if path == "" {
		return false
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(os.PathSeparator)) {
		return true
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// publishReport publishes (on) or withdraws consultation ref's report as
// the admin account with email as, through forum.Store.PublishReport, the
// method behind the report page's button: the same access rule and the
// same audit entry, naming that admin.
func publishReport(ctx context.Context, cfg *config, ref, as string, on bool, stdout io.Writer) error {
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := forum.ConsultationByRef(ctx, db, ref)
	if err != nil {
		return fmt.Errorf("consultation %q: %w", ref, err)
	}
	u, err := forum.UserByEmail(ctx, db, as)
	if err != nil {
		return fmt.Errorf("--as %q: no such account: %w", as, err)
	}
	v, err := forum.LoadViewer(ctx, db, u, 0)
	if err != nil {
		return err
	}
	if err := forum.NewStore(db, nil).PublishReport(ctx, v, c, on); err != nil {
		if errs.KindOf(err) == errs.Forbidden {
			return fmt.Errorf("--as %q: only an admin publishes or withdraws a report: %w", as, err)
		}
		return err
	}
	state := "published: everyone can see"
	if !on {
		state = "withdrawn: only staff can see"
	}
	fmt.Fprintf(stdout, "report of %q %s /k/%s/report\n", c.Title, state, c.Slug)
	return nil
}
