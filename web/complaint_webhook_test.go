package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

const waSecret, waVerify = "app-secret-123", "verify-me"

func newWebhookServer(t *testing.T) (*bun.DB, string) {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Channels: web.ChannelConfig{WhatsAppAppSecret: waSecret, WhatsAppVerifyToken: waVerify, SMSSecret: smsSecret}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return db, ts.URL
}

// waText is Meta's documented text-message webhook payload
// (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#text-messages).
func waText(id, from, ts, body string) string {
	return fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"%[2]s"}],
"messages":[{"from":"%[2]s","id":"%[1]s","timestamp":"%[3]s","text":{"body":%[4]q},"type":"text"}]},"field":"messages"}]}]}`, id, from, ts, body)
}

func postWA(t *testing.T, url, body, sig string, hdr ...string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/webhook/whatsapp", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func sign(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func webhookCount(t *testing.T, db *bun.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWhatsAppWebhookVerify(t *testing.T) {
	_, url := newWebhookServer(t)
	for _, c := range []struct {
		q    string
		code int
		body string
	}{
		{"hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", 200, "1158201444"},
		{"hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444", 403, ""},
		{"hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1", 403, ""},
	} {
		res, err := http.Get(url + "/webhook/whatsapp?" + c.q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.code || (c.body != "" && string(b) != c.body) {
			t.Errorf("%s: %d %q, want %d %q", c.q, res.StatusCode, b, c.code, c.body)
		}
	}
}

func TestWhatsAppWebhookIntake(t *testing.T) {
	db, url := newWebhookServer(t)
	complaints := func() int { return webhookCount(t, db, "SELECT COUNT(*) FROM complaints WHERE channel = 'whatsapp'") }
	replies := func() int {
		return webhookCount(t, db, "SELECT COUNT(*) FROM message_outbox WHERE channel = 'whatsapp' AND recipient = '+6281234567890'")
	}
	first := waText("wamid.AAA1", "6281234567890", "1764670000", "Lampu jalan di Jl. Tandes mati sejak seminggu")
	second := waText("wamid.AAA2", "6281234567890", "1764670060", "Sampah di depan pasar belum diangkut tiga hari")

	if got := postWA(t, url, first, ""); got != http.StatusUnauthorized {
		t.Errorf("no signature: %d, want 401", got)
	}
	if got := postWA(t, url, first, sign("other-secret", first)); got != http.StatusForbidden {
		t.Errorf("bad signature: %d, want 403", got)
	}
	if got := postWA(t, url, first+" ", sign(waSecret, first)); got != http.StatusForbidden {
		t.Errorf("signature of another body: %d, want 403", got)
	}
	if n := complaints(); n != 0 {
		t.Fatalf("%d complaints stored from unsigned deliveries", n)
	}
	// Out of order: the later message arrives first. The provider's servers
	// send no Sec-Fetch-Site or Origin, so the cross-origin protection that
	// guard keeps on foreign routes lets them through.
	if got := postWA(t, url, second, sign(waSecret, second)); got != 200 {
		t.Fatalf("second: %d", got)
	}
	if got := postWA(t, url, first, sign(waSecret, first)); got != 200 {
		t.Fatalf("first: %d", got)
	}
	for i := 0; i < 2; i++ { // Meta retries
		if got := postWA(t, url, first, sign(waSecret, first)); got != 200 {
			t.Fatalf("retry: %d", got)
		}
	}
	if n := complaints(); n != 2 {
		t.Errorf("%d complaints, want 2", n)
	}
	if n := webhookCount(t, db, "SELECT COUNT(*) FROM complaints WHERE idem_key = 'wamid.AAA1' AND reporter_phone = '+6281234567890' AND body LIKE 'Lampu jalan%'"); n != 1 {
		t.Errorf("message wamid.AAA1 stored %d times with its phone and text", n)
	}
	if n := replies(); n != 2 {
		t.Errorf("%d receipts queued, want one per complaint", n)
	}
	var body string
	if err := db.QueryRowContext(context.Background(), "SELECT body FROM message_outbox ORDER BY id LIMIT 1").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "ADU-2026-000001") {
		t.Errorf("receipt %q lacks the tracking number", body)
	}

	// A status callback and a too-short message are acknowledged without a complaint.
	status := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",
"metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
"statuses":[{"id":"wamid.OUT1","status":"delivered","timestamp":"1764670100","recipient_id":"6281234567890"}]},"field":"messages"}]}]}`
	short := waText("wamid.AAA3", "6281234567890", "1764670200", "halo")
	for _, b := range []string{status, short} {
		if got := postWA(t, url, b, sign(waSecret, b)); got != 200 {
			t.Errorf("%d for %s", got, b[:40])
		}
	}
	// An image's caption is the complaint text.
	img := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",
"messages":[{"from":"6281298765432","id":"wamid.IMG1","timestamp":"1764670300","type":"image",
"image":{"caption":"Jalan berlubang besar di depan SDN 3","mime_type":"image/jpeg","sha256":"abc","id":"1479537139650973"}}]},"field":"messages"}]}]}`
	if got := postWA(t, url, img, sign(waSecret, img)); got != 200 {
		t.Errorf("image: %d", got)
	}
	if n := complaints(); n != 3 {
		t.Errorf("%d complaints after status, short and image messages, want 3", n)
	}
}

// TestWhatsAppWebhookPhoto: an image message's photo is fetched from the
// Graph API as documented (GET /v21.0/{media-id} for its url, then GET the
// url, both with the bearer token), checked and stripped of its metadata
// like a form photo, and attached to the complaint; a photo that cannot be
// fetched leaves the complaint stored with its caption.
func TestWhatsAppWebhookPhoto(t *testing.T) {
	const gps = "GPS-7.2575,112.7521"
	jpg := exifJPEG(t, gps)
	var graph *httptest.Server
	var asked []string
	flaky := 0
	graph = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.Method+" "+r.URL.Path)
		if r.Header.Get("Authorization") != "Bearer wa-token" {
			http.Error(w, `{"error":{"message":"bad token"}}`, http.StatusUnauthorized)
			return
		}
		flaky++
		switch {
		case r.URL.Path == "/v21.0/1479537139650973" || r.URL.Path == "/v21.0/777" && flaky > 3:
			fmt.Fprintf(w, `{"messaging_product":"whatsapp","url":%q,"mime_type":"image/jpeg","sha256":"abc","file_size":%d,"id":"1479537139650973"}`,
				graph.URL+"/whatsapp_business/attachments/?mid=1479537139650973", len(jpg))
		case r.URL.Path == "/whatsapp_business/attachments/":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(jpg)
		default:
			http.Error(w, `{"error":{"message":"down"}}`, http.StatusInternalServerError)
		}
	}))
	t.Cleanup(graph.Close)
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Channels: web.ChannelConfig{WhatsAppAppSecret: waSecret, WhatsAppVerifyToken: waVerify,
			WhatsAppMedia: &messaging.WhatsAppCloud{Token: "wa-token", BaseURL: graph.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	img := func(id, media string) string {
		return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",
"messages":[{"from":"6281298765432","id":"` + id + `","timestamp":"1764670300","type":"image",
"image":{"caption":"Jalan berlubang besar di depan SDN 3","mime_type":"image/jpeg","sha256":"abc","id":"` + media + `"}}]},"field":"messages"}]}]}`
	}
	for _, b := range []string{img("wamid.IMG1", "1479537139650973"), img("wamid.IMG2", "777")} {
		if got := postWA(t, ts.URL, b, sign(waSecret, b)); got != 200 {
			t.Fatalf("image: %d", got)
		}
	}
	// Meta redelivers a message whose photo failed before and now comes:
	// the complaint it made stands, acknowledged, without a second one.
	redo := img("wamid.IMG2", "777")
	if got := postWA(t, ts.URL, redo, sign(waSecret, redo)); got != 200 {
		t.Errorf("redelivery after a failed photo: %d, want 200", got)
	}
	if want := "GET /v21.0/1479537139650973"; len(asked) < 2 || asked[0] != want || asked[1] != "GET /whatsapp_business/attachments/" {
		t.Errorf("graph requests %v, want %s then the url it gave", asked, want)
	}
	photos := func(key string) int {
		return webhookCount(t, db, "SELECT COUNT(*) FROM complaint_photos p JOIN complaints c ON c.id = p.complaint_id WHERE c.idem_key = ?", key)
	}
	if n := photos("wamid.IMG1"); n != 1 {
		t.Errorf("the fetched photo: %d attached, want 1", n)
	}
	var data []byte
	if err := db.QueryRowContext(ctx, "SELECT data FROM complaint_photos").Scan(&data); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), gps) {
		t.Error("the WhatsApp photo keeps its Exif position")
	}
	if n := webhookCount(t, db, "SELECT COUNT(*) FROM complaints WHERE idem_key = 'wamid.IMG2'"); n != 1 || photos("wamid.IMG2") != 0 {
		t.Errorf("a photo that cannot be fetched: %d complaints, %d photos; want the complaint without it", n, photos("wamid.IMG2"))
	}
	// The failed download leaves one internal timeline note, also after the
	// redelivery; the fetched photo leaves none.
	missing := func(key string) (all, internal int) {
		q := "SELECT COUNT(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE e.kind = 'photo_missing' AND c.idem_key = ?"
		return webhookCount(t, db, q, key), webhookCount(t, db, q+" AND e.internal", key)
	}
	if all, internal := missing("wamid.IMG2"); all != 1 || internal != 1 {
		t.Errorf("photo_missing notes on the complaint whose photo failed: %d (%d internal), want 1 internal", all, internal)
	}
	if all, _ := missing("wamid.IMG1"); all != 0 {
		t.Errorf("photo_missing notes on the complaint with its photo: %d", all)
	}
}
