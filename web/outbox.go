package web

import (
	"context"

	"github.com/rembug/rembug/forum/messaging"
)

// startOutbox uses cfg.Messages, or starts a development outbox whose
// worker stops with Server.Close.
func (s *Server) startOutbox(cfg Config) {
	if cfg.Messages != nil {
		s.outbox = cfg.Messages
		return
	}
	s.outbox = messaging.NewOutbox(messaging.OutboxConfig{DB: cfg.DB, Log: s.log, Now: s.now})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.outbox.Run(ctx) }()
	s.live.owned = append(s.live.owned, func() error { cancel(); <-done; return nil })
}
