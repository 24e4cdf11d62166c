package forum

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Store is forum's write side. Every exported write is a Store method that
// runs in one database transaction together with the rows that go with the
// change: its audit log entry, its search outbox rows and its notification
// rows. Either all of them are committed or none is. The statements behind
// a write are unexported functions that take the transaction, so a write
// cannot be run outside one.
//
// A Store is safe for concurrent use; the database serializes conflicting
// writes (SQLite takes the write lock at BEGIN, PostgreSQL relies on row
// locks and unique indexes).
type Store struct {
	db  *bun.DB
	now func() time.Time
}

// NewStore returns a Store over db, which must be migrated (Migrate). now
// is the clock that stamps every write (created, edited, answered, audit
// times); nil means time.Now. Times are stored in UTC.
func NewStore(db *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// inTx runs fn in one transaction and hands it the write's time, read once
// from the clock so that the change and its audit row carry the same time.
// An error from fn rolls everything back and is returned as is.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, now time.Time) error) error {
	now := s.now().UTC()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, tx, now)
	})
}
