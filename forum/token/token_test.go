package token

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
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
		if err := forum.CreateUser(ctx, db, u, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Create(ctx, db, "warga@example.id", "skrip", now); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("citizen token: %v", err)
	}
	if _, err := Create(ctx, db, "nobody@example.id", "skrip", now); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown user: %v", err)
	}
	tok, err := Create(ctx, db, "Analis@example.id", "dasbor", now)
	if err != nil || !strings.HasPrefix(tok, Prefix) {
		t.Fatalf("create: %q %v", tok, err)
	}
	var stored string
	if err := db.NewSelect().Table("api_tokens").Column("token_hash").Scan(ctx, &stored); err != nil || strings.Contains(stored, tok[len(Prefix):]) {
		t.Fatalf("stored %q: the token must be stored hashed", stored)
	}
	u, err := User(ctx, db, tok, now)
	if err != nil || u.ID != staff.ID {
		t.Fatalf("lookup: %v %v", u, err)
	}
	for _, bad := range []string{"", tok + "x", "rbt_", strings.ToUpper(tok)} {
		if _, err := User(ctx, db, bad, now); errs.KindOf(err) != errs.NotFound {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	var id int64
	db.NewSelect().Table("api_tokens").Column("id").Scan(ctx, &id)
	if err := Revoke(ctx, db, staff.ID, id, now); err != nil {
		t.Fatal(err)
	}
	if _, err := User(ctx, db, tok, now); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("revoked token still works: %v", err)
	}
}
