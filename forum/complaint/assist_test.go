package complaint

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
)

// TestAssistedIntake: an assisted-entry officer records a complaint for a
// citizen at the desk only with the citizen's consent; the complaint keeps
// who, when and the consent version, writes its audit row as an assisted
// receipt, and shows as assisted in the JSON shape, the export and the
// statistics. Anyone else asking for an assisted intake is refused and
// nothing is written.
func TestAssistedIntake(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := &forum.User{Email: "pendamping@example.id", DisplayName: "Pendamping", Role: forum.RoleAssistant}
	if err := forumtest.CreateUser(ctx, f.s.db, u, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	officer := f.s.Actor(must(forum.LoadViewer(ctx, f.s.db, u, 0)), "")
	in := Intake{Channel: ChannelWeb, Body: "Saluran air di depan kantor kelurahan tersumbat.", Assisted: true}

	if _, err := f.s.Submit(ctx, officer, in); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("without consent: %v, want invalid", err)
	}
	if _, err := f.s.Submit(ctx, f.citizen, Intake{Channel: ChannelWeb, Body: in.Body, Assisted: true, Consent: true}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("a citizen asking for an assisted intake: %v, want forbidden", err)
	}
	var n int
	if err := f.s.db.NewRaw(`SELECT COUNT(*) FROM complaints`).Scan(ctx, &n); err != nil || n != 0 {
		t.Fatalf("refused intakes wrote %d complaints (%v)", n, err)
	}

	in.Consent = true
	rec, err := f.s.Submit(ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, Intake{}) // a self-service complaint
	c := rec.Complaint
	if !c.Assisted() || c.AssistedBy == nil || *c.AssistedBy != u.ID || c.AssistConsent != forum.ConsentVersion || c.ReporterUserID != nil {
		t.Fatalf("stored %+v", c)
	}
	var action string
	if err := f.s.db.NewRaw(`SELECT action FROM audit_log WHERE target_kind = 'complaint' AND target_id = ? AND actor_user_id = ?`, c.ID, u.ID).Scan(ctx, &action); err != nil || action != "complaint.receive_assisted" {
		t.Fatalf("audit row %q (%v)", action, err)
	}
	p, err := f.s.Present(ctx, f.admin, must(load(ctx, f.s.db, c.ID)), false)
	if err != nil || !p.Assisted {
		t.Fatalf("presented %+v (%v)", p, err)
	}
	var buf bytes.Buffer
	if err := f.s.ExportLapor(ctx, f.admin, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasSuffix(strings.TrimSpace(lines[1]), ",true") || !strings.HasSuffix(strings.TrimSpace(lines[2]), ",false") {
		t.Fatalf("export:\n%s", buf.String())
	}
	gs, err := f.s.Stats(ctx, f.clk.Now().AddDate(0, 0, -1), f.clk.Now().AddDate(0, 0, 1), ByTopic)
	if err != nil || len(gs) != 1 || gs[0].Received != 2 || gs[0].Assisted != 1 {
		t.Fatalf("stats %+v (%v)", gs, err)
	}
}
