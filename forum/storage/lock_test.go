package storage_test

import (
	"context"
	"testing"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

// TestRunOnce: while one node runs a job, another node's RunOnce of the same
// job skips it (PostgreSQL), a different job still runs, and once the first
// is done the job runs again. On SQLite (one node) every call runs.
func TestRunOnce(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	pg := storage.Postgres(db)
	inner := func(job string) bool {
		ran, err := storage.RunOnce(ctx, db, job, func(context.Context) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		return ran
	}
	var innerSame, innerOther bool
	ran, err := storage.RunOnce(ctx, db, "escalate", func(context.Context) error {
		innerSame, innerOther = inner("escalate"), inner("erase")
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("first RunOnce: ran %v, err %v", ran, err)
	}
	if innerSame == pg {
		t.Errorf("the same job while it runs: ran %v, want %v", innerSame, !pg)
	}
	if !innerOther {
		t.Error("another job did not run")
	}
	if !inner("escalate") {
		t.Error("the job did not run again once the first run ended")
	}
}
