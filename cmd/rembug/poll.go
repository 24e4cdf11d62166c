package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
)

const pollUsage = `usage: rembug poll create --file poll.json
       rembug poll export ID [--format csv|xlsx] [--lang id|en] [--out FILE]
`

// pollCmd creates polls from a JSON definition (there is no web admin
// without sign-in) and exports their responses.
func pollCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, pollUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("rembug poll "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := flags(fs)
	file := fs.String("file", "", "poll definition (JSON)")
	format := fs.String("format", "csv", "export format: csv or xlsx")
	lang := fs.String("lang", "id", "export language: id or en")
	out := fs.String("out", "", "export file (default: standard output)")
	// Flags may follow the id, as the usage line shows.
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return errUsage
	}
	switch sub {
	case "create":
		if *file == "" || len(pos) != 0 {
			fmt.Fprint(stderr, pollUsage)
			return errUsage
		}
		return pollCreate(ctx, cfg, *file, stdout)
	case "export":
		if len(pos) != 1 || (*format != "csv" && *format != "xlsx") {
			fmt.Fprint(stderr, pollUsage)
			return errUsage
		}
		return pollExport(ctx, cfg, pos[0], *format, *lang, *out, stdout)
	}
	fmt.Fprint(stderr, pollUsage)
	return errUsage
}

func pollCreate(ctx context.Context, cfg *config, file string, stdout io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	def, err := polls.ParseDefinition(f)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	s, qs, err := def.Build()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := forum.ConsultationByRef(ctx, db, def.Consultation)
	if err != nil {
		return fmt.Errorf("%s: consultation %q: %w", file, def.Consultation, err)
	}
	s.ConsultationID = c.ID
	if err := polls.NewStore(db, func() time.Time { return time.Now() }).CreateSurvey(ctx, forum.Viewer{}, s, qs); err != nil {
		return fmt.Errorf("%s: %w (nothing was created)", file, err)
	}
	fmt.Fprintf(stdout, "created poll %d %q with %d questions: /survei/%d (opens %s, closes %s UTC)\n",
		s.ID, s.Title, len(qs), s.ID, s.OpensAt.Format(time.RFC3339), s.ClosesAt.Format(time.RFC3339))
	return nil
}

func pollExport(ctx context.Context, cfg *config, ref, format, lang, out string, stdout io.Writer) error {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return fmt.Errorf("poll id %q is not a number", ref)
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	sv, qs, err := polls.SurveyByID(ctx, db, id)
	if err != nil {
		return fmt.Errorf("poll %d: %w", id, err)
	}
	all, err := polls.AllAnswers(ctx, db, sv, time.Now())
	if err != nil {
		return err
	}
	res, err := polls.Results(qs, all)
	if err != nil {
		return err
	}
	k, err := pollMinCell()
	if err != nil {
		return err
	}
	polls.Disclose(sv, res, k)
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if format == "xlsx" {
		return export.WriteXLSX(w, export.ResultRows(res, lang), export.ResponseRows(qs, all, lang))
	}
	return export.WriteCSV(w, export.ResponseRows(qs, all, lang))
}
