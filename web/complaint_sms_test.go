package web_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

const smsSecret = "twilio-auth-token"

// twilioSign signs a form POST as Twilio documents it
// (twilio.com/docs/usage/security#validating-requests).
func twilioSign(token, u string, f url.Values) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := u
	for _, k := range keys {
		s += k + f.Get(k)
	}
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestSMSWebhookIntake(t *testing.T) {
	db, base := newWebhookServer(t)
	// Twilio's inbound SMS webhook fields (twilio.com/docs/messaging/guides/webhook-request).
	f := url.Values{"MessageSid": {"SM1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"}, "AccountSid": {"AC0123"}, "From": {"+6281234567890"},
		"To": {"+15005550006"}, "Body": {"Jalan rusak di depan kantor kelurahan Tandes"}, "NumMedia": {"0"}}
	post := func(sig string) int {
		req, _ := http.NewRequest("POST", base+"/webhook/sms", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			req.Header.Set("X-Twilio-Signature", sig)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := post(""); got != http.StatusUnauthorized {
		t.Errorf("no signature: %d", got)
	}
	if got := post(twilioSign("wrong", base+"/webhook/sms", f)); got != http.StatusForbidden {
		t.Errorf("bad signature: %d", got)
	}
	if n := webhookCount(t, db, "SELECT COUNT(*) FROM complaints"); n != 0 {
		t.Fatalf("%d complaints from unsigned posts", n)
	}
	good := twilioSign(smsSecret, base+"/webhook/sms", f)
	for i := 0; i < 2; i++ { // Twilio retries
		if got := post(good); got != 200 {
			t.Fatalf("good signature: %d", got)
		}
	}
	if n := webhookCount(t, db, "SELECT COUNT(*) FROM complaints WHERE channel = 'sms' AND idem_key = 'SM1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d'"); n != 1 {
		t.Errorf("%d complaints, want 1", n)
	}
	if n := webhookCount(t, db, "SELECT COUNT(*) FROM message_outbox WHERE channel = 'sms' AND recipient = '+6281234567890' AND body LIKE '%ADU-2026-000001%'"); n != 1 {
		t.Errorf("%d SMS receipts with the tracking number, want 1", n)
	}
}
