package complaint

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint/routing"
	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/tz"
	"github.com/uptrace/bun"
)

// Config holds an installation's complaint settings. Zero fields take the
// defaults documented on each.
type Config struct {
	// Location is the pemda's time zone (default Asia/Jakarta, WIB): local
	// dates, working days and tracking-number years are read in it.
	Location *time.Location
	// AutoCloseDays closes an answered complaint the citizen has not
	// confirmed after this many days (default 14).
	AutoCloseDays int
	// MaxReopens bounds how often a citizen may reopen (default 2).
	MaxReopens int
	// RetentionDays erases the reporter's personal data this many days after
	// closing (default 365).
	RetentionDays int
	// PublicList publishes public, non-confidential complaints (masked) to
	// everyone: the public list, map and statistics. Off by default; the
	// pemda opts in.
	PublicList bool
	// Notice composes the citizen's messages for the message outbox
	// (forum/messaging); nil sends none (notice.go).
	Notice Notice
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Store owns the complaint tables. Every exported write runs in one
// transaction together with its audit row (forum's audit_log), for the
// changes the citizen hears about the citizen's message (forum/messaging's
// outbox, notice.go), and the staff's in-app notifications (staffnotify.go),
// so a change is never recorded without its trace nor announced without
// being committed. A Store is safe for concurrent use.
type Store struct {
	db  *bun.DB
	cfg Config

	calMu sync.RWMutex
	cal   *workday.Calendar

	router *routing.Model
}

// NewStore returns a Store over db (migrated with Migrate) and loads the
// local holidays. It fails when the database cannot be read.
func NewStore(ctx context.Context, db *bun.DB, cfg Config) (*Store, error) {
	if cfg.Location == nil {
		cfg.Location = tz.Default().Loc
	}
	if cfg.AutoCloseDays == 0 {
		cfg.AutoCloseDays = 14
	}
	if cfg.MaxReopens == 0 {
		cfg.MaxReopens = 2
	}
	if cfg.RetentionDays == 0 {
		cfg.RetentionDays = 365
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Store{db: db, cfg: cfg}
	if err := s.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	if err := s.trainRouter(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// DB returns the store's database for read-only helpers in the same
// package tree (tests, imports).
func (s *Store) DB() *bun.DB { return s.db }

// Published reports whether the pemda publishes public, non-confidential
// complaints (Config.PublicList).
func (s *Store) Published() bool { return s.cfg.PublicList }

// Location is the store's time zone.
func (s *Store) Location() *time.Location { return s.cfg.Location }

func (s *Store) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// Calendar returns the working-day calendar in use.
func (s *Store) Calendar() *workday.Calendar {
	s.calMu.RLock()
	defer s.calMu.RUnlock()
	return s.cal
}

// change is what one write records besides its own rows.
type change struct {
	action  string // audit action, e.g. "complaint.route"
	reason  string // audit reason (free text, no personal data)
	c       *Complaint
	notice  string // the citizen's message kind (notice.go); "" means the action
	payload map[string]any
	staff   []staffNotice // in-app notifications for staff (staffnotify.go)
}

// write runs fn in a transaction and then appends the audit row, the
// citizen's message and the staff notifications for the change fn
// describes. fn's ctx is marked for the transaction (forum.InTx), so
// forum.Can called with it reads the actor's rights (the agencies they are
// an officer of, their role) again inside it.
func (s *Store) write(ctx context.Context, actor Actor, fn func(ctx context.Context, tx bun.Tx, now time.Time) (*change, error)) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		ctx = forum.InTx(ctx, tx, now)
		ch, err := fn(ctx, tx, now)
		if err != nil {
			return err
		}
		if ch == nil || ch.c == nil {
			return nil
		}
		e := &forum.AuditEntry{ActorUserID: actor.UserID(), Action: ch.action, TargetKind: "complaint",
			TargetID: ch.c.ID, Reason: ch.reason, CreatedAt: now}
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			return fmt.Errorf("audit %s: %w", ch.action, err)
		}
		kind := ch.notice
		if kind == "" {
			kind = ch.action
		}
		p := map[string]any{"number": ch.c.Number, "status": ch.c.Status}
		for k, v := range ch.payload {
			p[k] = v
		}
		if err := s.notifyStaff(ctx, tx, actor, ch.c, ch.staff, now); err != nil {
			return err
		}
		return s.notify(ctx, tx, ch.c, kind, p, now)
	})
}

// event appends a timeline line in tx.
func event(ctx context.Context, tx bun.IDB, c *Complaint, kind string, actor Actor, agency int64, body string, internal bool, now time.Time) error {
	e := &Event{ComplaintID: c.ID, Kind: kind, ActorUserID: actor.UserID(), AgencyID: agency, Body: body, Internal: internal, CreatedAt: now}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("complaint %s event %s: %w", c.Number, kind, err)
	}
	return nil
}

// load reads complaint id with its routes in db (for update inside a write).
func load(ctx context.Context, db bun.IDB, id int64) (*Complaint, error) {
	c := new(Complaint)
	if err := db.NewSelect().Model(c).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.ErrNotFound
		}
		return nil, fmt.Errorf("complaint %d: %w", id, err)
	}
	if err := db.NewSelect().Table("complaint_routes").Column("agency_id").Where("complaint_id = ?", id).
		Order("agency_id").Scan(ctx, &c.Agencies); err != nil {
		return nil, fmt.Errorf("complaint %d routes: %w", id, err)
	}
	return c, nil
}

// ByNumber returns the complaint with tracking number n (errs.ErrNotFound
// when there is none). It does not check visibility: callers pass the result
// to Visible before showing anything.
func (s *Store) ByNumber(ctx context.Context, n string) (*Complaint, error) {
	var id int64
	err := s.db.NewSelect().Table("complaints").Column("id").Where("number = ?", n).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("complaint %s: %w", n, err)
	}
	return load(ctx, s.db, id)
}

// Timeline returns c's events, oldest first, including internal notes:
// callers filter them through Visible.
func (s *Store) Timeline(ctx context.Context, c *Complaint) ([]Event, error) {
	var es []Event
	if err := s.db.NewSelect().Model(&es).Where("complaint_id = ?", c.ID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("complaint %s timeline: %w", c.Number, err)
	}
	return es, nil
}
