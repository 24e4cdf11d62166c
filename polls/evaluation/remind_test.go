package evaluation_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/evaluation"
)

// TestRemindOwners: with the Store's clock moved on, an owner agency's
// officers get one reminder RemindDays before the due date and one once
// it is overdue, never twice, also a citizen officer while the cycle is
// unpublished (owning officers read their recommendation); a deleted
// officer gets none; done recommendations remind nobody; a new due date
// reminds again. Each reminder is a notification: in the officer's list
// and unread count with the recommendation's page, gone from both once
// they are no longer an officer of the agency (judged when shown).
// SQLite and PostgreSQL.
func TestRemindOwners(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	loc := tz.Default().Loc
	officer := func(name, role string) *forum.User {
		t.Helper()
		u := &forum.User{DisplayName: name, Email: name + "@contoh.test", Role: role}
		if err := forumtest.CreateUser(ctx, w.db, u, w.now); err != nil {
			t.Fatal(err)
		}
		w.exec(`INSERT INTO agency_officers (agency_id, user_id) VALUES (?, ?)`, w.agency, u.ID)
		return u
	}
	staff := officer("analis2", forum.RoleAnalyst).ID
	citizen := officer("warga", forum.RoleParticipant) // reads no unpublished cycle, but their agency's recommendation
	gone := officer("pergi", forum.RoleParticipant)
	w.exec(`UPDATE users SET deleted_at = ? WHERE id = ?`, w.now, gone.ID)
	from, to := semester(2026, 2)
	c := &evaluation.Cycle{Name: "Semester II 2026", From: from, To: to}
	if err := w.store.Open(ctx, w.admin, c, nil); err != nil {
		t.Fatal(err)
	}
	rec := &evaluation.Recommendation{CycleID: c.ID, Body: "Tambah petugas", OwnerAgencyID: &w.agency, Due: "2027-02-15"}
	done := &evaluation.Recommendation{CycleID: c.ID, Body: "Selesai", OwnerAgencyID: &w.agency, Due: "2027-02-15"}
	for _, r := range []*evaluation.Recommendation{rec, done} {
		if err := w.store.AddRecommendation(ctx, w.admin, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.store.Progress(ctx, w.admin, done.ID, evaluation.RecDone, ""); err != nil {
		t.Fatal(err)
	}
	remind := func(at time.Time, want int) {
		t.Helper()
		w.now = at
		for i, wantNow := range []int{want, 0} { // a second run at once makes none
			if ds, err := w.store.Remind(ctx, loc); err != nil || len(ds) != wantNow {
				n := len(ds)
				t.Fatalf("at %s run %d: %d reminders (%v), want %d", at.In(loc).Format(time.DateTime), i+1, n, err, wantNow)
			}
		}
	}
	wib := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, loc) }
	remind(wib(2027, 2, 7, 23), 0) // eight days before
	remind(wib(2027, 2, 8, 1), 2)  // seven days before, in WIB
	remind(wib(2027, 2, 15, 23), 0)
	remind(wib(2027, 2, 16, 0), 2) // overdue
	remind(wib(2027, 3, 1, 0), 0)
	var rows []struct {
		UserID int64  `bun:"user_id"`
		Kind   string `bun:"kind"`
	}
	w.db.NewRaw(`SELECT user_id, kind FROM evaluation_reminders ORDER BY id`).Scan(ctx, &rows)
	if len(rows) != 4 || rows[0].UserID != staff || rows[1].UserID != citizen.ID || rows[0].Kind != evaluation.RemindDueSoon || rows[3].Kind != evaluation.RemindOverdue {
		t.Errorf("reminders = %+v, want due_soon then overdue, to the analyst and the citizen officer", rows)
	}
	seen := func(want int, newest string) {
		t.Helper()
		v, err := forum.LoadViewer(ctx, w.db, citizen, 0)
		if err != nil {
			t.Fatal(err)
		}
		ns, err := forum.Notifications(ctx, w.db, v, 100)
		if err != nil {
			t.Fatal(err)
		}
		unread, err := forum.UnreadCount(ctx, w.db, forum.Viewer{User: citizen})
		if err != nil {
			t.Fatal(err)
		}
		url := evaluation.RecommendationURL(c.ID, rec.ID)
		if len(ns) != want || unread != want || (want > 0 && (ns[0].SubjectURL != url || ns[0].SubjectTitle != rec.Body || ns[0].Kind != newest)) {
			t.Fatalf("citizen officer's notifications = %+v, unread %d; want %d, newest %s linking %s", ns, unread, want, newest, url)
		}
	}
	seen(2, evaluation.NotifyOverdue)
	if err := w.store.EditRecommendation(ctx, w.admin, c.ID, rec.ID, rec.Body, 0, "2027-03-05"); err != nil {
		t.Fatal(err)
	}
	remind(wib(2027, 3, 1, 0), 2) // the new due date reminds again
	seen(3, evaluation.NotifyDueSoon)
	w.exec(`DELETE FROM agency_officers WHERE user_id = ?`, citizen.ID)
	seen(0, "") // no longer an officer: the unpublished cycle's recommendation is not theirs to read
}
