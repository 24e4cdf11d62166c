package evaluation_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/uptrace/bun"
)

// TestOwnerMigrationKeepsTextOwners: recommendations written when owners
// were free text are linked to the agency they name (case and spaces
// aside) and the others keep their text, readable as written. SQLite and
// PostgreSQL.
func TestOwnerMigrationKeepsTextOwners(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, complaint.Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	if err := storage.Migrate(ctx, db, "evaluation", evaluation.Migrations[:1]); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO complaint_agencies (name, created_at) VALUES ('Dinas Kominfo', ?)`, now)
	exec(`INSERT INTO evaluation_cycles (name, from_at, to_at, plan, targets, status, created_by, created_at)
		VALUES ('S I', ?, ?, '', '{}', 'open', 1, ?)`, now.AddDate(0, -6, 0), now, now)
	for _, owner := range []string{" dinas KOMINFO ", "Bappeda dan Sekretariat"} {
		exec(`INSERT INTO evaluation_recommendations (cycle_id, body, owner, due, status, reason, created_by, created_at, updated_at)
			VALUES (1, 'x', ?, '2026-12-31', 'planned', '', 1, ?, ?)`, owner, now, now)
	}
	if err := evaluation.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	recs, err := evaluation.Recommendations(ctx, db, 1)
	if err != nil || len(recs) != 2 {
		t.Fatalf("%v %v", recs, err)
	}
	if recs[0].OwnerAgencyID == nil || recs[0].Owner != "Dinas Kominfo" {
		t.Errorf("owner naming an agency: linked %v, shown %q, want linked, shown as the agency's name", recs[0].OwnerAgencyID, recs[0].Owner)
	}
	if recs[1].OwnerAgencyID != nil || recs[1].Owner != "Bappeda dan Sekretariat" {
		t.Errorf("owner naming no agency: linked %v, shown %q, want unlinked, shown as written", recs[1].OwnerAgencyID, recs[1].Owner)
	}
}
