package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
)

// provider is an HTTP server standing in for a provider: it hands each
// request to check and answers with status and body.
func provider(t *testing.T, check func(t *testing.T, r *http.Request, body []byte), status int, answer string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		check(t, r, body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer) //nolint:errcheck // test server
	}))
	t.Cleanup(srv.Close)
	return srv
}

func form(t *testing.T, r *http.Request, body []byte) url.Values {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want a form", ct)
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatalf("form body %q: %v", body, err)
	}
	return v
}

var otp = Message{Channel: SMS, To: "+6281234567890", Body: "Kode masuk rembug: 123456", Code: "123456", Lang: "id"}

func TestTwilioRequest(t *testing.T) {
	srv := provider(t, func(t *testing.T, r *http.Request, body []byte) {
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if u, p, ok := r.BasicAuth(); !ok || u != "AC123" || p != "token" {
			t.Errorf("basic auth %q %q %v", u, p, ok)
		}
		f := form(t, r, body)
		want := url.Values{"To": {"+6281234567890"}, "Body": {otp.Body}, "MessagingServiceSid": {"MG9"}}
		if !reflect.DeepEqual(f, want) {
			t.Errorf("form = %v, want %v", f, want)
		}
	}, http.StatusCreated, `{"sid":"SM1","status":"queued"}`)
	tw := &Twilio{AccountSID: "AC123", Password: "token", MessagingServiceSID: "MG9", From: "ignored", BaseURL: srv.URL}
	if err := tw.Send(context.Background(), otp); err != nil {
		t.Fatal(err)
	}
}

func TestTwilioErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		answer    string
		permanent bool
	}{
		{"invalid number", 400, `{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`, true},
		{"bad credentials", 401, `{"code":20003,"message":"Authenticate","status":401}`, true},
		{"rate limited", 429, `{"code":20429,"message":"Too Many Requests","status":429}`, false},
		{"outage", 503, `Service Unavailable`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := provider(t, func(*testing.T, *http.Request, []byte) {}, tc.status, tc.answer)
			err := (&Twilio{AccountSID: "AC1", Username: "SK1", Password: "s", From: "+15005550006", BaseURL: srv.URL}).Send(context.Background(), otp)
			if err == nil || errors.Is(err, ErrPermanent) != tc.permanent {
				t.Fatalf("err = %v, want permanent %v", err, tc.permanent)
			}
		})
	}
}

func TestZenzivaRequest(t *testing.T) {
	srv := provider(t, func(t *testing.T, r *http.Request, body []byte) {
		if r.Method != http.MethodPost || r.URL.Path != "/reguler/api/sendsms/" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		f := form(t, r, body)
		want := url.Values{"userkey": {"uk"}, "passkey": {"pk"}, "to": {"6281234567890"}, "message": {otp.Body}}
		if !reflect.DeepEqual(f, want) {
			t.Errorf("form = %v, want %v", f, want)
		}
	}, http.StatusOK, `{"messageId":"1","to":"6281234567890","status":"1","text":"Success"}`)
	if err := (&Zenziva{UserKey: "uk", PassKey: "pk", BaseURL: srv.URL}).Send(context.Background(), otp); err != nil {
		t.Fatal(err)
	}
	refused := provider(t, func(*testing.T, *http.Request, []byte) {}, http.StatusOK, `{"status":"0","text":"Saldo tidak cukup"}`)
	err := (&Zenziva{UserKey: "uk", PassKey: "pk", BaseURL: refused.URL}).Send(context.Background(), otp)
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("refused: err = %v, want a temporary error", err)
	}
}

func TestWhatsAppTemplateRequest(t *testing.T) {
	srv := provider(t, func(t *testing.T, r *http.Request, body []byte) {
		if r.Method != http.MethodPost || r.URL.Path != "/v21.0/1055/messages" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer EAAG" {
			t.Errorf("Authorization = %q", got)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		var got, want any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		json.Unmarshal([]byte(`{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567890",
			"type":"template","template":{"name":"kode_masuk","language":{"code":"en_US"},"components":[
			{"type":"body","parameters":[{"type":"text","text":"123456"}]},
			{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"123456"}]}]}}`), &want) //nolint:errcheck // constant
		if !reflect.DeepEqual(got, want) {
			t.Errorf("body = %s", body)
		}
	}, http.StatusOK, `{"messaging_product":"whatsapp","contacts":[{"input":"6281234567890","wa_id":"6281234567890"}],"messages":[{"id":"wamid.X"}]}`)
	wa := &WhatsAppCloud{PhoneNumberID: "1055", Token: "EAAG", Template: "kode_masuk", BaseURL: srv.URL}
	msg := otp
	msg.Channel, msg.Lang = WhatsApp, "en"
	if err := wa.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
}

func TestWhatsAppTextAndErrors(t *testing.T) {
	srv := provider(t, func(t *testing.T, r *http.Request, body []byte) {
		var got map[string]any
		json.Unmarshal(body, &got) //nolint:errcheck // checked below
		if got["type"] != "text" || !reflect.DeepEqual(got["text"], map[string]any{"body": "Pengaduan Anda diterima."}) {
			t.Errorf("body = %s", body)
		}
	}, http.StatusOK, `{"messages":[{"id":"wamid.Y"}]}`)
	wa := &WhatsAppCloud{PhoneNumberID: "1055", Token: "EAAG", Version: "v21.0", BaseURL: srv.URL}
	if err := wa.Send(context.Background(), Message{Channel: WhatsApp, To: "+6281234567890", Body: "Pengaduan Anda diterima."}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		status    int
		answer    string
		permanent bool
	}{
		{"throttled as 400", 400, `{"error":{"message":"Rate limit hit","type":"OAuthException","code":130429}}`, false},
		{"bad token", 401, `{"error":{"message":"Invalid OAuth access token","type":"OAuthException","code":190}}`, true},
		{"template missing", 404, `{"error":{"message":"Template name does not exist","code":132001}}`, true},
		{"server error", 500, `{"error":{"message":"unknown","code":1}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := provider(t, func(*testing.T, *http.Request, []byte) {}, tc.status, tc.answer)
			err := (&WhatsAppCloud{PhoneNumberID: "1", Token: "t", Template: "x", BaseURL: srv.URL}).Send(context.Background(), otp)
			if err == nil || errors.Is(err, ErrPermanent) != tc.permanent {
				t.Fatalf("err = %v, want permanent %v", err, tc.permanent)
			}
		})
	}
}
