package forum_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestCreateAssistedProposal: an assisted-entry officer records the
// proposals of two citizens at the desk, each with consent, as two
// distinct guest authors (never the officer), marked assisted with the
// officer and consent version, audited, and marked in the export. Without
// consent, or by a citizen, nothing is written.
func TestCreateAssistedProposal(t *testing.T) {
	w := newWorld(t)
	officer := w.load(t, w.user(t, "pendamping", forum.RoleAssistant).User, 0)
	citizen := w.user(t, "warga", forum.RoleParticipant)
	in := forum.ProposalInput{Title: "Posyandu buka hari Sabtu", Body: "Banyak ibu bekerja pada hari biasa."}
	if _, _, err := w.store.CreateAssistedProposal(w.ctx, officer, w.c, in, false); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("without consent: %v", err)
	}
	if _, _, err := w.store.CreateAssistedProposal(w.ctx, citizen, w.c, in, true); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("by a citizen: %v", err)
	}
	var n int
	if err := w.db.NewRaw(`SELECT COUNT(*) FROM proposals`).Scan(w.ctx, &n); err != nil || n != 0 {
		t.Fatalf("refused entries wrote %d proposals (%v)", n, err)
	}
	a, _, err := w.store.CreateAssistedProposal(w.ctx, officer, w.c, in, true)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := w.store.CreateAssistedProposal(w.ctx, officer, w.c, forum.ProposalInput{Title: "Lampu jalan di gang 5"}, true)
	if err != nil {
		t.Fatal(err)
	}
	self := w.proposal(t, citizen, "Taman bermain anak")
	if !a.Assisted || a.AssistedBy == nil || *a.AssistedBy != officer.User.ID || a.AssistConsent != forum.ConsentVersion ||
		a.AuthorID == 0 || a.AuthorID == b.AuthorID || self.Assisted {
		t.Fatalf("stored %+v / %+v / %+v", a, b, self)
	}
	var audits int
	if err := w.db.NewRaw(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor_user_id = ?`, forum.AuditProposalAssisted, officer.User.ID).Scan(w.ctx, &audits); err != nil || audits != 2 {
		t.Fatalf("%d audit rows (%v)", audits, err)
	}
	rows, err := forum.Export(w.ctx, w.db, w.staff(t), w.c)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := forum.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rows {
		got[r.Title] = r.Assisted
	}
	if !got["Posyandu buka hari Sabtu"] || !got["Lampu jalan di gang 5"] || got["Taman bermain anak"] || !strings.Contains(buf.String(), ",official,assisted\r\n") {
		t.Fatalf("export marks %v\n%s", got, buf.String())
	}
}
