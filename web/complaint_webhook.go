package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
)

// ChannelConfig holds the secrets of the complaint channel webhooks
// (README "Complaints over WhatsApp and SMS"). An empty secret turns its
// webhook off (404).
type ChannelConfig struct {
	// WhatsAppAppSecret is the Meta app secret: POST /webhook/whatsapp
	// must carry X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
	// body keyed with it>.
	WhatsAppAppSecret string
	// WhatsAppVerifyToken is the token typed into the app dashboard; Meta
	// sends it back in hub.verify_token when it subscribes the URL.
	WhatsAppVerifyToken string
	// SMSSecret is the Twilio auth token that signs POST /webhook/sms
	// (X-Twilio-Signature, complaint_sms.go).
	SMSSecret string
	// WhatsAppMedia downloads a WhatsApp image by its media id (the Cloud
	// API's GET /{media-id}, then its url; messaging.WhatsAppCloud);
	// nil keeps only an image's caption.
	WhatsAppMedia interface {
		FetchMedia(ctx context.Context, mediaID string) ([]byte, string, error)
	}
}

// maxWebhookBody bounds a provider's webhook body (Meta batches at most a
// few hundred KB of JSON).
const maxWebhookBody = 1 << 20

// handleWhatsAppVerify answers Meta's subscription check: GET with
// hub.mode=subscribe, hub.verify_token and hub.challenge; the challenge is
// echoed when the token matches, else 403.
// Source: https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
func (s *Server) handleWhatsAppVerify(w http.ResponseWriter, r *http.Request) {
	tok := s.channels.WhatsAppVerifyToken
	q := r.URL.Query()
	if tok == "" {
		http.NotFound(w, r)
		return
	}
	if q.Get("hub.mode") != "subscribe" || !hmac.Equal([]byte(q.Get("hub.verify_token")), []byte(tok)) {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.webhook_signature", nil))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, q.Get("hub.challenge")) //nolint:errcheck // the client may be gone
}

// waWebhook is the part of a WhatsApp Business Cloud API webhook payload
// we read. Status callbacks (value.statuses) carry no messages and are
// acknowledged without effect.
// Source: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
type waWebhook struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Messages []waInbound `json:"messages"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type waInbound struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      struct {
		Body string `json:"body"`
	} `json:"text"`
	Image struct {
		ID      string `json:"id"`
		Caption string `json:"caption"`
	} `json:"image"`
}

// validHubSignature reports whether header is "sha256=" followed by the hex
// HMAC-SHA256 of body keyed with secret, compared in constant time.
func validHubSignature(secret, header string, body []byte) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(sig, m.Sum(nil))
}

// handleWhatsAppWebhook takes WhatsApp messages as complaints. The body is
// checked against X-Hub-Signature-256 before anything is read (401 when
// missing, 403 when wrong). Each text message, or image with a caption,
// becomes a complaint keyed by its WhatsApp message id, so Meta's retries
// and out-of-order deliveries make one complaint each; the citizen gets the
// tracking number back over WhatsApp through the message outbox. A message
// that cannot be a complaint (too short, no caption, unknown type) is
// acknowledged and logged: answering an error would only make Meta retry it.
func (s *Server) handleWhatsAppWebhook(w http.ResponseWriter, r *http.Request) {
	secret := s.channels.WhatsAppAppSecret
	if secret == "" {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		s.serveError(w, r, errs.Wrap(errs.Invalid, "error.body_too_large", err))
		return
	}
	sig := r.Header.Get("X-Hub-Signature-256")
	if sig == "" {
		s.serveError(w, r, errs.E(errs.Unauthenticated, "error.webhook_signature_missing", nil))
		return
	}
	if !validHubSignature(secret, sig, body) {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.webhook_signature", nil))
		return
	}
	var p waWebhook
	if err := json.Unmarshal(body, &p); err != nil {
		s.serveError(w, r, errs.Wrap(errs.Invalid, "error.bad_input", err))
		return
	}
	for _, e := range p.Entry {
		for _, c := range e.Changes {
			for _, m := range c.Value.Messages {
				text := m.Text.Body
				in := complaint.Intake{Channel: complaint.ChannelWhatsApp, IdemKey: m.ID, Body: text}
				if m.Type == "image" {
					in.Body = m.Image.Caption
					in.Photos, in.PhotosLost = s.whatsAppPhoto(r.Context(), m)
				}
				if err := s.channelIntake(r.Context(), messaging.WhatsApp, m.From, in); err != nil {
					// Unprocessable: a redelivery whose photo fetch went
					// otherwise than the first time; its message id already
					// made the complaint.
					if k := errs.KindOf(err); k != errs.Invalid && k != errs.Unprocessable {
						s.log.Error("whatsapp intake", "message", m.ID, "err", err)
						s.serveError(w, r, errs.Wrap(errs.Unavailable, "error.webhook_unavailable", err)) // Meta retries
						return
					}
					s.log.Info("whatsapp message not taken as a complaint", "message", m.ID, "type", m.Type, "err", err)
				}
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}

// channelIntake submits in (its Channel, the provider's message id as
// IdemKey, its text and photos) from phone as a complaint, idempotent by
// the message id; on the first delivery the store queues the tracking
// number and secret back to phone in the intake's transaction
// (complaint.notice.receive), and the outbox is woken.
func (s *Server) channelIntake(ctx context.Context, reply messaging.Channel, phone string, in complaint.Intake) error {
	to, err := messaging.NormalizePhone(phone)
	if err != nil || in.IdemKey == "" {
		return errs.E(errs.Invalid, "complaint.error.phone", nil)
	}
	in.ReporterPhone = to
	rec, err := s.complaints.Submit(ctx, complaint.SystemActor, in)
	if err != nil || rec.Replayed {
		return err
	}
	s.outbox.Wake()
	return nil
}

// whatsAppPhoto downloads image message m's photo (ChannelConfig.
// WhatsAppMedia) for the complaint, which checks it as the form's uploads
// are checked and strips its metadata (complaint.Intake.Photos). A photo
// that cannot be fetched, or is not a PNG or JPEG under the size limit, is
// logged and left out: the complaint is still stored with the caption,
// and lost (1) leaves an internal timeline note (complaint.Intake.
// PhotosLost) so officers ask for a resend.
func (s *Server) whatsAppPhoto(ctx context.Context, m waInbound) (photos []complaint.PhotoInput, lost int) {
	if m.Image.ID == "" {
		return nil, 0
	}
	if s.channels.WhatsAppMedia == nil {
		return nil, 1
	}
	data, mime, err := s.channels.WhatsAppMedia.FetchMedia(ctx, m.Image.ID)
	if err != nil {
		s.log.Warn("whatsapp photo not fetched; the complaint is kept without it", "message", m.ID, "media", m.Image.ID, "err", err)
		return nil, 1
	}
	name := "whatsapp.jpg"
	if mime == "image/png" {
		name = "whatsapp.png"
	}
	if _, _, _, err := forum.CheckFile(name, data); err != nil || len(data) > complaint.MaxPhotoBytes {
		s.log.Warn("whatsapp photo refused; the complaint is kept without it", "message", m.ID, "media", m.Image.ID, "mime", mime, "err", err)
		return nil, 1
	}
	return []complaint.PhotoInput{{Name: name, Data: data}}, 0
}
