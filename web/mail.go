package web

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/rancangan"
)

// MailConfig says how to send notification emails. URL is
// smtp://user:pass@host:587 (see messaging.NewSMTP); From is the sender
// address; BaseURL (https://rembug.example.go.id) makes the links in mails
// absolute. An empty URL sends no email. URL and From are read only when
// Config.Messages is nil (the server builds its own outbox); otherwise the
// outbox's email sender is used.
type MailConfig struct {
	URL, From, BaseURL string
}

// The messaging.Message.Ref kinds of notification mails: the outbox asks
// MessageChecks again just before sending.
const (
	notificationRef = "notification" // an in-app notification (forum.Deliverable)
	draftNoticeRef  = "draft_notice" // an answer to a draft input (rancangan.DeliverableNotice)
)

// MessageChecks are the send-time checks of every message the site sends
// through the outbox (messaging.OutboxConfig.Checks): a complaint notice
// still due, a notification its recipient may still read, a draft input's
// answer still visible to its author. Build every Outbox with them.
func MessageChecks() map[string]messaging.Check {
	return map[string]messaging.Check{
		complaint.NoticeRef: complaint.NoticeStillDue,
		notificationRef:     forum.Deliverable,
		draftNoticeRef: func(ctx context.Context, db bun.IDB, id int64) (bool, error) {
			_, _, ok, err := rancangan.DeliverableNotice(ctx, db, id)
			return ok, err
		},
	}
}

// message is one plain-text email. Ref, when set, names what it tells of
// ("notification:42"): the mail goes out only if its recipient may still
// read that when it leaves the outbox (MessageChecks). A Secret body (an
// invitation link) is erased from the outbox once sent; Expires, when
// set, is when sending it stops making sense.
type message struct {
	To, Subject, Body, Ref string
	Secret                 bool
	Expires                time.Time
}

// mailOn reports whether notification emails are sent: the outbox has an
// email sender. The development outbox (no sender) keeps them back, so the
// staff outbox page shows sign-in codes and complaint notices, not every
// notification.
func (s *Server) mailOn() bool { return s.outbox.Has(messaging.Email) }

// mailLink is path as an absolute link for a mail (Config.Mail.BaseURL).
func (s *Server) mailLink(path string) string { return s.baseURL + path }

// mail queues msg in the message outbox, a row in the database that any
// node's worker sends once (claimed with a lease, retried with backoff), so
// a node that stops or dies loses no mail. A fault is logged: the in-app
// notification is the record.
func (s *Server) mail(ctx context.Context, msg message) {
	_, err := messaging.Enqueue(ctx, s.db, messaging.Message{Channel: messaging.Email, To: msg.To, Subject: msg.Subject,
		Body: msg.Body, Ref: msg.Ref, Secret: msg.Secret}, msg.Expires, s.now().UTC())
	if err != nil {
		s.log.Error("queue mail", "to", msg.To, "err", err)
		return
	}
	s.outbox.Wake()
}

// refOf is the Ref of a message about row id of kind.
func refOf(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// mailSenders are the senders of the server's own outbox (Config.Messages
// nil): email through cfg's SMTP server when it has one, none otherwise
// (the development outbox).
func mailSenders(cfg MailConfig) (map[messaging.Channel]messaging.Sender, error) {
	senders := map[messaging.Channel]messaging.Sender{}
	if cfg.URL == "" {
		return senders, nil
	}
	smtp, err := messaging.NewSMTP(cfg.URL, cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	senders[messaging.Email] = smtp
	return senders, nil
}
