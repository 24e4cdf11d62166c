package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/web"
)

// shutdownGrace is how long in-flight requests get after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parse("serve", args, stderr)
	if err != nil {
		return err
	}
	if cfg.showVersion {
		fmt.Fprintln(stdout, "rembug", version)
		return nil
	}
	log := cfg.logger(stderr)
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	liveSvc, ready, stopLive, err := cfg.liveService(ctx, db, log)
	if err != nil {
		return err
	}
	defer stopLive() //nolint:errcheck // closing at exit
	providers, err := cfg.authProviders(ctx)
	if err != nil {
		return err
	}
	sources, err := searchSources()
	if err != nil {
		return err
	}
	idx, freshIndex, err := cfg.openSearch(ctx)
	if err != nil {
		return err
	}
	defer idx.Close()
	// Background work outlives ctx (SIGTERM) until the HTTP server has
	// drained: each goroutine stops through its own cancel, in the deferred
	// order below.
	work := context.WithoutCancel(ctx)
	// The indexer goroutine (search.go) stops with indexCtx, before the
	// index closes.
	indexCtx, stopIndexer := context.WithCancel(work)
	indexerDone := make(chan struct{})
	go func() {
		defer close(indexerDone)
		runIndexer(indexCtx, cfg.indexer(db, idx, sources, log), freshIndex, log)
	}()
	defer func() { stopIndexer(); <-indexerDone }()
	messages, err := outbox(db, log)
	if err != nil {
		return err
	}
	minCell, err := pollMinCell()
	if err != nil {
		return err
	}
	proxies, err := web.ParseTrustedProxies(os.Getenv("REMBUG_TRUSTED_PROXIES"))
	if err != nil {
		return fmt.Errorf("REMBUG_TRUSTED_PROXIES: %w", err)
	}
	// The outbox worker (messaging.go) stops before the database closes.
	outboxCtx, stopOutbox := context.WithCancel(work)
	outboxDone := make(chan struct{})
	go func() { defer close(outboxDone); messages.Run(outboxCtx) }()
	defer func() { stopOutbox(); <-outboxDone }()
	srv, err := web.New(ctx, web.Config{DB: db, Logger: log, Version: version, SecureCookies: cfg.SecureCookies, Live: liveSvc,
		Auth: providers, Search: idx, SearchSources: sources, Mail: cfg.mailConfig(), Messages: messages, Channels: cfg.channelConfig(),
		ComplaintsPublic: os.Getenv("REMBUG_COMPLAINTS_PUBLIC") == "1", MetricsToken: os.Getenv("REMBUG_METRICS_TOKEN"),
		PollMinCell: minCell, TrustedProxies: proxies, Ready: append(ready, searchCheck(idx))})
	if err != nil {
		return err
	}
	// The server's own goroutines (mail queue, live results) stop before the
	// indexer and the database close, which the earlier defers do.
	defer func() {
		if err := srv.Close(); err != nil {
			log.Warn("close", "err", err)
		}
	}()
	// The complaint jobs (complaint_jobs.go) stop before the server closes.
	jobsCtx, stopJobs := context.WithCancel(work)
	jobsDone := make(chan struct{})
	go func() { defer close(jobsDone); runComplaintJobs(jobsCtx, db, srv, log) }()
	defer func() { stopJobs(); <-jobsDone }()
	// Closed anonymous surveys' last answers leave the pool (poll_jobs.go).
	pollCtx, stopPolls := context.WithCancel(ctx)
	pollsDone := make(chan struct{})
	go func() { defer close(pollsDone); runPollJobs(pollCtx, db, log) }()
	defer func() { stopPolls(); <-pollsDone }()
	// Every node writes a heartbeat (with its request and 5xx counts) for
	// the reliability indicator, until it shuts down.
	beatCtx, stopBeat := context.WithCancel(work)
	beatDone := make(chan struct{})
	go func() {
		defer close(beatDone)
		indicators.Heartbeat(beatCtx, db, nodeName(cfg.Addr), 0, srv.RequestCounts, log)
	}()
	defer func() { stopBeat(); <-beatDone }()
	stopPprof, err := startPprof(cfg.PprofAddr, log)
	if err != nil {
		return err
	}
	defer stopPprof()
	stopMetrics, err := startMetrics(cfg.MetricsAddr, srv, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	hs := srv.HTTPServer(cfg.Addr)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	dbKind := "sqlite"
	if cfg.DatabaseURL != "" {
		dbKind = "postgres"
	}
	log.Info("rembug listening", "addr", "http://"+ln.Addr().String(), "version", version, "database", dbKind, "data", cfg.DataDir,
		"search", searchKind(idx))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Drain: /readyz turns 503 at once, and for DrainDelay the node keeps
	// serving while load balancers notice and send new requests elsewhere.
	// Then websocket clients get close code 4002 and reconnect through the
	// load balancer to another node (websockets are hijacked, so Shutdown
	// does not wait for them), and Shutdown lets in-flight requests finish.
	srv.Drain()
	log.Info("draining", "delay", cfg.DrainDelay)
	time.Sleep(cfg.DrainDelay)
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	_ = stopLive()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
