package storage

import (
	"context"
	"fmt"
	"os"
	"syscall"

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
// once on an empty database apply each step once while the others wait
// (waiting ends with ctx's error); on SQLite an exclusive flock(2) on
// <database file>.migrate-lock beside the database, so that `rembug
// migrate` and `rembug serve` started together do the same (an in-memory
// database runs fn directly). fn's error is returned as is.
func WithMigrationLock(ctx context.Context, db *bun.DB, fn func() error) error {
	if !Postgres(db) {
		return withFileLock(ctx, db, fn)
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

// withFileLock runs fn holding an exclusive flock on the SQLite file's
// migration lock file; the lock ends with fn or with the process.
func withFileLock(ctx context.Context, db *bun.DB, fn func() error) error {
	var file string
	if err := db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
		return fmt.Errorf("storage: migration lock: %w", err)
	}
	if file == "" {
		return fn()
	}
	f, err := os.OpenFile(file+".migrate-lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("storage: migration lock: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("storage: migration lock: %w", err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing the file also releases it
	return fn()
}
