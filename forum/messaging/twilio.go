package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Twilio sends SMS with Twilio's Programmable Messaging API: one
// POST {BaseURL}/2010-04-01/Accounts/{AccountSID}/Messages.json per
// message, HTTP Basic authentication with the account SID (or an API key
// SID) and its secret, and a form body with To (E.164), Body and either
// MessagingServiceSid or From. A created message answers 201 with
// {"sid":"SM…","status":"queued"}; errors answer 4xx/5xx with
// {"code":21211,"message":"…","status":400}.
// Source: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
type Twilio struct {
	// AccountSID is the account the messages are billed to ("AC…").
	AccountSID string
	// Username and Password authenticate: an API key SID ("SK…") and its
	// secret, or empty Username to use AccountSID and the auth token in
	// Password.
	Username, Password string
	// From is the sender number or alphanumeric sender id; ignored when
	// MessagingServiceSID ("MG…") is set.
	From, MessagingServiceSID string
	// BaseURL is https://api.twilio.com unless set (tests).
	BaseURL string
	// Client is the HTTP client; nil uses one with a 20 s timeout.
	Client *http.Client
}

// Send posts msg as one SMS; its Body is the text.
func (t *Twilio) Send(ctx context.Context, msg Message) error {
	if t.AccountSID == "" || t.Password == "" || (t.From == "" && t.MessagingServiceSID == "") {
		return permanent("twilio: account, secret and a sender (From or messaging service) are required")
	}
	base := t.BaseURL
	if base == "" {
		base = "https://api.twilio.com"
	}
	form := url.Values{"To": {msg.To}, "Body": {msg.Body}}
	if t.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", t.MessagingServiceSID)
	} else {
		form.Set("From", t.From)
	}
	endpoint := strings.TrimRight(base, "/") + "/2010-04-01/Accounts/" + url.PathEscape(t.AccountSID) + "/Messages.json"
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return permanent("twilio: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	user := t.Username
	if user == "" {
		user = t.AccountSID
	}
	req.SetBasicAuth(user, t.Password)
	status, body, err := post(ctx, t.Client, req)
	if err != nil {
		return fmt.Errorf("twilio: %w", err)
	}
	if status/100 == 2 {
		return nil
	}
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		e.Message = strings.TrimSpace(string(body))
	}
	return statusError("twilio", status, fmt.Sprintf("error %d: %s", e.Code, e.Message))
}

// errNoSender is returned by senders missing their configuration.
var errNoSender = errors.New("messaging: sender not configured")
