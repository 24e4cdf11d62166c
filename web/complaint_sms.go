package web

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Twilio's request signature is defined as HMAC-SHA1
	"encoding/base64"
	"net/http"
	"sort"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
)

// twilioSignature is Twilio's X-Twilio-Signature for a form POST to url:
// base64(HMAC-SHA1(auth token, url + each POST parameter's name and value
// concatenated in name order)).
// Source: https://www.twilio.com/docs/usage/security#validating-requests
func twilioSignature(token, url string, form map[string][]string) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(url))
	for _, k := range keys {
		for _, v := range form[k] {
			m.Write([]byte(k + v))
		}
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// handleSMSWebhook takes an SMS sent to the pemda's Twilio number as a
// complaint: Twilio's inbound-message webhook (form fields MessageSid, From,
// Body) signed with X-Twilio-Signature over the public URL of this route.
// It is idempotent by MessageSid and answers the tracking number by SMS
// through the message outbox; the HTTP answer is an empty TwiML response.
// Source: https://www.twilio.com/docs/messaging/guides/webhook-request
func (s *Server) handleSMSWebhook(w http.ResponseWriter, r *http.Request) {
	secret := s.channels.SMSSecret
	if secret == "" {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBody)
	if err := r.ParseForm(); err != nil {
		s.serveError(w, r, errs.Wrap(errs.Invalid, "error.bad_form", err))
		return
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if sig == "" {
		s.serveError(w, r, errs.E(errs.Unauthenticated, "error.webhook_signature_missing", nil))
		return
	}
	want := twilioSignature(secret, s.publicURL(r, r.URL.RequestURI()), r.PostForm)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.webhook_signature", nil))
		return
	}
	id := r.PostForm.Get("MessageSid")
	if err := s.channelIntake(r.Context(), messaging.SMS, r.PostForm.Get("From"),
		complaint.Intake{Channel: complaint.ChannelSMS, IdemKey: id, Body: r.PostForm.Get("Body")}); err != nil {
		if errs.KindOf(err) != errs.Invalid {
			s.log.Error("sms intake", "message", id, "err", err)
			s.serveError(w, r, errs.Wrap(errs.Unavailable, "error.webhook_unavailable", err))
			return
		}
		s.log.Info("sms not taken as a complaint", "message", id, "err", err)
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)) //nolint:errcheck // the client may be gone
}
