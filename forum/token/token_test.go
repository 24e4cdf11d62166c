package token

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

func TestCreateAndUse(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := complaint.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	staff := &forum.User{Email: "analis@example.id", DisplayName: "Analis", Role: forum.RoleAnalyst}
	citizen := &forum.User{Email: "warga@example.id", DisplayName: "Warga"}
	for _, u := range []*forum.User{staff, citizen} {
		if err := forumtest.CreateUser(ctx, db, u, now); err != nil {
			t.Fatal(err)
		}
	}
	st := NewStore(db, func() time.Time { return now })
	if _, err := st.Create(ctx, "warga@example.id", "skrip"); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("citizen token: %v", err)
	}
	if _, err := st.Create(ctx, "nobody@example.id", "skrip"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown user: %v", err)
	}
	tok, err := st.Create(ctx, "Analis@example.id", "dasbor")
	if err != nil || !strings.HasPrefix(tok, Prefix) {
		t.Fatalf("create: %q %v", tok, err)
	}
	var stored string
	if err := db.NewSelect().Table("api_tokens").Column("token_hash").Scan(ctx, &stored); err != nil || strings.Contains(stored, tok[len(Prefix):]) {
		t.Fatalf("stored %q: the token must be stored hashed", stored)
	}
	u, err := st.User(ctx, tok)
	if err != nil || u.ID != staff.ID {
		t.Fatalf("lookup: %v %v", u, err)
	}
	for _, bad := range []string{"", tok + "x", "rbt_", strings.ToUpper(tok)} {
		if _, err := st.User(ctx, bad); errs.KindOf(err) != errs.NotFound {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	var id int64
	db.NewSelect().Table("api_tokens").Column("id").Scan(ctx, &id)
	if err := st.Revoke(ctx, citizen.ID, id); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("another user revokes: %v", err)
	}
	if err := st.Revoke(ctx, staff.ID, id); err != nil {
		t.Fatal(err)
	}
	if err := st.Revoke(ctx, staff.ID, id); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("revoked twice: %v", err)
	}
	var audit []forum.AuditEntry
	if err := db.NewSelect().Model(&audit).Order("id").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || audit[0].Action != "api_token_create" || audit[0].TargetID != id || audit[0].ActorUserID != staff.ID ||
		audit[1].Action != "api_token_revoke" || audit[1].TargetID != id || audit[1].ActorUserID != staff.ID || audit[1].Reason != "dasbor" {
		t.Fatalf("audit rows %+v", audit)
	}
	if _, err := st.User(ctx, tok); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("revoked token still works: %v", err)
	}
}
