package forum

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Roles, from most to least powerful. A moderator may also be scoped to one
// consultation elsewhere; Role here is the global role.
const (
	RoleAdmin     = "admin"
	RoleModerator = "moderator"
	RoleAnalyst   = "analyst" // policymaker: read-only, sees reports
	// RoleAssistant is the assisted-entry officer (petugas pendamping) at a
	// kelurahan or service counter: records complaints and IKM answers on
	// behalf of a citizen present at the desk (ActAssist), nothing else.
	RoleAssistant   = "assistant"
	RoleParticipant = "participant"
)

// ValidRole reports whether r is one of the roles above.
func ValidRole(r string) bool {
	switch r {
	case RoleAdmin, RoleModerator, RoleAnalyst, RoleAssistant, RoleParticipant:
		return true
	}
	return false
}

// User is a signed-in person. Email is lowercased and unique when set.
// Staff are admins, moderators and analysts.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID          int64     `bun:"id,pk,autoincrement" json:"-"`
	Email       string    `bun:"email,nullzero" json:"email,omitempty"`
	DisplayName string    `bun:"display_name,notnull" json:"display_name"`
	Role        string    `bun:"role,notnull" json:"role"`
	Lang        string    `bun:"lang,notnull" json:"lang"`
	TimeZone    string    `bun:"time_zone,notnull" json:"time_zone"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"created_at"`
	DeletedAt   time.Time `bun:"deleted_at,nullzero" json:"-"`
}

// Staff reports whether u has a staff role.
func (u *User) Staff() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleModerator || u.Role == RoleAnalyst)
}

// NewUser checks and completes u before it is stored: the email in lower
// case without surrounding space, and the defaults role participant,
// language id, time zone Asia/Jakarta. An unknown role is errs.Invalid.
// It writes nothing; createUser and the test fixture (forumtest) store the
// result.
func NewUser(u *User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.Role == "" {
		u.Role = RoleParticipant
	}
	if !ValidRole(u.Role) {
		return errs.E(errs.Invalid, "error.role_invalid", map[string]any{"Role": u.Role})
	}
	if u.Lang == "" {
		u.Lang = "id"
	}
	if u.TimeZone == "" {
		u.TimeZone = "Asia/Jakarta"
	}
	return nil
}

// createUser inserts u as created at now (setting ID and NewUser's
// defaults). A duplicate email is an errs.Conflict error; an unknown role
// is errs.Invalid. It runs inside a transaction of Store.CreateUser or
// RegisterUser.
func createUser(ctx context.Context, db bun.IDB, u *User, now time.Time) error {
	if err := NewUser(u); err != nil {
		return err
	}
	u.CreatedAt = now
	if u.Email != "" {
		n, err := db.NewSelect().Model((*User)(nil)).Where("email = ?", u.Email).Count(ctx)
		if err != nil {
			return fmt.Errorf("check email: %w", err)
		}
		if n > 0 {
			return errs.E(errs.Conflict, "error.email_taken", nil)
		}
	}
	if _, err := db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// UserByID returns the user with id, or ErrNotFound (also for deleted users).
func UserByID(ctx context.Context, db bun.IDB, id int64) (*User, error) {
	u := new(User)
	err := db.NewSelect().Model(u).Where("id = ? AND deleted_at IS NULL", id).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// UserParticipant returns the participant that acts for user u (kind
// "user", keyed by the user id), creating it on first use.
func UserParticipant(ctx context.Context, db bun.IDB, u *User, now time.Time) (*Participant, error) {
	return EnsureParticipant(ctx, db, ParticipantUser, ParticipantUser, strconv.FormatInt(u.ID, 10), now)
}

// ParticipantUser is the participant kind (and source) of signed-in users.
const ParticipantUser = "user"

// Session is a server-side sign-in session. Only the SHA-256 of its token
// is stored, so a database leak does not leak live sessions.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	TokenHash string    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// SessionTTL is how long a session lasts without signing in again.
const SessionTTL = 30 * 24 * time.Hour

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// CreateSession starts a session for user id and returns its random token
// (for the session cookie).
func CreateSession(ctx context.Context, db bun.IDB, userID int64, now time.Time) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	s := &Session{TokenHash: hashToken(tok), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if _, err := db.NewInsert().Model(s).Exec(ctx); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return tok, nil
}

// SessionUser returns the user of the live session with token tok, or
// ErrNotFound when the session does not exist, has expired or its user was
// deleted.
func SessionUser(ctx context.Context, db bun.IDB, tok string, now time.Time) (*User, error) {
	if tok == "" {
		return nil, errs.ErrNotFound
	}
	s := new(Session)
	err := db.NewSelect().Model(s).Where("token_hash = ? AND expires_at > ?", hashToken(tok), now).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return UserByID(ctx, db, s.UserID)
}

// DeleteSession ends the session with token tok; ending a missing session
// is not an error.
func DeleteSession(ctx context.Context, db bun.IDB, tok string) error {
	_, err := db.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hashToken(tok)).Exec(ctx)
	return err
}
