package complaint

import (
	"context"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// An admin creates, renames and deactivates an agency; others may not; a
// duplicate or empty name is refused with nothing written; a deactivated
// agency takes no new route or forward and keeps the complaints it has.
func TestAgencyDirectory(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	audits := func() int {
		n, err := f.s.db.NewSelect().Model((*forum.AuditEntry)(nil)).Where("action LIKE 'complaint.agency_%'").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	before := audits()
	if _, err := f.s.CreateAgency(ctx, f.officerA, AgencyInput{Name: "Dinas Sosial"}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("an officer creates an agency: %v", err)
	}
	if _, err := f.s.CreateAgency(ctx, f.analyst, AgencyInput{Name: "Dinas Sosial"}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("an analyst creates an agency: %v", err)
	}
	if _, err := f.s.CreateAgency(ctx, f.admin, AgencyInput{Name: "   "}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := f.s.CreateAgency(ctx, f.admin, AgencyInput{Name: " dinas perhubungan "}); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("duplicate name: %v", err)
	}
	if audits() != before {
		t.Fatal("a refused write left an audit row")
	}
	id, err := f.s.CreateAgency(ctx, f.admin, AgencyInput{Name: " Dinas Sosial ", Code: "DINSOS", Contact: "031-123"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateAgency(ctx, f.admin, id, AgencyInput{Name: "Dinas Perhubungan"}); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("rename onto another's name: %v", err)
	}
	if err := f.s.UpdateAgency(ctx, f.officerA, id, AgencyInput{Name: "Dinsos"}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("an officer renames: %v", err)
	}
	if err := f.s.UpdateAgency(ctx, f.admin, id+100, AgencyInput{Name: "Dinsos"}); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("rename an unknown agency: %v", err)
	}
	if err := f.s.UpdateAgency(ctx, f.admin, id, AgencyInput{Name: "Dinas Sosial dan Pemberdayaan", Code: "DINSOSP2"}); err != nil {
		t.Fatal(err)
	}
	var got Agency
	for _, a := range must(f.s.Agencies(ctx)) {
		if a.ID == id {
			got = a
		}
	}
	if got.Name != "Dinas Sosial dan Pemberdayaan" || got.Code != "DINSOSP2" || got.Contact != "" || got.DeactivatedAt != nil {
		t.Fatalf("after rename: %+v", got)
	}

	c := f.submit(t, Intake{}).Complaint
	c = must(f.s.Route(ctx, f.admin, c.ID, []int64{id}, ""))
	if err := f.s.SetAgencyActive(ctx, f.officerA, id, false); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("an officer deactivates: %v", err)
	}
	if err := f.s.SetAgencyActive(ctx, f.admin, id, false); err != nil {
		t.Fatal(err)
	}
	c2 := f.submit(t, Intake{}).Complaint
	if _, err := f.s.Route(ctx, f.admin, c2.ID, []int64{id}, ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("route to a deactivated agency: %v", err)
	}
	c2 = must(f.s.Route(ctx, f.admin, c2.ID, []int64{f.agencyA}, ""))
	if _, err := f.s.Forward(ctx, f.admin, c2.ID, f.agencyA, id, ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("forward to a deactivated agency: %v", err)
	}
	// Its history stays: the complaint routed before is still its own.
	again, err := f.s.ByNumber(ctx, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Agencies) != 1 || again.Agencies[0] != id {
		t.Fatalf("routes after deactivation: %v", again.Agencies)
	}
	if err := f.s.SetAgencyActive(ctx, f.admin, id, true); err != nil {
		t.Fatal(err)
	}
	must(f.s.Forward(ctx, f.admin, c2.ID, f.agencyA, id, ""))
	if n := audits() - before; n != 4 {
		t.Fatalf("audit rows: %d, want create, update, deactivate, activate", n)
	}
}
