package complaint

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rembug/rembug/forum/messaging"
)

// TestForwardTellsCitizen: when an officer forwards a WhatsApp complaint to
// another agency (pelimpahan), the citizen gets a WhatsApp message saying
// so, like the other status messages and without the internal note,
// delivered by the outbox to a server in the test that checks the Cloud
// API's documented text-message request
// (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
// Every citizen message is checked again at send time: one queued for a
// complaint whose reporter data was erased since is never sent.
func TestForwardTellsCitizen(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := messaging.Migrate(ctx, f.s.db); err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(ctx, f.s.db, Config{Location: wibZone, Now: f.clk.Now, Notice: func(kind string, data map[string]any, lang string) (string, string) {
		return "", fmt.Sprintf("%s %v", kind, data["number"])
	}})
	if err != nil {
		t.Fatal(err)
	}
	rec := must(s.Submit(ctx, Actor{}, Intake{Channel: ChannelWhatsApp, IdemKey: "wamid.fwd", ReporterPhone: "081234567890",
		Body: "Sampah menumpuk di Jalan Kenjeran tiga hari."}))
	c := rec.Complaint
	must(s.Route(ctx, f.admin, c.ID, []int64{f.agencyA}, ""))
	must(s.Forward(ctx, f.officerA, c.ID, f.agencyA, f.agencyB, "CATATAN-INTERNAL bukan wewenang kami"))
	// Another citizen's receipt is queued, then their personal data is
	// erased before the outbox runs: the send-time check drops it.
	gone := must(s.Submit(ctx, Actor{}, Intake{Channel: ChannelWhatsApp, IdemKey: "wamid.gone", ReporterPhone: "081299990000",
		Body: "Lampu jalan mati di Jalan Dukuh Kupang sejak kemarin."})).Complaint
	if _, err := s.db.NewUpdate().Table("complaints").Set("erased_at = ?", f.clk.Now()).Where("id = ?", gone.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m struct {
			Product string `json:"messaging_product"`
			To      string `json:"to"`
			Type    string `json:"type"`
			Text    struct {
				Body string `json:"body"`
			} `json:"text"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v21.0/1055/messages" || r.Header.Get("Authorization") != "Bearer EAAG" ||
			json.Unmarshal(b, &m) != nil || m.Product != "whatsapp" || m.To != "6281234567890" || m.Type != "text" {
			t.Errorf("request %s %s: %s", r.Method, r.URL.Path, b)
		}
		mu.Lock()
		bodies = append(bodies, m.Text.Body)
		mu.Unlock()
		io.WriteString(w, `{"messaging_product":"whatsapp","messages":[{"id":"wamid.X"}]}`) //nolint:errcheck // test server
	}))
	defer srv.Close()
	ob := messaging.NewOutbox(messaging.OutboxConfig{DB: s.db, Now: f.clk.Now, Senders: map[messaging.Channel]messaging.Sender{
		messaging.WhatsApp: &messaging.WhatsAppCloud{PhoneNumberID: "1055", Token: "EAAG", Version: "v21.0", BaseURL: srv.URL}},
		Checks: map[string]messaging.Check{NoticeRef: NoticeStillDue}})
	if _, err := ob.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"complaint.receive " + c.Number, "complaint.route " + c.Number, "complaint.forward " + c.Number}
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("messages sent %q, want %q (none for the erased complaint %s)", bodies, want, gone.Number)
	}
	var dropped []messaging.Record
	must(0, s.db.NewSelect().Model(&dropped).Where("recipient = ?", "+6281299990000").Scan(ctx))
	if len(dropped) != 1 || dropped[0].State != messaging.StateFailed || !strings.Contains(dropped[0].LastError, "send time") {
		t.Errorf("the erased complaint's receipt: %+v", dropped)
	}
}
