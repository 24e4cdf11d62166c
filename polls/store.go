package polls

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// Store is polls' write side. Every exported write is a Store method that
// runs in one database transaction: a survey's or IKM unit's change with
// its audit log entry (forum.Audit), a statement vote with its counters and
// voter row, a survey response with its respondent row. Either all of it
// is committed or none. Votes and survey responses are not audited: they
// are the hot path, and an audit row naming the participant would link an
// anonymous answer to its author.
//
// A Store is safe for concurrent use; the database serializes conflicting
// writes (unique keys, and row locks on PostgreSQL).
type Store struct {
	db    *bun.DB
	now   func() time.Time
	batch int          // responses of an anonymous survey written together (Options.Batch)
	log   *slog.Logger // faults that do not fail the write, e.g. a batch left pooled
	// attempts keeps the rate-limit counters (forum.Store.CountAttempt).
	attempts *forum.Store
}

// Options tune a Store. The zero value is the default.
type Options struct {
	// Batch is the number of anonymous responses written together
	// (response_pool.go): the site's k of the disclosure rules, so that
	// two reads of the results never differ by fewer than k responses.
	// Values under AnonymousBatch mean AnonymousBatch.
	Batch int
	// Log receives the faults a write survives; nil means slog.Default().
	Log *slog.Logger
}

// NewStore returns a Store over db, which must be migrated (Migrate), with
// the default Options. now is the clock that stamps every write; nil means
// time.Now. Times are stored in UTC.
func NewStore(db *bun.DB, now func() time.Time) *Store {
	return NewStoreWith(db, now, Options{})
}

// NewStoreWith is NewStore with options o.
func NewStoreWith(db *bun.DB, now func() time.Time, o Options) *Store {
	if now == nil {
		now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return &Store{db: db, now: now, batch: max(o.Batch, AnonymousBatch), log: o.Log, attempts: forum.NewStore(db, now)}
}

// inTx runs fn in one transaction and hands it the write's time, read once
// from the clock. forum.Can called with fn's ctx reads its facts again
// inside the transaction (forum.InTx). An error from fn rolls everything
// back and is returned as is.
func (st *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, now time.Time) error) error {
	now := st.now().UTC()
	return st.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(forum.InTx(ctx, tx, now), tx, now)
	})
}

// auditSurvey writes v's action on survey sv in tx.
func auditSurvey(ctx context.Context, tx bun.Tx, v forum.Viewer, action string, sv *Survey, reason string, now time.Time) error {
	return forum.Audit(ctx, tx, v, action, "survey", sv.ID, sv.ConsultationID, reason, now)
}
