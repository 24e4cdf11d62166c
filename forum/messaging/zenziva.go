package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Zenziva sends SMS through Zenziva, an Indonesian SMS gateway, with its
// "SMS Reguler" API (version 2): POST {BaseURL}/reguler/api/sendsms/ with a
// form body userkey, passkey, to (the number, here 62… without "+") and
// message. It answers HTTP 200 with JSON
// {"messageId":"…","to":"…","status":"1","text":"Success"}; a status other
// than "1" is a failure described by text.
// Source: https://www.zenziva.id/dokumentasi/ (console.zenziva.net, API v2)
type Zenziva struct {
	// UserKey and PassKey are the API credentials from the Zenziva console.
	UserKey, PassKey string
	// BaseURL is https://console.zenziva.net unless set (a dedicated
	// console, or tests).
	BaseURL string
	// Client is the HTTP client; nil uses one with a 20 s timeout.
	Client *http.Client
}

// Send posts msg as one SMS; its Body is the text.
func (z *Zenziva) Send(ctx context.Context, msg Message) error {
	if z.UserKey == "" || z.PassKey == "" {
		return permanent("zenziva: %v", errNoSender)
	}
	base := z.BaseURL
	if base == "" {
		base = "https://console.zenziva.net"
	}
	form := url.Values{"userkey": {z.UserKey}, "passkey": {z.PassKey}, "to": {strings.TrimPrefix(msg.To, "+")}, "message": {msg.Body}}
	req, err := http.NewRequest(http.MethodPost, strings.TrimRight(base, "/")+"/reguler/api/sendsms/", strings.NewReader(form.Encode()))
	if err != nil {
		return permanent("zenziva: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body, err := post(ctx, z.Client, req)
	if err != nil {
		return fmt.Errorf("zenziva: %w", err)
	}
	if status/100 != 2 {
		return statusError("zenziva", status, strings.TrimSpace(string(body)))
	}
	var r struct {
		Status any    `json:"status"`
		Text   string `json:"text"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("zenziva: unreadable answer %.200q", body)
	}
	if fmt.Sprint(r.Status) != "1" {
		// Zenziva reports every refusal (balance, number, key) the same
		// way; retrying is cheap and the message's expiry bounds it.
		return fmt.Errorf("zenziva: status %v: %s", r.Status, r.Text)
	}
	return nil
}
