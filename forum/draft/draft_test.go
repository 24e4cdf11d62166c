package draft

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

func TestDraftKeptUntilExpiry(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	tok, err := Save(ctx, db, &Draft{Target: "/p/1-taman/comments", Back: "/p/1-taman", Fields: map[string]string{"body": "Setuju 🌳"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(ctx, db, tok, now.Add(TTL-time.Second))
	if err != nil || d.Fields["body"] != "Setuju 🌳" || d.Target != "/p/1-taman/comments" || d.Back != "/p/1-taman" {
		t.Fatalf("load: %+v %v", d, err)
	}
	if _, err := Load(ctx, db, tok, now.Add(TTL)); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("expired draft: %v", err)
	}
	if _, err := Load(ctx, db, "tebakan", now); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown token: %v", err)
	}
}
