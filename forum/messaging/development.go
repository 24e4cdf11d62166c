package messaging

import (
	"context"
	"log/slog"
)

// Development is the sender of an installation with no sender configured:
// it writes each message, code included, to the log at level Info, and the
// outbox keeps the message for the staff outbox page. Nothing leaves the
// machine. Never use it where real people sign in: anyone who reads the
// log or the outbox page can sign in as them.
type Development struct {
	// Log receives the messages; nil means slog.Default().
	Log *slog.Logger
}

// Send logs msg and never fails.
func (d Development) Send(ctx context.Context, msg Message) error {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	log.Info("development outbox: message not sent", "channel", msg.Channel, "to", msg.To, "subject", msg.Subject,
		"code", msg.Code, "body", msg.Body)
	return nil
}
