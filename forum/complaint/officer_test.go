package complaint

import (
	"context"
	"slices"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
)

// kinds returns the kinds of actor a's complaint notifications, newest first.
func (f *fixture) kinds(tb testing.TB, a Actor) []string {
	tb.Helper()
	var out []string
	for _, n := range must(f.s.StaffNotifications(context.Background(), a, 100)) {
		out = append(out, n.Number+" "+n.Kind)
	}
	return out
}

// An officer forwards a complaint to another agency: one transaction with
// its audit row; the new agency's officers are notified, the old agency's
// officer loses it, an assignee who lost it is unassigned, and an officer of
// a third agency can do nothing with it.
func TestForwardAndAssign(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.submit(t, Intake{}).Complaint
	if got := f.kinds(t, f.admin); !slices.Equal(got, []string{c.Number + " new"}) {
		t.Fatalf("desk notifications on intake: %v", got)
	}
	if got := f.kinds(t, f.analyst); len(got) != 0 {
		t.Fatalf("an analyst is not the desk: %v", got)
	}
	if got := f.kinds(t, f.officerA); len(got) != 0 {
		t.Fatalf("an officer before routing: %v", got)
	}
	c = must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyA}, ""))
	if got := f.kinds(t, f.officerA); !slices.Equal(got, []string{c.Number + " routed"}) {
		t.Fatalf("officer A after routing: %v", got)
	}
	if got := f.kinds(t, f.officerB); len(got) != 0 {
		t.Fatalf("officer B sees A's complaint notification: %v", got)
	}

	// A second officer of agency A, assigned by the first.
	u := &forum.User{Email: "petugas2.dlh@example.id", DisplayName: "Petugas Dua", Role: forum.RoleParticipant}
	must(0, forumtest.CreateUser(ctx, f.s.db, u, f.clk.Now()))
	must(0, f.s.SetOfficer(ctx, f.admin, u.ID, f.agencyA, true))
	a2 := f.s.Actor(must(forum.LoadViewer(ctx, f.s.db, u, 0)), "")
	people := must(f.s.Assignees(ctx, f.officerA, c))
	if len(people) != 2 {
		t.Fatalf("assignees: %+v", people)
	}
	if _, err := f.s.Assign(ctx, f.officerA, c.ID, f.officerB.UserID()); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("assigning an officer of another agency: %v", err)
	}
	c = must(f.s.Assign(ctx, f.officerA, c.ID, u.ID))
	if got := f.kinds(t, a2); !slices.Equal(got, []string{c.Number + " assigned"}) {
		t.Fatalf("assignee: %v", got)
	}

	if _, err := f.s.Forward(ctx, f.officerB, c.ID, f.agencyA, f.agencyB, ""); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("officer B forwarding A's complaint: %v", err)
	}
	if _, err := f.s.Forward(ctx, f.officerA, c.ID, f.agencyB, f.agencyA, ""); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("forwarding from an agency not one's own: %v", err)
	}
	if _, err := f.s.Forward(ctx, f.officerA, c.ID, f.agencyA, f.agencyA, ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("forwarding to the same agency: %v", err)
	}
	if _, err := f.s.Forward(ctx, f.officerA, c.ID, f.agencyA, 9999, ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("forwarding to an unknown agency: %v", err)
	}
	c = must(f.s.Forward(ctx, f.officerA, c.ID, f.agencyA, f.agencyB, "Ini wewenang Dinas Perhubungan."))
	if !slices.Equal(c.Agencies, []int64{f.agencyB}) || c.AssigneeUserID != nil {
		t.Fatalf("after forward: agencies %v, assignee %v", c.Agencies, c.AssigneeUserID)
	}
	if got := f.kinds(t, f.officerB); !slices.Equal(got, []string{c.Number + " routed"}) {
		t.Fatalf("officer B after forward: %v", got)
	}
	// Officer A and the former assignee no longer see it, nor its notifications.
	for _, a := range []Actor{f.officerA, a2} {
		if f.s.Access(a, c).Read {
			t.Fatal("the old agency still reads the forwarded complaint")
		}
		if got := f.kinds(t, a); len(got) != 0 {
			t.Fatalf("old agency notifications still shown: %v", got)
		}
		if n := must(f.s.UnreadStaffNotifications(ctx, a.UserID())); n != 0 {
			t.Fatalf("old agency unread count %d", n)
		}
	}
	if n := must(f.s.UnreadStaffNotifications(ctx, f.officerB.UserID())); n != 1 {
		t.Fatalf("officer B unread %d", n)
	}
	must(0, f.s.MarkStaffNotificationsRead(ctx, f.officerB))
	if n := must(f.s.UnreadStaffNotifications(ctx, f.officerB.UserID())); n != 0 {
		t.Fatalf("officer B unread after reading %d", n)
	}
	var audit forum.AuditEntry
	must(0, f.s.db.NewSelect().Model(&audit).Where("action = 'complaint.forward' AND target_id = ?", c.ID).Scan(ctx))
	if audit.ActorUserID != f.officerA.UserID() {
		t.Fatalf("forward audit: %+v", audit)
	}
	tl := must(f.s.Timeline(ctx, c))
	if last := tl[len(tl)-1]; last.Kind != "forwarded" || !last.Internal || last.AgencyID != f.agencyB {
		t.Fatalf("forward event: %+v", last)
	}
}

// The overdue filter and the service-level view read the deadline job's
// flags for the stage a complaint is in now, over every page.
func TestOverdueFilterAndSLAView(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.clk.Set("2024-04-05 15:30")
	late := f.submit(t, Intake{}).Complaint
	must(f.s.Route(ctx, f.admin, late.ID, []int64{f.agencyA}, ""))
	f.clk.Set("2024-04-29 09:00") // response target (5 working days) long past
	fresh := f.submit(t, Intake{}).Complaint
	must(f.s.Route(ctx, f.admin, fresh.ID, []int64{f.agencyA}, ""))
	other := f.submit(t, Intake{}).Complaint
	must(f.s.Route(ctx, f.admin, other.ID, []int64{f.agencyB}, ""))
	must(f.s.CheckDeadlines(ctx))
	numbers := func(a Actor, fl Filter) []string {
		var out []string
		for _, p := range must(f.s.List(ctx, a, fl)).Items {
			out = append(out, p.Number)
		}
		return out
	}
	if got := numbers(f.officerA, Filter{Overdue: true, Limit: 1}); !slices.Equal(got, []string{late.Number}) {
		t.Fatalf("overdue, officer A: %v", got)
	}
	if got := numbers(f.officerB, Filter{Overdue: true}); len(got) != 0 {
		t.Fatalf("overdue, officer B: %v", got)
	}
	if got := must(f.s.StaffNotifications(ctx, f.officerA, 10)); len(got) == 0 || got[0].Kind != NotifyOverdue || got[0].Number != late.Number {
		t.Fatalf("overdue notification: %+v", got)
	}
	view := must(f.s.SLAView(ctx, f.officerA))
	if len(view) != 1 || view[0].AgencyID != f.agencyA || view[0].Open != 2 || view[0].Overdue != 1 {
		t.Fatalf("officer A's view: %+v", view)
	}
	if view := must(f.s.SLAView(ctx, f.admin)); len(view) != 2 || view[0].AgencyID != f.agencyA {
		t.Fatalf("desk view: %+v", view)
	}
	// Answered: no longer overdue.
	must(f.s.Answer(ctx, f.officerA, late.ID, "Sudah diperbaiki."))
	if got := numbers(f.admin, Filter{Overdue: true}); len(got) != 0 {
		t.Fatalf("overdue after the answer: %v", got)
	}
}

// Officers search the complaints they may see: a complaint of another
// agency never appears, and an analyst (who reads text masked) does not
// find a complaint by the phone number masked out of it.
func TestOfficerSearch(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.submit(t, Intake{Body: "Saluran air tersumbat di Jalan Kenjeran, hubungi 081234567890."}).Complaint
	b := f.submit(t, Intake{Body: "Saluran got meluap di Jalan Kenjeran depan sekolah."}).Complaint
	must(f.s.Route(ctx, f.admin, a.ID, []int64{f.agencyA}, ""))
	must(f.s.Route(ctx, f.admin, b.ID, []int64{f.agencyB}, ""))
	find := func(ac Actor, q string) []string {
		var out []string
		for _, p := range must(f.s.List(ctx, ac, Filter{Query: q})).Items {
			out = append(out, p.Number)
		}
		return out
	}
	if got := find(f.officerA, "kenjeran SALURAN"); !slices.Equal(got, []string{a.Number}) {
		t.Fatalf("officer A: %v", got)
	}
	if got := find(f.officerB, "tersumbat"); len(got) != 0 {
		t.Fatalf("officer B finds A's complaint: %v", got)
	}
	if got := find(f.admin, "kenjeran"); len(got) != 2 {
		t.Fatalf("desk: %v", got)
	}
	if got := find(f.officerA, "081234567890"); !slices.Equal(got, []string{a.Number}) {
		t.Fatalf("officer A by phone: %v", got)
	}
	if got := find(f.analyst, "081234567890"); len(got) != 0 {
		t.Fatalf("analyst finds by a masked phone number: %v", got)
	}
	if got := find(f.officerA, "100%_"); len(got) != 0 {
		t.Fatalf("wildcards must match literally: %v", got)
	}
}
