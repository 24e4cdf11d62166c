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
//
// Writes that can take a right away (a consultation's status, a phase, a
// focus-group membership or member role, a site or consultation role, a
// block) run the access-change hook
// (OnAccessChange) after their commit, so that open websockets are checked
// again; no caller has to remember it.
type Store struct {
	db           *bun.DB
	now          func() time.Time
	accessChange func(ctx context.Context, consultationID int64)
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

// OnAccessChange sets fn as the hook run after the commit of every write
// that can take someone's right to read or moderate consultation
// consultationID away (UpdateConsultation, SchedulePhase, RemovePhase,
// SetMember, RemoveMember, the removals of SetConsultationRole, Moderate's
// block; SetRole, SetUserBlocked and Moderate's block_site run it for every
// consultation). fn runs on the writer's goroutine after the
// commit; it should only schedule re-checks (the change is already
// stored) and log its own failures. Set it once, before the Store is used.
func (s *Store) OnAccessChange(fn func(ctx context.Context, consultationID int64)) {
	s.accessChange = fn
}

// accessChanged runs the access-change hook for consultation id, if any.
func (s *Store) accessChanged(ctx context.Context, id int64) {
	if s.accessChange != nil {
		s.accessChange(ctx, id)
	}
}

// inTx runs fn in one transaction and hands it the write's time, read once
// from the clock so that the change and its audit row carry the same time.
// fn's ctx makes Can read its facts again inside the transaction (InTx).
// An error from fn rolls everything back and is returned as is.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, now time.Time) error) error {
	now := s.now().UTC()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(InTx(ctx, tx, now), tx, now)
	})
}
