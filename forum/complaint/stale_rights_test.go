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
