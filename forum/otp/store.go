package otp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/mail"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Limits of one-time codes.
const (
	TTL         = 15 * time.Minute // how long a code and its link are valid
	MaxAttempts = 5                // wrong guesses a code survives
	// PerAddress and PerClient bound the codes asked for per destination
	// address and per client IP address within Window; VerifyPerClient
	// bounds code guesses per client IP address across all codes.
	PerAddress      = 5
	PerClient       = 20
	VerifyPerClient = 50
	Window          = 15 * time.Minute
)

// MigrationSet names otp's migrations in the database.
const MigrationSet = "otp"

// Migrations create signin_codes: one row per code sent. challenge_hash
// identifies the sign-in in progress for the browser that asked
// (browser_hash); link_hash is set for email codes.
var Migrations = []storage.Migration{{
	Name: "20261202090000", Comment: "create_signin_codes",
	Up: []string{
		`CREATE TABLE signin_codes (
			id {{id}},
			challenge_hash VARCHAR(64) NOT NULL,
			link_hash VARCHAR(64),
			code_hash VARCHAR(64) NOT NULL,
			browser_hash VARCHAR(64) NOT NULL,
			channel VARCHAR(20) NOT NULL,
			address VARCHAR(320) NOT NULL,
			return_to TEXT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL,
			used_at {{time}})`,
		`CREATE UNIQUE INDEX signin_codes_challenge ON signin_codes (challenge_hash)`,
		`CREATE UNIQUE INDEX signin_codes_link ON signin_codes (link_hash) WHERE link_hash IS NOT NULL`,
		`CREATE INDEX signin_codes_expires ON signin_codes (expires_at)`,
	},
	Down: []string{`DROP TABLE signin_codes`},
}, {
	// link_user_id is set for a code that links its phone number to a
	// signed-in account instead of signing in (VerifyLink).
	Name: "20261202151200", Comment: "signin_codes_link_user",
	Up:   []string{`ALTER TABLE signin_codes ADD COLUMN link_user_id BIGINT`},
	Down: []string{`ALTER TABLE signin_codes DROP COLUMN link_user_id`},
}}

// Migrate applies Migrations to db (after forum's).
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}

// code is one row of signin_codes.
type code struct {
	bun.BaseModel `bun:"table:signin_codes"`

	ID            int64             `bun:"id,pk,autoincrement"`
	ChallengeHash string            `bun:"challenge_hash,notnull"`
	LinkHash      string            `bun:"link_hash,nullzero"`
	CodeHash      string            `bun:"code_hash,notnull"`
	BrowserHash   string            `bun:"browser_hash,notnull"`
	Channel       messaging.Channel `bun:"channel,notnull"`
	Address       string            `bun:"address,notnull"`
	ReturnTo      string            `bun:"return_to,notnull"`
	LinkUserID    int64             `bun:"link_user_id,nullzero"`
	Attempts      int               `bun:"attempts,notnull"`
	CreatedAt     time.Time         `bun:"created_at,notnull"`
	ExpiresAt     time.Time         `bun:"expires_at,notnull"`
	UsedAt        time.Time         `bun:"used_at,nullzero"`
}

// Store issues and checks one-time codes.
type Store struct {
	db       *bun.DB
	key      []byte
	now      func() time.Time
	attempts *forum.Store // the rate-limit counters (forum.Store.CountAttempt)
}

// NewStore returns a Store over db (migrated) that hashes with key (the
// installation's secret, forum.SecretKey) and reads the time from now
// (nil: time.Now).
func NewStore(db *bun.DB, key []byte, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, key: key, now: now, attempts: forum.NewStore(db, now)}
}

// hash is the keyed hash the table keeps of a secret of kind purpose.
func (s *Store) hash(purpose, secret string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("otp\x00" + purpose + "\x00" + secret))
	return hex.EncodeToString(m.Sum(nil))
}

// NormalizeAddress returns the address codes go to on channel ch: a
// lowercased bare email address for messaging.Email, an E.164 number for
// SMS and WhatsApp. Errors are errs.Invalid: "error.email_invalid",
// "error.phone_invalid", "error.phone_not_mobile", "error.otp_channel".
func NormalizeAddress(ch messaging.Channel, s string) (string, error) {
	switch ch {
	case messaging.Email:
		s = strings.TrimSpace(s)
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
			return "", errs.E(errs.Invalid, "error.email_invalid", nil)
		}
		return strings.ToLower(s), nil
	case messaging.SMS, messaging.WhatsApp:
		return messaging.NormalizePhone(s)
	}
	return "", errs.E(errs.Invalid, "error.otp_channel", nil)
}

// Provider is the identity provider name of addresses on channel ch:
// "email" for email, "phone" for SMS and WhatsApp.
func Provider(ch messaging.Channel) string {
	if ch == messaging.Email {
		return "email"
	}
	return "phone"
}

// newCode returns six uniformly random decimal digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("otp: crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// rateLimit counts one attempt in bucket and returns an errs.RateLimited
// error "error.otp_rate_limited" (Data "Count": minutes to wait, and the
// wait in seconds for Retry-After, errs.RetryAfter) when over limit.
func (s *Store) rateLimit(ctx context.Context, bucket string, limit int) error {
	ok, wait, err := s.attempts.CountAttempt(ctx, bucket, limit, Window)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Limited("error.otp_rate_limited", wait, map[string]any{"Count": int((wait + time.Minute - 1) / time.Minute)})
	}
	return nil
}
