package forum_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
)

// TestSignInStepsAudit runs each step before a session through the Store
// and checks its audit row: account made by the system, password set,
// sign-in link issued and used, identity linked and unlinked, and one row
// (not one per guess) when password sign-in starts to be delayed. A step
// that fails writes no row. SQLite and PostgreSQL.
func TestSignInStepsAudit(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	s := forum.NewStore(db, func() time.Time { return accountNow })
	admin := &forum.User{Email: "admin@pemda.test", DisplayName: "Admin", Role: forum.RoleAdmin}
	if err := s.CreateUser(ctx, forum.Viewer{}, admin); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, forum.Viewer{}, admin.ID, "kata sandi yang panjang", cheapArgon2); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateSignInLink(ctx, admin.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.UseSignInLink(ctx, tok); err != nil || u.ID != admin.ID {
		t.Fatalf("use link: %+v %v", u, err)
	}
	if _, err := s.UseSignInLink(ctx, tok); err == nil {
		t.Fatal("link used twice")
	}
	if err := s.LinkIdentity(ctx, admin, "sso", "sub-1", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkIdentity(ctx, admin, "sso", "sub-1", ""); err != nil { // already linked: no second row
		t.Fatal(err)
	}
	if err := s.UnlinkIdentity(ctx, admin, "sso"); err != nil {
		t.Fatal(err)
	}
	for range forum.PasswordFreeFailures + 3 {
		if _, err := s.ThrottlePassword(ctx, admin.Email, "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
	}
	for range forum.PasswordFreeFailures + 3 { // an address without an account: nobody to record
		if _, err := s.ThrottlePassword(ctx, "tidak.ada@contoh.test", "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
	}
	v, err := forum.LoadViewer(ctx, db, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	log, err := forum.AuditLog(ctx, db, v, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(log) - 1; i >= 0; i-- {
		e := log[i]
		if e.TargetKind != "user" || e.TargetID != admin.ID {
			t.Errorf("entry %+v not on the account", e)
		}
		got = append(got, e.Action+":"+e.Reason)
	}
	want := []string{"user_create:cli", "password_set:", "signin_link_issue:1h0m0s", "signin_link_use:",
		"identity_link:sso", "identity_unlink:sso", "signin_throttle:1s"}
	if len(got) != len(want) {
		t.Fatalf("audit rows %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit rows %q, want %q", got, want)
		}
	}
	if log[len(log)-1].ActorUserID != 0 || log[len(log)-4].ActorUserID != admin.ID {
		t.Errorf("actors: system creates, the user uses the link: %+v", log)
	}
}
