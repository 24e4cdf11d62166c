package storage

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// migrationLockClass is the first key of the PostgreSQL advisory lock that
// serializes migrations ("remb" in ASCII); the second is the hash of the
// current schema, so that databases and schemas never wait on each other.
const migrationLockClass = 0x72656d62

// WithMigrationLock runs fn while holding the cluster-wide migration lock:
// on PostgreSQL a session advisory lock (pg_advisory_lock, PostgreSQL
// documentation section 9.27.10) taken on one connection of db and released
// when fn returns or that connection dies, so that several nodes starting at
// once on an empty database apply each step once while the others wait; on
// SQLite, whose writers already queue on the file's write lock, fn runs
// directly. Waiting ends with ctx's error. fn's error is returned as is.
func WithMigrationLock(ctx context.Context, db *bun.DB, fn func() error) error {
	if !Postgres(db) {
		return fn()
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: migration lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?, hashtext(current_schema()))", migrationLockClass); err != nil {
		return fmt.Errorf("storage: migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), //nolint:errcheck // closing the connection also releases it
		"SELECT pg_advisory_unlock(?, hashtext(current_schema()))", migrationLockClass)
	return fn()
}
