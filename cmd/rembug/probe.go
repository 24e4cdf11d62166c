package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/rembug/rembug/polls/indicators"
)

// probeTimeout is how long `rembug probe` waits for an answer.
const probeTimeout = 10 * time.Second

// probeCmd checks URL from outside the site (run it from another machine,
// e.g. every minute from cron) and records the result in the heartbeats
// table as source "probe:HOST": up when the site answers with a status
// below 500 within probeTimeout. It prints the result and exits non-zero
// when the site is down.
func probeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, rest, err := parse("probe", args, stderr)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "usage: rembug probe [--database-url URL] URL")
		return errUsage
	}
	u, err := url.Parse(rest[0])
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("probe: %q is not an http(s) URL", rest[0])
	}
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	status, perr := 0, error(nil)
	req, _ := http.NewRequestWithContext(cctx, http.MethodGet, u.String(), nil)
	res, perr := http.DefaultClient.Do(req)
	if perr == nil {
		status = res.StatusCode
		res.Body.Close()
	}
	ok := perr == nil && status < 500
	if err := indicators.Beat(ctx, db, "probe:"+u.Host, true, ok, start, 0, 0); err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	if !ok {
		if perr == nil {
			perr = fmt.Errorf("status %d", status)
		}
		fmt.Fprintf(stdout, "%s down after %v: %v\n", u, took, perr)
		return fmt.Errorf("probe: %s is down", u)
	}
	fmt.Fprintf(stdout, "%s up: %d in %v\n", u, status, took)
	return nil
}

// nodeName names this node in the heartbeats table: its host name and
// listen address.
func nodeName(addr string) string {
	host, err := os.Hostname()
	if err != nil {
		host = "node"
	}
	return host + "/" + addr
}
