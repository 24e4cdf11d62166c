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
	return withFileLockAt(file, fn)
}

// withFileLockAt runs fn holding the exclusive flock of the SQLite file
// path's migration lock file. Open takes it for a file's first connection
// (which switches the file to WAL, a step SQLite may refuse as busy without
// waiting when several processes open a new file at once); migrations take
// it for their whole run.
func withFileLockAt(file string, fn func() error) error {
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

// jobLockClass is the first key of the advisory locks of periodic jobs
// ("jobs" in ASCII); the second is the hash of the schema and job name.
const jobLockClass = 0x6a6f6273

// RunOnce runs fn unless another node of the cluster is running the job
// named job at this moment, and reports whether it ran: on PostgreSQL fn
// runs while this node holds pg_try_advisory_lock for the job (taken
// without waiting, on one connection, released when fn returns or the
// connection dies); on SQLite, one node by design, fn always runs. Periodic
// jobs (deadline escalation, auto-close, erasure) call it every tick on
// every node, so the work is done once per tick and still goes on when
// any one node is down. fn's error is returned as is.
func RunOnce(ctx context.Context, db *bun.DB, job string, fn func(context.Context) error) (bool, error) {
	if !Postgres(db) {
		return true, fn(ctx)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("storage: job lock %s: %w", job, err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?, hashtext(current_schema() || ?))", jobLockClass, job).Scan(&got); err != nil {
		return false, fmt.Errorf("storage: job lock %s: %w", job, err)
	}
	if !got {
		return false, nil
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), //nolint:errcheck // closing the connection also releases it
		"SELECT pg_advisory_unlock(?, hashtext(current_schema() || ?))", jobLockClass, job)
	return true, fn(ctx)
}
