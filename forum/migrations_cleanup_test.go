package forum_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
)

// TestRemovalBackfill: a member removed before removals were kept per
// identity (only focus_group_members.removed_at under the old user id) is
// keyed by their verified identities when the database migrates, so
// after deleting the account and signing in again with the same provider
// account they are still refused; someone never removed still joins. The
// migration also drops the stored report counters.
func TestRemovalBackfill(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := search.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// The schema before the backfill, plus the later steps that only add
	// columns today's models write (consultations.content_lang), so that
	// the set-up below can use them.
	var before []storage.Migration
	for _, m := range forum.Migrations {
		if m.Name < "20261203073000" || m.Name == "20261204110000" {
			before = append(before, m)
		}
	}
	if err := storage.Migrate(ctx, db, "forum", before); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, ctx: ctx, now: t0, store: forum.NewStore(db, func() time.Time { return t0 })}
	w.c = &forum.Consultation{Title: "Taman kota", Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, w.c, t0); err != nil {
		t.Fatal(err)
	}
	admin := w.user(t, "admin", forum.RoleAdmin)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Kelompok"}
	if err := w.store.CreateFocusGroup(ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	link, err := w.store.Invite(ctx, admin, g, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	signUp := func(subject, email string) *forum.User {
		t.Helper()
		u := &forum.User{DisplayName: "Dewi", Email: email}
		if err := forum.CreateUserWithIdentityAt(ctx, db, u, "sso-pemda", subject, email, t0); err != nil {
			t.Fatal(err)
		}
		return u
	}
	dewi := signUp("sub-dewi", "dewi@contoh.test")
	if _, err := w.store.AcceptInvite(ctx, dewi, link); err != nil {
		t.Fatal(err)
	}
	// The removal as the earlier version recorded it: the member row only.
	if _, err := db.NewRaw(`UPDATE focus_group_members SET removed_at = ? WHERE focus_group_id = ? AND user_id = ?`, t0, g.ID, dewi.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := w.store.DeleteAccount(ctx, forum.Viewer{User: &forum.User{ID: dewi.ID}}, dewi.ID); err != nil {
		t.Fatal(err)
	}
	again := signUp("sub-dewi", "dewi@contoh.test")
	if _, err := w.store.AcceptInvite(ctx, again, link); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("a member removed before the migration came back with a new account: %v", err)
	}
	eka := signUp("sub-eka", "eka@contoh.test")
	if _, err := w.store.AcceptInvite(ctx, eka, link); err != nil {
		t.Fatalf("someone never removed: %v", err)
	}
	for _, table := range []string{"proposals", "comments"} {
		if _, err := db.NewRaw("SELECT flags FROM " + table).Exec(ctx); err == nil {
			t.Errorf("%s still has the flags counter", table)
		}
	}
}
