package complaint

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/uptrace/bun"
)

// Notice composes the message the citizen gets for a change of kind (an
// audit action: "complaint.answer", …) with data (number, status and the
// change's payload: "text" for a question or an answer, "reason", "into",
// "secret" for the receipt),
// in language lang. An empty body sends nothing. The web layer supplies it
// from its translation files.
type Notice func(kind string, data map[string]any, lang string) (subject, body string)

// citizenNotices are the changes the citizen hears about over their
// channel: the receipt with the tracking number and secret (WhatsApp and SMS
// only: the web and the API show it on the spot), the agency's question, the official answer (with the request to
// rate it 1–4 and close), a rejection, a merge, the routing, a forward to
// another agency (pelimpahan; the internal note stays internal), and the
// automatic close (with the rating prompt).
var citizenNotices = map[string]bool{"complaint.receive": true, "complaint.ask": true, "complaint.answer": true,
	"complaint.reject": true, "complaint.merge": true, "complaint.route": true, "complaint.forward": true,
	"complaint.auto_close": true}

// contact is the citizen's channel and address for c: WhatsApp or SMS
// complaints are answered there; web and API complaints by email when given,
// else by SMS. ok is false without a usable contact or after erasure.
func (c *Complaint) contact() (ch messaging.Channel, to string, ok bool) {
	if c.ErasedAt != nil {
		return "", "", false
	}
	phone := func(ch messaging.Channel) (messaging.Channel, string, bool) {
		p, err := messaging.NormalizePhone(c.ReporterPhone)
		return ch, p, err == nil && c.ReporterPhone != ""
	}
	switch {
	case c.Channel == ChannelWhatsApp:
		return phone(messaging.WhatsApp)
	case c.Channel == ChannelSMS:
		return phone(messaging.SMS)
	case c.ReporterEmail != "":
		return messaging.Email, c.ReporterEmail, true
	}
	return phone(messaging.SMS)
}

// notify queues the citizen's message for change kind in tx (the
// transaction of the change), through the message outbox: sent after the
// commit, retried with backoff while a provider is down, never sent for a
// change that rolled back.
func (s *Store) notify(ctx context.Context, tx bun.Tx, c *Complaint, kind string, data map[string]any, now time.Time) error {
	if s.cfg.Notice == nil || !citizenNotices[kind] {
		return nil
	}
	if kind == "complaint.receive" && c.Channel != ChannelWhatsApp && c.Channel != ChannelSMS {
		return nil
	}
	ch, to, ok := c.contact()
	if !ok {
		return nil
	}
	subject, body := s.cfg.Notice(kind, data, "id")
	if body == "" {
		return nil
	}
	msg := messaging.Message{Channel: ch, To: to, Subject: subject, Body: body, Lang: "id", Ref: NoticeRef + ":" + strconv.FormatInt(c.ID, 10)}
	if _, err := messaging.Enqueue(ctx, tx, msg, time.Time{}, now); err != nil {
		return fmt.Errorf("complaint %s notice %s: %w", c.Number, kind, err)
	}
	return nil
}

// NoticeRef is the messaging.Message.Ref kind of the citizen's messages:
// register NoticeStillDue under it in messaging.OutboxConfig.Checks.
const NoticeRef = "complaint"

// NoticeStillDue is the send-time check of a citizen's message about
// complaint id (messaging.Check): it goes out only while the complaint
// exists and its reporter's personal data has not been erased since it was
// queued (the retention period; the message carries their contact).
func NoticeStillDue(ctx context.Context, db bun.IDB, id int64) (bool, error) {
	n, err := db.NewSelect().Table("complaints").Where("id = ? AND erased_at IS NULL", id).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("complaint %d at send time: %w", id, err)
	}
	return n == 1, nil
}
