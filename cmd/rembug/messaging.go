package main

import (
	"errors"
	"log/slog"
	"os"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

// outbox builds the message outbox from the sender settings (README
// "Sign-in codes: email, SMS and WhatsApp"):
//
//   - email: REMBUG_SMTP_URL and REMBUG_MAIL_FROM (the notification mail
//     settings);
//   - SMS through Twilio: REMBUG_TWILIO_ACCOUNT_SID, REMBUG_TWILIO_AUTH_TOKEN
//     (or REMBUG_TWILIO_API_KEY and REMBUG_TWILIO_API_SECRET), and
//     REMBUG_TWILIO_FROM or REMBUG_TWILIO_MESSAGING_SERVICE_SID;
//   - SMS through Zenziva: REMBUG_ZENZIVA_USERKEY, REMBUG_ZENZIVA_PASSKEY,
//     optionally REMBUG_ZENZIVA_URL;
//   - WhatsApp: REMBUG_WHATSAPP_PHONE_NUMBER_ID, REMBUG_WHATSAPP_TOKEN,
//     REMBUG_WHATSAPP_TEMPLATE (an approved authentication template),
//     optionally REMBUG_WHATSAPP_API_VERSION.
//
// With none of them set the outbox runs in development mode. A half-set
// sender, or both SMS gateways, is an error naming the variables.
func outbox(db *bun.DB, log *slog.Logger) (*messaging.Outbox, error) {
	senders := map[messaging.Channel]messaging.Sender{}
	if url := os.Getenv("REMBUG_SMTP_URL"); url != "" {
		smtp, err := messaging.NewSMTP(url, env("REMBUG_MAIL_FROM", "rembug@localhost"))
		if err != nil {
			return nil, err
		}
		senders[messaging.Email] = smtp
	}
	if sid := os.Getenv("REMBUG_TWILIO_ACCOUNT_SID"); sid != "" {
		tw := &messaging.Twilio{AccountSID: sid, Password: os.Getenv("REMBUG_TWILIO_AUTH_TOKEN"),
			From: os.Getenv("REMBUG_TWILIO_FROM"), MessagingServiceSID: os.Getenv("REMBUG_TWILIO_MESSAGING_SERVICE_SID")}
		if key := os.Getenv("REMBUG_TWILIO_API_KEY"); key != "" {
			tw.Username, tw.Password = key, os.Getenv("REMBUG_TWILIO_API_SECRET")
		}
		if tw.Password == "" || (tw.From == "" && tw.MessagingServiceSID == "") {
			return nil, errors.New("twilio: set REMBUG_TWILIO_AUTH_TOKEN (or REMBUG_TWILIO_API_KEY and REMBUG_TWILIO_API_SECRET) and REMBUG_TWILIO_FROM or REMBUG_TWILIO_MESSAGING_SERVICE_SID")
		}
		senders[messaging.SMS] = tw
	}
	if key := os.Getenv("REMBUG_ZENZIVA_USERKEY"); key != "" {
		if senders[messaging.SMS] != nil {
			return nil, errors.New("sms: set either the REMBUG_TWILIO_* or the REMBUG_ZENZIVA_* variables, not both")
		}
		z := &messaging.Zenziva{UserKey: key, PassKey: os.Getenv("REMBUG_ZENZIVA_PASSKEY"), BaseURL: os.Getenv("REMBUG_ZENZIVA_URL")}
		if z.PassKey == "" {
			return nil, errors.New("zenziva: REMBUG_ZENZIVA_PASSKEY is not set")
		}
		senders[messaging.SMS] = z
	}
	if id := os.Getenv("REMBUG_WHATSAPP_PHONE_NUMBER_ID"); id != "" {
		wa := &messaging.WhatsAppCloud{PhoneNumberID: id, Token: os.Getenv("REMBUG_WHATSAPP_TOKEN"),
			Template: os.Getenv("REMBUG_WHATSAPP_TEMPLATE"), Version: os.Getenv("REMBUG_WHATSAPP_API_VERSION")}
		if wa.Token == "" || wa.Template == "" {
			return nil, errors.New("whatsapp: set REMBUG_WHATSAPP_TOKEN and REMBUG_WHATSAPP_TEMPLATE")
		}
		senders[messaging.WhatsApp] = wa
	}
	o := messaging.NewOutbox(messaging.OutboxConfig{DB: db, Senders: senders, Log: log,
		Checks: web.MessageChecks()})
	if o.Development() {
		log.Warn("no email, SMS or WhatsApp sender configured: sign-in codes go to this log and to /admin/kotak-keluar (development outbox)")
	}
	return o, nil
}
