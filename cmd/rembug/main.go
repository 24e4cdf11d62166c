// Command rembug is the one binary of the rembug consultation platform.
//
//	rembug [serve]                    start the site (the default)
//	rembug migrate                    apply database migrations
//	rembug import polis DIR           import a Pol.is open-data export
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
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "rembug:", err)
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
	case "migrate":
		return migrateCmd(ctx, args, stdout, stderr)
	case "import":
		return importCmd(ctx, args, stdout, stderr)
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
  import polis DIR      import a Pol.is open-data export folder as a consultation
  version               print the version

Flags (each also read from the environment variable shown):
  --data DIR            data folder for SQLite and the search index (REMBUG_DATA_DIR, default ./rembug-data)
  --addr HOST:PORT      listen address (REMBUG_ADDR, default 127.0.0.1:8080)
  --database-url URL    PostgreSQL URL; empty means SQLite in the data folder (REMBUG_DATABASE_URL)
  --log-format text|json  log format (REMBUG_LOG_FORMAT, default text)
  --version             print the version and exit
`
