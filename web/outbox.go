package web

import (
	"context"
	"strings"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
)

// startOutbox sets up one-time sign-in codes and the outbox that sends
// them and the notification mails: cfg.Messages, or an outbox of the
// server's own whose worker stops with Server.Close, sending email through
// cfg.Mail's SMTP server when it has one and in development mode
// otherwise.
func (s *Server) startOutbox(cfg Config) error {
	s.otp = otp.NewStore(cfg.DB, s.key, s.now)
	s.baseURL = strings.TrimRight(cfg.Mail.BaseURL, "/")
	if cfg.Messages != nil {
		s.outbox = cfg.Messages
		return nil
	}
	senders, err := mailSenders(cfg.Mail)
	if err != nil {
		return err
	}
	s.outbox = messaging.NewOutbox(messaging.OutboxConfig{DB: cfg.DB, Senders: senders, Log: s.log, Now: s.now, Checks: MessageChecks()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.outbox.Run(ctx) }()
	s.live.owned = append(s.live.owned, func() error { cancel(); <-done; return nil })
	return nil
}
