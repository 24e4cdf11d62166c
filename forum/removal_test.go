package forum_test

import (
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
)

// TestRemovalOutlivesAccount is the reported scenario: a member invited by
// a link is removed, deletes their account, signs in again with the same
// provider account (a new user id) and opens the invitation link they
// kept; the removal still holds. The same holds for the same verified
// email with another provider. The removals table keeps no email, subject
// or user id, only keyed hashes. An invitation sent to one address is
// used once. A moderator taking the person back lifts the removal.
func TestRemovalOutlivesAccount(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Kelompok"}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	link, err := w.store.Invite(w.ctx, admin, g, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	signUp := func(subject, email string) *forum.User {
		t.Helper()
		u := &forum.User{DisplayName: "Dewi", Email: email}
		if err := forum.CreateUserWithIdentityAt(w.ctx, w.db, u, "sso-pemda", subject, email, t0); err != nil {
			t.Fatal(err)
		}
		return u
	}
	dewi := signUp("sub-dewi", "dewi@contoh.test")
	if _, err := w.store.AcceptInvite(w.ctx, dewi, link); err != nil {
		t.Fatal(err)
	}
	if err := w.store.RemoveMember(w.ctx, admin, g, dewi.ID); err != nil {
		t.Fatal(err)
	}
	if err := forum.NewStore(w.db, func() time.Time { return t0 }).DeleteAccount(w.ctx, forum.Viewer{User: &forum.User{ID: dewi.ID}}, dewi.ID); err != nil {
		t.Fatal(err)
	}
	var leaked int
	if err := w.db.NewRaw(`SELECT COUNT(*) FROM focus_group_removals WHERE identity_hash LIKE ? OR identity_hash LIKE ? OR identity_hash = ?`,
		"%dewi%", "%sub-dewi%", "1").Scan(w.ctx, &leaked); err != nil || leaked != 0 {
		t.Fatalf("removals keep personal data: %d %v", leaked, err)
	}
	again := signUp("sub-dewi", "dewi@contoh.test")
	if again.ID == dewi.ID {
		t.Fatal("same user id after deletion")
	}
	if _, err := w.store.AcceptInvite(w.ctx, again, link); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("the removed person came back with the kept link: %v", err)
	}
	// The same verified email through another sign-in is the same person.
	other := &forum.User{DisplayName: "Dewi", Email: "dewi2@contoh.test"}
	if err := forum.CreateUserWithIdentityAt(w.ctx, w.db, other, "email", "dewi@contoh.test", "dewi@contoh.test", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AcceptInvite(w.ctx, other, link); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("same verified email, other sign-in: %v", err)
	}
	// Someone else still joins with the link.
	eka := signUp("sub-eka", "eka@contoh.test")
	if _, err := w.store.AcceptInvite(w.ctx, eka, link); err != nil {
		t.Fatalf("another person with the link: %v", err)
	}
	// A moderator may take the person back on purpose.
	if err := w.store.SetMember(w.ctx, admin, g, again.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	if err := w.store.RemoveMember(w.ctx, admin, g, eka.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetMember(w.ctx, admin, g, eka.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AcceptInvite(w.ctx, eka, link); err != nil {
		t.Fatalf("taken back by a moderator, the link works again: %v", err)
	}
}

// TestEmailInvitationUsedOnce: an invitation sent to one address admits
// its person once; after that the token is unknown, even to them after a
// removal and account deletion.
func TestEmailInvitationUsedOnce(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Kelompok"}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	inv, err := w.store.InviteEmails(w.ctx, admin, g, "fajar@contoh.test", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	u := &forum.User{DisplayName: "Fajar", Email: "fajar@contoh.test"}
	if err := forumtest.CreateUser(w.ctx, w.db, u, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AcceptInvite(w.ctx, u, inv[0].Token); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AcceptInvite(w.ctx, u, inv[0].Token); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("second use of an emailed invitation: %v", err)
	}
	if _, _, err := w.store.InviteGroup(w.ctx, inv[0].Token); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("a used invitation still names its group: %v", err)
	}
}
