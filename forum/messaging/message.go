package messaging

import (
	"context"
	"errors"
	"fmt"
)

// Channel is how a message travels.
type Channel string

// The channels a Sender may serve.
const (
	Email    Channel = "email"
	SMS      Channel = "sms"
	WhatsApp Channel = "whatsapp"
)

// Valid reports whether c is one of the channels above.
func (c Channel) Valid() bool { return c == Email || c == SMS || c == WhatsApp }

// Message is one plain-text message to one recipient.
type Message struct {
	// Channel chooses the sender.
	Channel Channel
	// To is an email address for Email, or an E.164 phone number
	// ("+6281234567890") for SMS and WhatsApp.
	To string
	// Subject is the email subject; SMS and WhatsApp ignore it.
	Subject string
	// Body is the whole text as the recipient reads it (UTF-8). WhatsApp
	// only sends it for a message without Code, which works only inside
	// the 24-hour customer service window.
	Body string
	// Code is the one-time code the message carries, if any. WhatsApp
	// sends it through an authentication template (the only kind of
	// message a business may start); the outbox erases Body and Code once
	// a real provider has taken the message.
	Code string
	// Lang is the recipient's language ("id" or "en"); it picks the
	// WhatsApp template's language.
	Lang string
	// Ref, when set, names the row the message is about ("complaint:42"):
	// the outbox asks that kind's send-time check (OutboxConfig.Checks)
	// just before sending, and drops the message when it says no or when
	// no check is registered for the kind.
	Ref string
	// Secret marks a Body that carries a bearer secret, such as an
	// invitation link: like a code, it is erased once a real provider has
	// taken the message, so the database keeps no usable copy.
	Secret bool
}

// Sender delivers messages over one channel. Send delivers msg once, or
// returns an error: one that wraps ErrPermanent when trying again cannot
// help (the provider rejected the number or the request), any other error
// when a later attempt may succeed (timeouts, 5xx, 429). Send must honour
// ctx's deadline. Implementations are safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, msg Message) error
}

// ErrPermanent marks a failure that retrying will not fix.
var ErrPermanent = errors.New("permanent failure")

// permanent wraps err as a permanent failure.
func permanent(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrPermanent, fmt.Sprintf(format, args...))
}
