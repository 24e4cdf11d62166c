package meeting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// Audit actions and target kind the Store writes.
const (
	AuditCreate     = "meeting.create"
	AuditRegister   = "meeting.register"
	AuditUnregister = "meeting.unregister"
	AuditMinutes    = "meeting.minutes"
	auditKind       = "meeting"
)

// Store owns the meeting tables. Every exported write checks the viewer
// with forum.Can and runs in one transaction with its audit row. A Store
// is safe for concurrent use.
type Store struct {
	db  *bun.DB
	now func() time.Time
}

// NewStore returns a Store over db (migrated with Migrate); now is the
// clock (nil for time.Now).
func NewStore(db *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// inTx runs fn in one transaction with the write's time, read once from
// the clock. forum.Can called with fn's ctx reads its facts again inside
// the transaction (forum.InTx), so fn re-checks the right its method
// checked before.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, now time.Time) error) error {
	now := s.clock()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(forum.InTx(ctx, tx, now), tx, now)
	})
}

// Input is what an organizer gives for a new meeting. Times are absolute
// (the web form reads them in the installation's zone, forum/tz).
type Input struct {
	FocusGroupID  int64
	Title         string
	Kind          string // one of Kinds
	Mode          string // one of Modes
	Place         string // needed in person
	OnlineURL     string // needed online, https
	StartsAt      time.Time
	EndsAt        time.Time
	Capacity      int // 1..MaxCapacity
	Accessibility string
	Agenda        string
}

// text validates free text: valid UTF-8, trimmed, min to max runes; field
// names it in the error ("meeting.length_<field>").
func text(s, field string, min, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", errs.E(errs.Invalid, "error.utf8", nil)
	}
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "\r\n", "\n"))
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return "", errs.E(errs.Invalid, "meeting.length_"+field, map[string]any{"Min": min, "Max": max})
	}
	return s, nil
}

// validate checks in and returns the meeting it describes; every refusal
// is errs.Invalid with a "meeting.*" key.
func (in Input) validate(c *forum.Consultation) (*Meeting, error) {
	m := &Meeting{ConsultationID: c.ID, FocusGroupID: in.FocusGroupID, Kind: in.Kind, Mode: in.Mode,
		Capacity: in.Capacity, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC()}
	var err error
	if m.Title, err = text(in.Title, "title", 3, MaxTitleRunes); err != nil {
		return nil, err
	}
	if !slices.Contains(Kinds, in.Kind) {
		return nil, errs.E(errs.Invalid, "meeting.bad_kind", nil)
	}
	if !slices.Contains(Modes, in.Mode) {
		return nil, errs.E(errs.Invalid, "meeting.bad_mode", nil)
	}
	if m.Place, err = text(in.Place, "place", 0, MaxPlaceRunes); err != nil {
		return nil, err
	}
	if in.Mode == ModeInPerson && m.Place == "" {
		return nil, errs.E(errs.Invalid, "meeting.place_required", nil)
	}
	m.OnlineURL = strings.TrimSpace(in.OnlineURL)
	if in.Mode == ModeOnline || m.OnlineURL != "" {
		u, err := url.Parse(m.OnlineURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || len(m.OnlineURL) > 500 {
			return nil, errs.E(errs.Invalid, "meeting.bad_url", nil)
		}
	}
	if m.StartsAt.IsZero() || !m.EndsAt.After(m.StartsAt) || m.EndsAt.Sub(m.StartsAt) > 7*24*time.Hour {
		return nil, errs.E(errs.Invalid, "meeting.bad_time", nil)
	}
	if in.Capacity < 1 || in.Capacity > MaxCapacity {
		return nil, errs.E(errs.Invalid, "meeting.bad_capacity", map[string]any{"Max": MaxCapacity})
	}
	if m.Accessibility, err = text(in.Accessibility, "accessibility", 0, MaxNoteRunes); err != nil {
		return nil, err
	}
	if m.Agenda, err = text(in.Agenda, "agenda", 0, MaxAgendaRunes); err != nil {
		return nil, err
	}
	return m, nil
}

// Create stores a new meeting in consultation c. It needs v to moderate
// c (forum.Can ActModerate); bad input or a focus group not of c is
// errs.Invalid. Nothing is written on error.
func (s *Store) Create(ctx context.Context, v forum.Viewer, c *forum.Consultation, in Input) (*Meeting, error) {
	m, err := in.validate(c)
	if err != nil {
		return nil, err
	}
	if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
			return err
		}
		if m.FocusGroupID != 0 {
			n, err := tx.NewSelect().Table("focus_groups").Where("id = ? AND consultation_id = ?", m.FocusGroupID, c.ID).Count(ctx)
			if err != nil {
				return fmt.Errorf("focus group %d: %w", m.FocusGroupID, err)
			}
			if n == 0 {
				return errs.E(errs.Invalid, "meeting.bad_group", nil)
			}
		}
		if v.User != nil {
			m.CreatedBy = v.User.ID
		}
		m.CreatedAt, m.UpdatedAt = now, now
		if _, err := tx.NewInsert().Model(m).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert meeting: %w", err)
		}
		return forum.Audit(ctx, tx, v, AuditCreate, auditKind, m.ID, c.ID, "", now)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Register records v's participant for meeting m of c and returns the
// status it got: StatusRegistered while a place is free, StatusWaiting
// after. It needs forum.Can ActWrite (a signed-in participant, open
// consultation, no block; a group's meeting its members). A meeting that
// has started is errs.Invalid ("meeting.started"); registering twice is
// errs.Conflict ("meeting.already_registered"). The place is taken by one
// conditional UPDATE (taken < capacity) in the registration's
// transaction, so concurrent registrations never pass the capacity.
func (s *Store) Register(ctx context.Context, v forum.Viewer, c *forum.Consultation, m *Meeting) (string, error) {
	if err := forum.Can(ctx, v, forum.ActWrite, m.Item(c)); err != nil {
		return "", err
	}
	if !s.clock().Before(m.StartsAt) {
		return "", errs.E(errs.Invalid, "meeting.started", nil)
	}
	var status string
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActWrite, m.Item(c)); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Registration)(nil)).Where("meeting_id = ? AND participant_id = ?", m.ID, v.ParticipantID).Count(ctx)
		if err != nil {
			return fmt.Errorf("meeting %d registration: %w", m.ID, err)
		}
		if n > 0 {
			return errs.E(errs.Conflict, "meeting.already_registered", nil)
		}
		res, err := tx.NewUpdate().Model((*Meeting)(nil)).Set("taken = taken + 1").
			Where("id = ? AND taken < capacity", m.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("meeting %d take place: %w", m.ID, err)
		}
		status = StatusWaiting
		if k, _ := res.RowsAffected(); k == 1 {
			status = StatusRegistered
		}
		reg := &Registration{MeetingID: m.ID, ParticipantID: v.ParticipantID, Status: status, CreatedAt: now}
		if _, err := tx.NewInsert().Model(reg).Returning("id").Exec(ctx); err != nil {
			if storage.IsUniqueViolation(err) {
				return errs.E(errs.Conflict, "meeting.already_registered", nil)
			}
			return fmt.Errorf("insert meeting %d registration: %w", m.ID, err)
		}
		return forum.Audit(ctx, tx, v, AuditRegister, auditKind, m.ID, c.ID, status, now)
	})
	if err != nil {
		return "", err
	}
	return status, nil
}

// Unregister withdraws v's registration for m; a place it held goes to
// the first on the waiting list, in the same transaction. Not being
// registered is errs.ErrNotFound.
func (s *Store) Unregister(ctx context.Context, v forum.Viewer, c *forum.Consultation, m *Meeting) error {
	if err := forum.Can(ctx, v, forum.ActRead, m.Item(c)); err != nil {
		return err
	}
	if v.ParticipantID == 0 {
		return errs.ErrNotFound
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActRead, m.Item(c)); err != nil {
			return err
		}
		reg := new(Registration)
		err := tx.NewSelect().Model(reg).Where("meeting_id = ? AND participant_id = ?", m.ID, v.ParticipantID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("meeting %d registration: %w", m.ID, err)
		}
		if _, err := tx.NewDelete().Model(reg).Where("id = ?", reg.ID).Exec(ctx); err != nil {
			return fmt.Errorf("delete meeting %d registration: %w", m.ID, err)
		}
		if reg.Status == StatusRegistered {
			next := new(Registration)
			err := tx.NewSelect().Model(next).Where("meeting_id = ? AND status = ?", m.ID, StatusWaiting).OrderExpr("id").Limit(1).Scan(ctx)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.NewUpdate().Model((*Meeting)(nil)).Set("taken = taken - 1").Where("id = ?", m.ID).Exec(ctx); err != nil {
					return fmt.Errorf("meeting %d free place: %w", m.ID, err)
				}
			case err != nil:
				return fmt.Errorf("meeting %d waiting list: %w", m.ID, err)
			default:
				if _, err := tx.NewUpdate().Model(next).Set("status = ?", StatusRegistered).Where("id = ?", next.ID).Exec(ctx); err != nil {
					return fmt.Errorf("meeting %d promote: %w", m.ID, err)
				}
			}
		}
		return forum.Audit(ctx, tx, v, AuditUnregister, auditKind, m.ID, c.ID, "", now)
	})
}

// RecordMinutes stores the minutes of m and marks who attended (attended
// holds participant ids of its registrations; the others are marked
// absent). It needs v to moderate m; before the meeting starts it is
// errs.Invalid ("meeting.not_yet").
func (s *Store) RecordMinutes(ctx context.Context, v forum.Viewer, c *forum.Consultation, m *Meeting, minutes string, attended []int64) error {
	if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
		return err
	}
	if s.clock().Before(m.StartsAt) {
		return errs.E(errs.Invalid, "meeting.not_yet", nil)
	}
	minutes, err := text(minutes, "minutes", 0, MaxMinutesRunes)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*Meeting)(nil)).Set("minutes = ?, minutes_at = ?, updated_at = ?", minutes, now, now).
			Where("id = ?", m.ID).Exec(ctx); err != nil {
			return fmt.Errorf("meeting %d minutes: %w", m.ID, err)
		}
		if _, err := tx.NewUpdate().Model((*Registration)(nil)).Set("attended = ?", false).Where("meeting_id = ?", m.ID).Exec(ctx); err != nil {
			return fmt.Errorf("meeting %d attendance: %w", m.ID, err)
		}
		if len(attended) > 0 {
			if _, err := tx.NewUpdate().Model((*Registration)(nil)).Set("attended = ?", true).
				Where("meeting_id = ? AND participant_id IN (?)", m.ID, bun.In(attended)).Exec(ctx); err != nil {
				return fmt.Errorf("meeting %d attendance: %w", m.ID, err)
			}
		}
		m.Minutes, m.MinutesAt = minutes, &now
		return forum.Audit(ctx, tx, v, AuditMinutes, auditKind, m.ID, c.ID, fmt.Sprintf("hadir %d", len(attended)), now)
	})
}
