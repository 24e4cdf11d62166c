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

// message is one plain-text email.
type message struct {
	To, Subject, Body string
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
}

// mailQueue bounds the messages waiting to be sent.
const mailQueue = 1024

// newMailer checks cfg and starts the sending goroutine; nil when cfg.URL
// is empty.
func newMailer(cfg MailConfig, log *slog.Logger) (*mailer, error) {
	if cfg.URL == "" {
		return nil, nil
	}
	smtp, err := messaging.NewSMTP(cfg.URL, cfg.From)
	if err != nil {
		return nil, err
	}
	m := &mailer{smtp: smtp, base: strings.TrimRight(cfg.BaseURL, "/"), log: log,
		queue: make(chan message, mailQueue), done: make(chan struct{})}
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
		err := m.smtp.Send(ctx, messaging.Message{Channel: messaging.Email, To: msg.To, Subject: msg.Subject, Body: msg.Body})
		cancel()
		if err != nil {
			m.log.Error("send mail", "to", msg.To, "err", err)
		}
	}
}

// close stops accepting messages and waits for the queue to drain.
func (m *mailer) close() error {
	m.once.Do(func() { close(m.queue) })
	<-m.done
	return nil
}
