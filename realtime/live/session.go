package live

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Errors of this package: errs errors whose keys web translates.
var (
	ErrNotFound      = errs.E(errs.NotFound, "live.error.not_found", nil)
	ErrClosed        = errs.E(errs.Conflict, "live.error.closed", nil)
	ErrTransition    = errs.E(errs.Conflict, "live.error.transition", nil)
	ErrGuests        = errs.E(errs.Forbidden, "live.error.sign_in", nil)
	ErrAnonymous     = errs.E(errs.Invalid, "live.error.anonymous", nil)
	ErrText          = errs.E(errs.Invalid, "live.error.text", nil)
	ErrPollInvalid   = errs.E(errs.Invalid, "live.error.poll", nil)
	ErrAnswer        = errs.E(errs.Invalid, "live.error.answer", nil)
	ErrPollNotOpen   = errs.E(errs.Conflict, "live.error.poll_closed", nil)
	ErrCodeExhausted = errors.New("live: no free join code")
	errWriterClosed  = errors.New("live: service closed")
)

// RateLimitKey is the translation key of the error returned when a
// participant asks too many questions; its data holds "Count" (the limit).
const RateLimitKey = "live.error.rate_limited"

// codeAlphabet has no look-alikes (0/O, 1/I/L), for codes read off a screen.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLength is the length of a join code: 31^6 ≈ 887 million codes.
const CodeLength = 6

func newCode() string {
	b := make([]byte, CodeLength)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails on supported systems
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode upper-cases a typed join code and drops spaces and dashes.
func NormalizeCode(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	return strings.NewReplacer(" ", "", "-", "").Replace(c)
}

// SessionInput is what a moderator chooses when creating a session.
type SessionInput struct {
	ConsultationID int64
	FocusGroupID   *int64
	Title          string
	AllowGuests    bool
	AllowAnonymous bool
	Premoderate    bool
	PerMinute      int
}

// CreateSession makes an open session with a fresh join code for
// moderator v, in one transaction with its audit row; v's right to
// moderate the consultation is decided inside it (authorizeModerate, v's
// roles read again there). Errors: ErrText for an empty or over-long (200
// characters) title, ErrCodeExhausted when eight random codes are all
// taken, ErrNotFound, forum.Can's errs.Forbidden error.
func (s *Service) CreateSession(ctx context.Context, v forum.Viewer, in SessionInput) (*Session, error) {
	title, err := cleanText(in.Title, 200)
	if err != nil {
		return nil, err
	}
	if in.PerMinute <= 0 {
		in.PerMinute = DefaultQuestionsPerMinute
	}
	var sess *Session
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := authorizeModerate(ctx, v, &Session{ConsultationID: in.ConsultationID, FocusGroupID: in.FocusGroupID}); err != nil {
			return err
		}
		for range 8 {
			sess = &Session{ConsultationID: in.ConsultationID, FocusGroupID: in.FocusGroupID, Code: newCode(), Title: title,
				AllowGuests: in.AllowGuests, AllowAnonymous: in.AllowAnonymous, Premoderate: in.Premoderate,
				PerMinute: in.PerMinute, Open: true, Version: 1, CreatedAt: now, UpdatedAt: now}
			n, err := tx.NewSelect().Model((*Session)(nil)).Where("code = ?", sess.Code).Count(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if _, err := tx.NewInsert().Model(sess).Exec(ctx); err != nil {
				return err
			}
			return audit(ctx, tx, v, auditSession, "create", sess.ID, sess, now, title)
		}
		return ErrCodeExhausted
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// SessionByCode returns the session with join code (normalized first).
// Errors: ErrNotFound.
func (s *Service) SessionByCode(ctx context.Context, code string) (*Session, error) {
	return sessionWhere(ctx, s.db, "code = ?", NormalizeCode(code))
}

// SessionByID returns session id. Errors: ErrNotFound.
func (s *Service) SessionByID(ctx context.Context, id int64) (*Session, error) {
	return sessionWhere(ctx, s.db, "id = ?", id)
}

// SessionsOf lists a consultation's sessions, newest first.
func (s *Service) SessionsOf(ctx context.Context, consultationID int64) ([]Session, error) {
	var out []Session
	err := s.db.NewSelect().Model(&out).Where("consultation_id = ?", consultationID).Order("id DESC").Scan(ctx)
	return out, err
}

// OpenSessionsIn returns the open sessions of consultations ids that are
// not in a focus group, newest first per consultation, keyed by
// consultation: the home page's "live now" in one query instead of one per
// consultation. The caller still checks each with Authorize.
func (s *Service) OpenSessionsIn(ctx context.Context, ids []int64) (map[int64][]Session, error) {
	out := map[int64][]Session{}
	if len(ids) == 0 {
		return out, nil
	}
	var all []Session
	err := s.db.NewSelect().Model(&all).Where("consultation_id IN (?) AND open = ? AND focus_group_id IS NULL", bun.In(ids), true).
		Order("consultation_id", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("live: open sessions: %w", err)
	}
	for _, sess := range all {
		out[sess.ConsultationID] = append(out[sess.ConsultationID], sess)
	}
	return out, nil
}

func sessionWhere(ctx context.Context, db bun.IDB, where string, arg any) (*Session, error) {
	var sess Session
	err := db.NewSelect().Model(&sess).Where(where, arg).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// SetOpen opens or ends a session for moderator v, with its audit row,
// v's right decided inside the transaction (updateSession). An
// ended session keeps its questions, votes and polls as a record; it takes
// no new questions, upvotes or answers and shows no question on stage.
func (s *Service) SetOpen(ctx context.Context, v forum.Viewer, id int64, open bool) (*Session, error) {
	action := "end"
	if open {
		action = "open"
	}
	return s.updateSession(ctx, v, action, id, func(sess *Session) error {
		sess.Open = open
		if !open {
			sess.StageID = nil
		}
		return nil
	})
}

// updateSession changes a session in a transaction with v's audit row
// (action), after v's right to moderate it is decided there
// (authorizeModerate), bumps its version and publishes it after the commit.
func (s *Service) updateSession(ctx context.Context, v forum.Viewer, action string, id int64, change func(*Session) error) (*Session, error) {
	var sess *Session
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		if sess, err = sessionWhere(ctx, tx, "id = ?", id); err != nil {
			return err
		}
		if err := authorizeModerate(ctx, v, sess); err != nil {
			return err
		}
		if err := change(sess); err != nil {
			return err
		}
		sess.Version++
		sess.UpdatedAt = now
		if _, err = tx.NewUpdate().Model(sess).WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit(ctx, tx, v, auditSession, action, sess.ID, sess, now, "")
	})
	if err != nil {
		return nil, err
	}
	s.cache.putSession(sess)
	s.publishSession(ctx, sess)
	return sess, nil
}
