package forum_test

import (
	"slices"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestLoadViewersMatchesLoadViewer: the batch load gives each user the
// rights LoadViewer gives them one by one (moderated and analysed
// consultations, focus groups, agencies), leaves out deleted and unknown
// users, and answers an empty list without a query.
func TestLoadViewersMatchesLoadViewer(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	officer := w.user(t, "petugas", forum.RoleParticipant)
	mod := w.user(t, "moderator", forum.RoleParticipant)
	gone := w.user(t, "pergi", forum.RoleParticipant)
	for _, q := range []string{
		"INSERT INTO agency_officers (user_id, agency_id) VALUES (?, 7), (?, 3)",
	} {
		if _, err := w.db.ExecContext(w.ctx, q, officer.User.ID, officer.User.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.db.ExecContext(w.ctx, "INSERT INTO consultation_moderators (consultation_id, user_id) VALUES (?, ?)", w.c.ID, mod.User.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ExecContext(w.ctx, "UPDATE users SET deleted_at = ? WHERE id = ?", t0, gone.User.ID); err != nil {
		t.Fatal(err)
	}
	got, err := forum.LoadViewers(w.ctx, w.db, []int64{admin.User.ID, officer.User.ID, mod.User.ID, gone.User.ID, 999999})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d viewers, want 3 (no deleted or unknown user)", len(got))
	}
	for _, u := range []*forum.User{admin.User, officer.User, mod.User} {
		one, err := forum.LoadViewer(w.ctx, w.db, u, 0)
		if err != nil {
			t.Fatal(err)
		}
		b := got[u.ID]
		if b.User == nil || b.User.ID != u.ID || b.User.Role != u.Role || !slices.Equal(b.Agencies(), one.Agencies()) ||
			!slices.Equal(b.ModeratedConsultations(), one.ModeratedConsultations()) ||
			!slices.Equal(b.AnalyzedConsultations(), one.AnalyzedConsultations()) || !slices.Equal(b.MemberGroups(), one.MemberGroups()) ||
			b.ModeratesAll() != one.ModeratesAll() || b.Moderates(w.c.ID) != one.Moderates(w.c.ID) {
			t.Errorf("%s: batch %+v, one by one %+v", u.DisplayName, b, one)
		}
	}
	if !slices.Equal(got[officer.User.ID].Agencies(), []int64{3, 7}) || !got[mod.User.ID].Moderates(w.c.ID) {
		t.Errorf("rights lost: agencies %v, moderates %v", got[officer.User.ID].Agencies(), got[mod.User.ID].Moderates(w.c.ID))
	}
	if none, err := forum.LoadViewers(w.ctx, w.db, nil); err != nil || len(none) != 0 {
		t.Errorf("empty list: %v, %v", none, err)
	}
}
