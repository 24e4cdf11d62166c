// Command rembug is the one binary of the rembug consultation platform.
//
//	rembug [serve]                    start the site (the default)
//	rembug migrate                    apply database migrations
//	rembug import polis DIR           import a Pol.is open-data export
//	rembug reindex                    rebuild the search index from the database
//	rembug import proposals DIR       import CONSUL proposals and comments (Decide Madrid)
//	rembug report CONSULTATION        write a consultation's report
//	rembug export polis CONSULTATION DIR  write a Pol.is-format export
//	rembug lapor export|import        reconcile complaints with SP4N-LAPOR! (CSV)
//	rembug backup --out FILE          back up the SQLite database and data folder
//	rembug restore FILE --data DIR    restore a backup into an empty data folder
//	rembug version                    print the version
//
// Every subcommand reads the same flags and environment variables
// (see config.go and README.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rembug/rembug/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "rembug:", describe(err))
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// run dispatches args to a subcommand; it is main without the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "user": // user.go
		return userCmd(ctx, args, os.Stdin, stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args, stdout, stderr)
	case "import":
		return importCmd(ctx, args, stdout, stderr)
	case "reindex": // reindex.go
		return reindexCmd(ctx, args, stdout, stderr)
	case "report":
		return reportCmd(ctx, args, stdout, stderr)
	case "export":
		return exportCmd(ctx, args, stdout, stderr)
	case "lapor": // lapor.go
		return laporCmd(ctx, args, stdout, stderr)
	case "poll":
		return pollCmd(ctx, args, stdout, stderr)
	case "token": // token.go
		return tokenCmd(ctx, args, stdout, stderr)
	case "backup": // backup.go
		return backupCmd(ctx, args, stdout, stderr)
	case "restore": // restore.go
		return restoreCmd(ctx, args, stdout, stderr)
	case "probe": // probe.go
		return probeCmd(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "rembug", version)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "rembug: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

const usage = `Usage: rembug [command] [flags]

Commands:
  serve                 start the site (default)
  migrate               apply database migrations and exit
  user create --email EMAIL --role admin|moderator|analyst [--password-stdin]
                        create a staff account: password from stdin, or a one-time sign-in link
  import polis DIR      import a Pol.is open-data export folder as a consultation
  import complaints FILE.csv [--tz Asia/Jakarta]
                        import historical complaints (all rows or none; idempotent by id)
  token create --email EMAIL --name NAME
                        create a staff API token (printed once; use as Authorization: Bearer)
  reindex               rebuild the search index from the database (stop the server first with Bleve)
  import proposals DIR  import a CONSUL (Decide Madrid) proposals folder as a consultation
  report CONSULTATION [--format html|md|json|csv] [--lang id|en] [--out FILE]
                        write a consultation's report (opinion groups, participation)
  report publish|unpublish CONSULTATION --as ADMIN_EMAIL
                        show the report to everyone, or only to staff
  lapor export [--out FILE]
                        every complaint with its SP4N-LAPOR! id, as CSV
  lapor import FILE.csv link complaints to LAPOR! ids (number,lapor_id), all rows or none
  export polis CONSULTATION DIR
                        write a pseudonymous Pol.is-format open-data export
  import ikm FILE.csv --unit NAME --period 2026-S1
                        import paper IKM questionnaires (all rows or none)
  poll create --file poll.json
                        create a poll or survey from a JSON definition
  poll export ID [--format csv|xlsx] [--out FILE]
                        export a poll's responses (and results, in XLSX)
  backup --out FILE     a consistent online backup of the SQLite database (with uploaded files) into one .tar.gz
  restore FILE --data DIR
                        restore a backup into an empty data folder and rebuild the search index
  probe URL             check the site from outside and record up or down for the reliability indicator
  version               print the version

Flags (each also read from the environment variable shown):
  --data DIR            data folder for SQLite and the search index (REMBUG_DATA_DIR, default ./rembug-data)
  --addr HOST:PORT      listen address (REMBUG_ADDR, default 127.0.0.1:8080)
  --database-url URL    PostgreSQL URL; empty means SQLite in the data folder (REMBUG_DATABASE_URL)
  --log-format text|json  log format (REMBUG_LOG_FORMAT, default text)
  --redis-url URL       Redis for live sessions on many nodes (REMBUG_REDIS_URL)
  --drain-delay 3s      serve: after SIGTERM, /readyz answers 503 this long before
                        websockets close and the server stops (REMBUG_DRAIN_DELAY, default 0)
  --version             print the version and exit
`

// describe turns err into a line for the terminal: domain errors carry a
// translation key, shown as its message in the operator's language
// (Bahasa Indonesia when REMBUG_LANG or LANG starts with "id", else English).
func describe(err error) string {
	m, lerr := web.LoadMessages()
	if lerr != nil {
		return err.Error()
	}
	return m.Describe(cliLang(), err)
}

func cliLang() string {
	for _, v := range []string{os.Getenv("REMBUG_LANG"), os.Getenv("LANG")} {
		if strings.HasPrefix(v, "id") {
			return "id"
		}
		if v != "" && v != "C" && v != "POSIX" && !strings.HasPrefix(v, "C.") {
			return "en"
		}
	}
	return "en"
}
