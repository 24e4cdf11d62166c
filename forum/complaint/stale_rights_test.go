package complaint

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
)

// TestWorkflowReadsOfficerRightsAgain: workflow steps take the actor's
// rights from their own transaction, not from when the page loaded them.
// An officer removed from the agency after loading the complaint cannot
// answer, note or forward it; a desk moderator made a plain participant
// cannot route or reject it; the refused steps change nothing. SQLite and
// PostgreSQL.
func TestWorkflowReadsOfficerRightsAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.submit(t, Intake{}).Complaint
	c = must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyA}, ""))
	c = must(f.s.Start(ctx, f.officerA, c.ID)) // officer A's page loaded with their rights
	u := &forum.User{Email: "meja@example.id", DisplayName: "Meja", Role: forum.RoleModerator}
	must(0, forumtest.CreateUser(ctx, f.s.db, u, f.clk.Now()))
	desk := f.s.Actor(must(forum.LoadViewer(ctx, f.s.db, u, 0)), "")
	if !f.s.Access(desk, c).Triage || !f.s.Access(f.officerA, c).Handle {
		t.Fatal("the desk and officer A may act before their rights change")
	}

	must(0, f.s.SetOfficer(ctx, f.admin, f.officerA.UserID(), f.agencyA, false))
	refused := func(what string, err error) {
		t.Helper()
		if k := errs.KindOf(err); k != errs.NotFound && k != errs.Forbidden {
			t.Fatalf("%s after losing the right: %v, want not found or forbidden", what, err)
		}
	}
	_, err := f.s.Answer(ctx, f.officerA, c.ID, "Sudah kami perbaiki.")
	refused("answer by a removed officer", err)
	_, err = f.s.Note(ctx, f.officerA, c.ID, "catatan")
	refused("note by a removed officer", err)
	_, err = f.s.Forward(ctx, f.officerA, c.ID, f.agencyA, f.agencyB, "")
	refused("forward by a removed officer", err)

	must(0, forum.NewStore(f.s.db, func() time.Time { return f.clk.Now() }).SetRole(ctx, f.admin.Viewer, u.ID, forum.RoleParticipant))
	_, err = f.s.Route(ctx, desk, c.ID, []int64{f.agencyB}, "")
	refused("routing by a demoted desk moderator", err)
	_, err = f.s.Reject(ctx, desk, c.ID, RejectNotComplaint, "")
	refused("rejecting by a demoted desk moderator", err)

	got := must(load(ctx, f.s.db, c.ID))
	if got.Status != StatusInProgress || len(got.Agencies) != 1 || got.Agencies[0] != f.agencyA {
		t.Fatalf("refused steps changed the complaint: status %s, agencies %v", got.Status, got.Agencies)
	}
	tl := must(f.s.Timeline(ctx, c))
	if last := tl[len(tl)-1]; last.Kind != "in_progress" {
		t.Fatalf("refused steps wrote a timeline event: %+v", last)
	}
}

// TestDirectoryReadsAdminAgain: the agency directory's writes (agencies,
// topics, areas, officers, local holidays, the IKM link, the auto-route
// threshold, canned responses) decide with forum.Can inside their own
// transaction. An admin demoted after the page loaded, and an officer
// removed from the agency, are refused and write nothing, no audit row
// either. SQLite and PostgreSQL.
func TestDirectoryReadsAdminAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := &forum.User{Email: "admin2@example.id", DisplayName: "Admin dua", Role: forum.RoleAdmin}
	must(0, forumtest.CreateUser(ctx, f.s.db, u, f.clk.Now()))
	stale := f.s.Actor(must(forum.LoadViewer(ctx, f.s.db, u, 0)), "") // loaded as an admin
	officer := f.officerA                                             // loaded as officer of agency A
	audits := func() int {
		n, err := f.s.db.NewSelect().Model((*forum.AuditEntry)(nil)).Where("action LIKE 'complaint.%'").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	// Both may act while their rights hold.
	must(f.s.AddTopic(ctx, stale, "Jalan rusak", 0, 0, 0))
	must(f.s.AddCanned(ctx, officer, f.agencyA, "Terima kasih", "Laporan Anda kami terima."))

	fs := forum.NewStore(f.s.db, func() time.Time { return f.clk.Now() })
	must(0, fs.SetRole(ctx, f.admin.Viewer, u.ID, forum.RoleParticipant))
	must(0, f.s.SetOfficer(ctx, f.admin, officer.UserID(), f.agencyA, false))
	before := audits()
	unit := int64(1)
	forbidden := func(what string, err error) {
		t.Helper()
		if errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("%s after losing the right: %v, want forbidden", what, err)
		}
	}
	_, err := f.s.AddAgency(ctx, stale, "Dinas Sosial")
	forbidden("add agency", err)
	_, err = f.s.AddTopic(ctx, stale, "Banjir", 0, 0, 0)
	forbidden("add topic", err)
	_, err = f.s.AddArea(ctx, stale, "Tegalsari", "Keputran")
	forbidden("add area", err)
	forbidden("set officer", f.s.SetOfficer(ctx, stale, u.ID, f.agencyB, true))
	forbidden("add holiday", f.s.AddHoliday(ctx, stale, "2024-05-31", "Hari Jadi Kota"))
	forbidden("link IKM unit", f.s.SetAgencyIKMUnit(ctx, stale, f.agencyA, &unit))
	forbidden("auto-route threshold", f.s.SetAutoRouteThreshold(ctx, stale, 0.9))
	_, err = f.s.AddCanned(ctx, stale, 0, "Umum", "Teks")
	forbidden("canned response for all agencies", err)
	_, err = f.s.AddCanned(ctx, officer, f.agencyA, "Lagi", "Teks")
	forbidden("canned response by a removed officer", err)
	_, err = f.s.AddCanned(ctx, f.officerB, f.agencyA, "Lain", "Teks")
	forbidden("canned response for another agency", err)

	if got := audits(); got != before {
		t.Fatalf("refused writes left %d audit rows", got-before)
	}
	if n := len(must(f.s.Agencies(ctx))); n != 2 {
		t.Fatalf("%d agencies after refused writes, want 2", n)
	}
	if th, _ := f.s.AutoRouteThreshold(ctx); th != 0 {
		t.Fatalf("auto-route threshold %v written by a demoted admin", th)
	}
	// An admin still may.
	must(f.s.AddAgency(ctx, f.admin, "Dinas Sosial"))
	must(0, f.s.SetAutoRouteThreshold(ctx, f.admin, 0.9))
}
