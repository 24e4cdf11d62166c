package messaging

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// WhatsAppCloud sends WhatsApp messages with Meta's WhatsApp Business
// Cloud API: POST {BaseURL}/{Version}/{PhoneNumberID}/messages with
// "Authorization: Bearer {Token}" and a JSON body.
//
// A message with a Code is sent as the approved authentication template
// Template (category AUTHENTICATION, copy-code button), in the language
// Languages[msg.Lang]: the code fills the body's one parameter and the
// button's URL parameter:
//
//	{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567890",
//	 "type":"template","template":{"name":"…","language":{"code":"id"},"components":[
//	   {"type":"body","parameters":[{"type":"text","text":"123456"}]},
//	   {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"123456"}]}]}}
//
// A message without a Code is sent as {"type":"text","text":{"body":…}},
// which WhatsApp delivers only within 24 hours of the person's last
// message to the business. Success is HTTP 200 with
// {"messages":[{"id":"wamid…"}]}; errors carry
// {"error":{"message","type","code","fbtrace_id"}}.
// Sources: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
// https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates/copy-code-button-authentication-templates,
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
type WhatsAppCloud struct {
	// PhoneNumberID is the business phone number's id in the WhatsApp
	// Business Account (not the number itself).
	PhoneNumberID string
	// Token is a system user access token with whatsapp_business_messaging.
	Token string
	// Template is the authentication template's name.
	Template string
	// Languages maps a message language to the template's language code;
	// nil means {"id": "id", "en": "en_US"}. Unknown languages use "id".
	Languages map[string]string
	// Version is the Graph API version; empty means "v21.0".
	Version string
	// BaseURL is https://graph.facebook.com unless set (tests).
	BaseURL string
	// Client is the HTTP client; nil uses one with a 20 s timeout.
	Client *http.Client
}

type waParam struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type waComponent struct {
	Type       string    `json:"type"`
	SubType    string    `json:"sub_type,omitempty"`
	Index      string    `json:"index,omitempty"`
	Parameters []waParam `json:"parameters"`
}

type waRequest struct {
	Product       string `json:"messaging_product"`
	RecipientType string `json:"recipient_type"`
	To            string `json:"to"`
	Type          string `json:"type"`
	Template      *struct {
		Name       string            `json:"name"`
		Language   map[string]string `json:"language"`
		Components []waComponent     `json:"components"`
	} `json:"template,omitempty"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text,omitempty"`
}

// whatsAppRetryable are the error codes Meta lists as throttling or
// temporary (answered with HTTP 400 as well as 429/5xx).
var whatsAppRetryable = []int{1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004}

// Send posts msg to WhatsApp (see the type's comment).
func (wa *WhatsAppCloud) Send(ctx context.Context, msg Message) error {
	if wa.PhoneNumberID == "" || wa.Token == "" || (msg.Code != "" && wa.Template == "") {
		return permanent("whatsapp: %v", errNoSender)
	}
	body := waRequest{Product: "whatsapp", RecipientType: "individual", To: strings.TrimPrefix(msg.To, "+")}
	if msg.Code != "" {
		body.Type = "template"
		body.Template = &struct {
			Name       string            `json:"name"`
			Language   map[string]string `json:"language"`
			Components []waComponent     `json:"components"`
		}{Name: wa.Template, Language: map[string]string{"code": wa.language(msg.Lang)}, Components: []waComponent{
			{Type: "body", Parameters: []waParam{{Type: "text", Text: msg.Code}}},
			{Type: "button", SubType: "url", Index: "0", Parameters: []waParam{{Type: "text", Text: msg.Code}}},
		}}
	} else {
		body.Type = "text"
		body.Text = &struct {
			Body string `json:"body"`
		}{Body: msg.Body}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return permanent("whatsapp: %v", err)
	}
	base, version := wa.BaseURL, wa.Version
	if base == "" {
		base = "https://graph.facebook.com"
	}
	if version == "" {
		version = "v21.0"
	}
	endpoint := strings.TrimRight(base, "/") + "/" + version + "/" + url.PathEscape(wa.PhoneNumberID) + "/messages"
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(b))
	if err != nil {
		return permanent("whatsapp: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+wa.Token)
	status, resp, err := post(ctx, wa.Client, req)
	if err != nil {
		return fmt.Errorf("whatsapp: %w", err)
	}
	if status/100 == 2 {
		return nil
	}
	var e struct {
		Error struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(resp, &e) != nil || e.Error.Message == "" {
		e.Error.Message = fmt.Sprintf("%.200s", resp)
	}
	detail := fmt.Sprintf("error %d: %s", e.Error.Code, e.Error.Message)
	if slices.Contains(whatsAppRetryable, e.Error.Code) {
		return fmt.Errorf("whatsapp: HTTP %d: %s", status, detail)
	}
	return statusError("whatsapp", status, detail)
}

func (wa *WhatsAppCloud) language(lang string) string {
	langs := wa.Languages
	if langs == nil {
		langs = map[string]string{"id": "id", "en": "en_US"}
	}
	if code, ok := langs[lang]; ok {
		return code
	}
	if code, ok := langs["id"]; ok {
		return code
	}
	return "id"
}
