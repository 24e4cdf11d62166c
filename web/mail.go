package web

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rembug/rembug/forum/messaging"
)

// MailConfig says how to send notification emails. URL is
// smtp://user:pass@host:587 (see messaging.NewSMTP); From is the sender
// address; BaseURL (https://rembug.example.go.id) makes the links in mails
// absolute. An empty URL sends no email.
type MailConfig struct {
	URL, From, BaseURL string
}

// message is one plain-text email. Notification, when not 0, is the
// in-app notification it tells of: the mail goes out only if its recipient
// may still read it when it leaves the queue (mailer.deliverable).
type message struct {
	To, Subject, Body string
	Notification      int64
	// Deliverable, when set, decides at send time instead of Notification
	// (a notice of another package, such as a draft input's answer).
	Deliverable func(ctx context.Context) (bool, error)
}

// mailer sends notification messages one at a time from a bounded queue
// in its own goroutine (owned by the Server, stopped by Server.Close), so
// a slow SMTP server never holds a request. A full queue drops the message
// and logs it: the in-app notification is the record.
type mailer struct {
	smtp  *messaging.SMTP
	base  string
	log   *slog.Logger
	queue chan message
	done  chan struct{}
	once  sync.Once
	// deliverable re-checks a notification at send time with the access
	// rule (forum.Deliverable).
	deliverable func(ctx context.Context, notification int64) (bool, error)
}

// mailQueue bounds the messages waiting to be sent.
const mailQueue = 1024

// newMailer checks cfg and starts the sending goroutine; nil when cfg.URL
// is empty.
func newMailer(cfg MailConfig, log *slog.Logger, deliverable func(context.Context, int64) (bool, error)) (*mailer, error) {
	if cfg.URL == "" {
		return nil, nil
	}
	smtp, err := messaging.NewSMTP(cfg.URL, cfg.From)
	if err != nil {
		return nil, err
	}
	m := &mailer{smtp: smtp, base: strings.TrimRight(cfg.BaseURL, "/"), log: log,
		queue: make(chan message, mailQueue), done: make(chan struct{}), deliverable: deliverable}
	go m.run()
	return m, nil
}

func (m *mailer) link(path string) string { return m.base + path }

// enqueue queues msg, or drops it when the queue is full.
func (m *mailer) enqueue(msg message) {
	select {
	case m.queue <- msg:
	default:
		m.log.Warn("mail queue full; message dropped", "to", msg.To)
	}
}

func (m *mailer) run() {
	defer close(m.done)
	for msg := range m.queue {
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
		err := m.send(ctx, msg)
		cancel()
		if err != nil {
			m.log.Error("send mail", "to", msg.To, "err", err)
		}
	}
}

// send sends msg unless it tells of a notification its recipient may no
// longer read (a fault in that check keeps the mail back too: the in-app
// notification, checked again when shown, is the record).
func (m *mailer) send(ctx context.Context, msg message) error {
	check := msg.Deliverable
	if check == nil && msg.Notification != 0 {
		check = func(ctx context.Context) (bool, error) { return m.deliverable(ctx, msg.Notification) }
	}
	if check != nil {
		ok, err := check(ctx)
		if err != nil {
			return err
		}
		if !ok {
			m.log.Info("mail withheld: the recipient may no longer read it", "notification", msg.Notification)
			return nil
		}
	}
	return m.smtp.Send(ctx, messaging.Message{Channel: messaging.Email, To: msg.To, Subject: msg.Subject, Body: msg.Body})
}

// close stops accepting messages and waits for the queue to drain.
func (m *mailer) close() error {
	m.once.Do(func() { close(m.queue) })
	<-m.done
	return nil
}
