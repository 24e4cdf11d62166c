package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

// TestIsUniqueViolation: a duplicate key is recognised on the database the
// tests run on (SQLite, or PostgreSQL with REMBUG_TEST_DATABASE_URL), and
// other errors are not.
func TestIsUniqueViolation(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE u (k VARCHAR(10) NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE UNIQUE INDEX u_k ON u (k)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO u (k) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	_, err := db.ExecContext(ctx, `INSERT INTO u (k) VALUES ('a')`)
	if !storage.IsUniqueViolation(err) {
		t.Errorf("duplicate key: %v not recognised", err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO u (k) VALUES (NULL)`)
	if err == nil || storage.IsUniqueViolation(err) {
		t.Errorf("NOT NULL violation taken for a unique one: %v", err)
	}
	if storage.IsUniqueViolation(nil) || storage.IsUniqueViolation(errors.New("boom")) {
		t.Error("nil or a plain error taken for a unique violation")
	}
}
