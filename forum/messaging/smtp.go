package messaging

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// SMTP sends email through one SMTP server: a fresh connection per
// message, STARTTLS when the server offers it (RFC 3207), and PLAIN
// authentication (RFC 4616), which net/smtp allows only over TLS or to
// localhost. Messages are RFC 5322 plain text in UTF-8.
type SMTP struct {
	addr, host string
	auth       smtp.Auth
	from       string
}

// NewSMTP checks rawURL (smtp://user:pass@host:587; user, password and
// port optional, port 587 by default) and from (the sender address). It
// returns an error naming the bad setting.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, errors.New("mail: the SMTP URL must look like smtp://user:pass@host:587")
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: bad sender address %q", from)
	}
	m := &SMTP{addr: u.Host, host: u.Hostname(), from: addr.Address}
	if u.Port() == "" {
		m.addr = net.JoinHostPort(u.Hostname(), "587")
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pass, m.host)
	}
	return m, nil
}

// Send delivers msg (Subject and Body) to msg.To. A recipient the server
// refuses (5xx to RCPT) is a permanent failure; connection problems are
// temporary.
func (m *SMTP) Send(ctx context.Context, msg Message) error {
	deadline := time.Now().Add(30 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dialer := net.Dialer{Timeout: 10 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return err
	}
	conn.SetDeadline(deadline) //nolint:errcheck // a failed deadline only loses the timeout
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}); err != nil {
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
		if strings.HasPrefix(err.Error(), "5") {
			return fmt.Errorf("%w: %v", ErrPermanent, err)
		}
		return err
	}
	wc, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := wc.Write(compose(m.from, msg, time.Now())); err != nil {
		return err
	}
	if err := wc.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose builds the RFC 5322 message: a UTF-8 plain-text body sent as
// 8bit, and a subject with no line breaks, encoded per RFC 2047 when it
// is not ASCII.
func compose(from string, msg Message, now time.Time) []byte {
	subject := strings.Join(strings.Fields(msg.Subject), " ")
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n", from, msg.To,
		mime.QEncoding.Encode("utf-8", subject), now.UTC().Format(time.RFC1123Z))
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(body)
	return []byte(b.String())
}
