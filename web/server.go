package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/markup"
	"github.com/rembug/rembug/forum/meeting"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/forum/token"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/polls/report"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/web/auth"
	"github.com/uptrace/bun"
)

// Config holds what a Server needs. DB must be migrated.
type Config struct {
	DB     *bun.DB
	Logger *slog.Logger
	// Version is shown by /healthz and the rembug_build_info metric.
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// SecureCookies marks cookies Secure; set it when served over HTTPS.
	SecureCookies bool
	// Live runs live Q&A sessions (realtime/live) with its Hub; nil makes
	// New start an in-process one (MemoryBroker), stopped by Server.Close.
	Live *live.Service
	// Auth holds the social sign-in providers; nil offers none (staff can
	// still sign in with a password or a one-time link).
	Auth *auth.Providers
	// Search is the search index behind /cari and /api/v1/search; nil
	// answers those with 503 (search.go).
	Search search.Index
	// SearchSources are the document sources of every kind (registered by
	// cmd), through which search hits are checked against the database;
	// nil answers searches with 503 like a nil Search.
	SearchSources *search.Registry
	// Mail sends notification emails when its URL is set (mail.go).
	Mail MailConfig
	// Messages delivers sign-in codes by email, SMS and WhatsApp; its Run
	// loop belongs to the caller. Nil makes New start a development outbox
	// (codes go to the log and the staff outbox page), stopped by
	// Server.Close (outbox.go).
	Messages *messaging.Outbox
	// Channels holds the WhatsApp and SMS complaint webhook secrets
	// (complaint_webhook.go); zero turns the webhooks off.
	Channels ChannelConfig
	// ComplaintsPublic publishes public, non-confidential complaints
	// (masked) on /pengaduan and in their statistics; off by default
	// (complaint.Config.PublicList).
	ComplaintsPublic bool
	// MetricsToken, when set, serves /metrics on the site's own listener
	// to requests bearing it (metrics.go); empty leaves /metrics off the
	// site (serve MetricsHandler on a separate listener instead).
	MetricsToken string
	// PollMinCell is k of the poll results' disclosure rules: breakdown
	// cells under k are hidden (polls.HiddenCells) and an anonymous
	// survey's live results are published only when at least k new
	// responses have arrived (poll_live.go). 0 means polls.DefaultMinCell.
	PollMinCell int
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client (ParseTrustedProxies); empty trusts none, and the
	// connection's peer is the client.
	TrustedProxies []netip.Prefix
	// Ready lists the dependencies /readyz checks besides the database
	// (health.go): Redis and the search engine, wired by cmd.
	Ready []Check
}

// Server serves rembug's pages and API.
type Server struct {
	db         *bun.DB
	forum      *forum.Store // every forum write (forum/store.go)
	tokens     *token.Store // API bearer tokens (forum/token)
	minCell    int          // k of the poll disclosure rules (Config.PollMinCell)
	polls      *polls.Store // every polls write: surveys, responses, statement votes, IKM (polls/store.go)
	log        *slog.Logger
	version    string
	now        func() time.Time
	secure     bool
	key        []byte
	pages      *pages
	msgs       *catalog
	static     *staticFiles
	metrics    *metrics
	reports    *report.Cache     // opinion analyses for report pages (report.go)
	indicators *indicators.Cache // the five service indicators (indicators.go)
	dash       *dashLive         // live dashboards (dashboard_live.go)
	handler    http.Handler
	live       *liveRuntime
	results    *pollLive // live results pages (poll_live.go)
	auth       *auth.Providers
	search     search.Index
	sources    *search.Registry
	outbox     *messaging.Outbox
	// complaints is the complaint store (complaint_*.go).
	complaints *complaint.Store
	drafts     *rancangan.Store // draft regulations (rancangan*.go)
	meetings   *meeting.Store   // meetings (meeting.go)
	channels   ChannelConfig    // complaint webhooks (complaint_webhook.go)
	otp        *otp.Store       // one-time sign-in codes (signin_code.go)
	baseURL    string           // public URL for links in messages; "" uses the request's host
	mergers    *forum.Mergers   // what moves from a guest to an account at sign-in (signin.go)
	// metricsToken guards /metrics on the site's listener; "" hides it.
	metricsToken string
	ready        []Check     // /readyz's checks besides the database (health.go)
	draining     atomic.Bool // set by Drain: /readyz answers 503
	brandC       brandCache  // the installation's branding (branding.go)
	og           ogCache     // rendered share images by key (og.go)
	// mk renders Markdown bodies (goldmark, then bluemonday's allow-list),
	// built once: pages, feeds and share metadata all use it.
	mk *markup.Renderer
	// trustedProxies are the load balancers believed about the client's
	// address (proxy.go).
	trustedProxies []netip.Prefix
}

// New builds a Server: it parses the embedded templates and translations,
// loads the signing key from the database and wires the routes. It fails when
// a template or translation is broken or the database does not answer.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("web: no database")
	}
	s := &Server{db: cfg.DB, log: cfg.Logger, version: cfg.Version, now: cfg.Now, secure: cfg.SecureCookies, auth: cfg.Auth, channels: cfg.Channels,
		metricsToken: cfg.MetricsToken, minCell: cfg.PollMinCell, ready: cfg.Ready, trustedProxies: cfg.TrustedProxies}
	if s.minCell < 1 {
		s.minCell = polls.DefaultMinCell
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.forum = forum.NewStore(cfg.DB, s.now)
	s.tokens = token.NewStore(cfg.DB, s.now)
	s.mergers = newMergers()
	s.forum.OnAccessChange(s.accessChanged)
	s.polls = polls.NewStoreWith(cfg.DB, s.now, polls.Options{Batch: s.minCell, Log: s.log})
	s.drafts = rancangan.NewStore(cfg.DB, s.now)
	s.meetings = meeting.NewStore(cfg.DB, s.now)
	var err error
	if s.key, err = forum.SecretKey(ctx, cfg.DB); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.msgs, err = loadCatalog(); err != nil {
		return nil, fmt.Errorf("web: translations: %w", err)
	}
	if s.static, err = loadStatic(); err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	s.mk = markup.New()
	if s.pages, err = loadPages(s.msgs, s.static, s.mk); err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	s.metrics = newMetrics(cfg.DB, cfg.Version)
	s.reports = report.NewCache(cfg.DB, report.Settings{MinCell: s.minCell}, 0)
	s.live = s.newLiveRuntime(cfg)
	s.results = s.newPollLive()
	if err := s.startOutbox(cfg); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.search, s.sources = cfg.Search, cfg.SearchSources
	if s.sources == nil {
		s.search = nil
	}
	if s.complaints, err = complaint.NewStore(ctx, cfg.DB, complaint.Config{Now: s.now, PublicList: cfg.ComplaintsPublic, Notice: s.complaintNotice}); err != nil {
		return nil, fmt.Errorf("web: complaints: %w", err)
	}
	s.indicators = s.newIndicators()
	s.dash = s.newDashLive()
	s.handler = s.middleware(s.routes())
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// HTTPServer returns an *http.Server for addr with timeouts that keep slow
// clients from holding connections forever.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
