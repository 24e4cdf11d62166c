package web

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"sync"
	"time"
)

// MailConfig says how to send notification emails. URL is
// smtp://user:pass@host:587 (user and password optional; STARTTLS is used
// when the server offers it, RFC 3207, and PLAIN authentication, RFC
// 4616, only over TLS or to localhost); From is the sender address;
// BaseURL (https://rembug.example.go.id) makes the links in mails
// absolute. An empty URL sends no email.
type MailConfig struct {
	URL, From, BaseURL string
}

// message is one plain-text email.
type message struct {
	To, Subject, Body string
}

// mailer sends messages one at a time from a bounded queue in its own
// goroutine (owned by the Server, stopped by Server.Close), so a slow
// SMTP server never holds a request. A full queue drops the message and
// logs it: the in-app notification is the record.
type mailer struct {
	addr, host string
	auth       smtp.Auth
	from       string
	base       string
	log        *slog.Logger
	queue      chan message
	done       chan struct{}
	once       sync.Once
}

// mailQueue bounds the messages waiting to be sent.
const mailQueue = 1024

// newMailer checks cfg and starts the sending goroutine; nil when cfg.URL
// is empty.
func newMailer(cfg MailConfig, log *slog.Logger) (*mailer, error) {
	if cfg.URL == "" {
		return nil, nil
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, errors.New("mail: the SMTP URL must look like smtp://user:pass@host:587")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: bad sender address %q", cfg.From)
	}
	m := &mailer{addr: u.Host, host: u.Hostname(), from: from.Address, base: strings.TrimRight(cfg.BaseURL, "/"), log: log,
		queue: make(chan message, mailQueue), done: make(chan struct{})}
	if u.Port() == "" {
		m.addr = net.JoinHostPort(u.Hostname(), "587")
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pass, m.host)
	}
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
		if err := m.send(msg); err != nil {
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

// send delivers one message over a fresh SMTP connection.
func (m *mailer) send(msg message) error {
	conn, err := net.DialTimeout("tcp", m.addr, 10*time.Second)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second)) //nolint:errcheck // a failed deadline only loses the timeout
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsConfig(m.host)); err != nil {
			return err
		}
	}
	if m.auth != nil {
		if err := c.Auth(m.auth); err != nil {
			return err
		}
	}
	if err := c.Mail(m.from); err != nil {
		return err
	}
	if err := c.Rcpt(msg.To); err != nil {
		return err
	}
	wc, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := wc.Write(compose(m.from, msg)); err != nil {
		return err
	}
	if err := wc.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose builds the RFC 5322 message: a UTF-8 plain-text body sent as
// 8bit, and a subject with no line breaks, encoded
// per RFC 2047 when it is not ASCII.
func compose(from string, msg message) []byte {
	subject := strings.Join(strings.Fields(msg.Subject), " ")
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n", from, msg.To,
		mime.QEncoding.Encode("utf-8", subject), time.Now().UTC().Format(time.RFC1123Z))
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(body)
	return []byte(b.String())
}

func tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}
