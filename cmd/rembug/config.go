package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

// config is what every subcommand reads: flags, falling back to REMBUG_*
// environment variables, falling back to defaults.
type config struct {
	DataDir       string
	Addr          string
	DatabaseURL   string
	LogFormat     string
	SecureCookies bool
	RedisURL      string
	PprofAddr     string
	MetricsAddr   string
	DrainDelay    time.Duration
	showVersion   bool
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// flags registers the shared flags on fs and returns the config they fill.
func flags(fs *flag.FlagSet) *config {
	c := &config{}
	fs.StringVar(&c.DataDir, "data", env("REMBUG_DATA_DIR", "./rembug-data"), "data folder (REMBUG_DATA_DIR)")
	fs.StringVar(&c.Addr, "addr", env("REMBUG_ADDR", "127.0.0.1:8080"), "listen address (REMBUG_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("REMBUG_DATABASE_URL", ""), "PostgreSQL URL; empty for SQLite (REMBUG_DATABASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", env("REMBUG_LOG_FORMAT", "text"), "log format: text or json (REMBUG_LOG_FORMAT)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("REMBUG_SECURE_COOKIES", "") == "1", "mark cookies Secure, behind HTTPS (REMBUG_SECURE_COOKIES=1)")
	fs.StringVar(&c.RedisURL, "redis-url", env("REMBUG_REDIS_URL", ""), "Redis URL for live sessions on many nodes; empty for one node (REMBUG_REDIS_URL)")
	fs.StringVar(&c.PprofAddr, "pprof", env("REMBUG_PPROF_ADDR", ""), "serve: debug listener for net/http/pprof, e.g. 127.0.0.1:6060; empty (default) for none (REMBUG_PPROF_ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("REMBUG_METRICS_ADDR", ""), "serve: a separate listener for Prometheus /metrics, e.g. 10.0.0.5:9090; empty (default) for none (REMBUG_METRICS_ADDR)")
	fs.DurationVar(&c.DrainDelay, "drain-delay", 0, "serve: after SIGTERM, how long /readyz answers 503 before websockets close and the server stops, e.g. 3s behind a load balancer (REMBUG_DRAIN_DELAY, default 0)")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	return c
}

// parse parses args for subcommand name; it returns the config and the
// remaining positional arguments.
func parse(name string, args []string, stderr io.Writer) (*config, []string, error) {
	fs := flag.NewFlagSet("rembug "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := flags(fs)
	if v := os.Getenv("REMBUG_DRAIN_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, nil, fmt.Errorf("REMBUG_DRAIN_DELAY=%q: want a duration such as 3s", v)
		}
		c.DrainDelay = d // a --drain-delay flag still wins
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, errUsage
	}
	return c, fs.Args(), nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openDB opens the configured database and applies every package's
// migrations, forum first since the others reference its tables.
func (c *config) openDB(ctx context.Context) (*bun.DB, error) {
	db, err := storage.Open(ctx, storage.Config{URL: c.DatabaseURL, DataDir: c.DataDir})
	if err != nil {
		return nil, err
	}
	if err := web.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// channelConfig reads the complaint webhook secrets (README "Complaints
// over WhatsApp and SMS"): REMBUG_WHATSAPP_APP_SECRET (the Meta app secret
// that signs webhook bodies) and REMBUG_WHATSAPP_VERIFY_TOKEN (the token
// given to Meta when subscribing the webhook URL); REMBUG_SMS_WEBHOOK_SECRET
// (the Twilio auth token that signs the SMS webhook).
// pollMinCell reads REMBUG_POLL_MIN_CELL, k of the poll results'
// disclosure rules (web.Config.PollMinCell): unset means the default (5);
// anything but a whole number from 1 on is an error naming the variable.
func pollMinCell() (int, error) {
	v := os.Getenv("REMBUG_POLL_MIN_CELL")
	if v == "" {
		return 0, nil
	}
	k, err := strconv.Atoi(v)
	if err != nil || k < 1 {
		return 0, fmt.Errorf("REMBUG_POLL_MIN_CELL=%q: want a whole number from 1 on", v)
	}
	return k, nil
}

func (c *config) channelConfig() web.ChannelConfig {
	ch := web.ChannelConfig{WhatsAppAppSecret: os.Getenv("REMBUG_WHATSAPP_APP_SECRET"),
		WhatsAppVerifyToken: os.Getenv("REMBUG_WHATSAPP_VERIFY_TOKEN"), SMSSecret: os.Getenv("REMBUG_SMS_WEBHOOK_SECRET")}
	if tok := os.Getenv("REMBUG_WHATSAPP_TOKEN"); tok != "" {
		ch.WhatsAppMedia = &messaging.WhatsAppCloud{Token: tok, Version: os.Getenv("REMBUG_WHATSAPP_API_VERSION")}
	}
	return ch
}
