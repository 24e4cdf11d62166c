package web

import (
	"context"
	"strings"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
)

// startOutbox sets up one-time sign-in codes and the outbox that sends
// them: cfg.Messages, or a development outbox whose worker stops with
// Server.Close.
func (s *Server) startOutbox(cfg Config) {
	s.otp = otp.NewStore(cfg.DB, s.key, s.now)
	s.baseURL = strings.TrimRight(cfg.Mail.BaseURL, "/")
	if cfg.Messages != nil {
		s.outbox = cfg.Messages
		return
	}
	s.outbox = messaging.NewOutbox(messaging.OutboxConfig{DB: cfg.DB, Log: s.log, Now: s.now,
		Checks: map[string]messaging.Check{complaint.NoticeRef: complaint.NoticeStillDue}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.outbox.Run(ctx) }()
	s.live.owned = append(s.live.owned, func() error { cancel(); <-done; return nil })
}
