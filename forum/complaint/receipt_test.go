package complaint

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

// A WhatsApp or SMS complaint's receipt (number and secret) is written in
// the intake's transaction: when it cannot be written, no complaint is
// kept; a web complaint gets none (the page shows it).
func TestReceiptInIntakeTransaction(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := messaging.Migrate(ctx, f.s.db); err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(ctx, f.s.db, Config{Location: wibZone, Now: f.clk.Now, Notice: func(kind string, data map[string]any, lang string) (string, string) {
		return "", fmt.Sprintf("%s %v %v", kind, data["number"], data["secret"])
	}})
	if err != nil {
		t.Fatal(err)
	}
	in := Intake{Channel: ChannelWhatsApp, IdemKey: "wamid.1", ReporterPhone: "081234567890", Body: "Banjir di Jalan Ahmad Yani sejak pagi."}
	lift := storagetest.RefuseInserts(t, s.db, "message_outbox")
	if _, err := s.Submit(ctx, Actor{}, in); err == nil {
		t.Fatal("intake succeeded without its receipt")
	}
	lift()
	var n int
	must(0, s.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(ctx, &n))
	if n != 0 {
		t.Fatalf("%d complaints kept after the receipt failed", n)
	}
	rec := must(s.Submit(ctx, Actor{}, in))
	if _, err := s.Submit(ctx, Actor{}, Intake{Channel: ChannelWeb, Body: in.Body, ReporterPhone: "081234567890"}); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	must(0, s.db.NewSelect().Table("message_outbox").Column("body").Scan(ctx, &bodies))
	if len(bodies) != 1 || !strings.Contains(bodies[0], "complaint.receive "+rec.Complaint.Number+" "+rec.Secret) {
		t.Fatalf("receipts: %q", bodies)
	}
	if again := must(s.Submit(ctx, Actor{}, in)); !again.Replayed {
		t.Fatal("a retried message made a second complaint")
	}
	must(0, s.db.NewSelect().Table("message_outbox").ColumnExpr("count(*)").Scan(ctx, &n))
	if n != 1 {
		t.Fatalf("a retried message queued %d receipts", n)
	}
}
