package forum

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/argon2"

	"github.com/rembug/rembug/forum/errs"
)

// Argon2Params are the cost parameters of an argon2id password hash
// (RFC 9106): Time passes over MemoryKiB kibibytes with Threads lanes,
// producing KeyLen bytes from a SaltLen-byte random salt.
type Argon2Params struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
	SaltLen   int
	KeyLen    uint32
}

// RecommendedArgon2 returns RFC 9106 section 4's second recommended
// option (t=3, m=64 MiB, p=4, 128-bit salt, 256-bit tag): about 0.1 s on one
// core of a small server.
func RecommendedArgon2() Argon2Params {
	return Argon2Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 4, SaltLen: 16, KeyLen: 32}
}

// Password length bounds, in characters (bytes for the upper one, which
// only bounds the hashing work).
const (
	MinPasswordRunes = 12
	MaxPasswordBytes = 1024
)

// HashPassword hashes password with argon2id and a fresh random salt and
// returns the PHC string "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>"
// (unpadded base64), which carries its own parameters so that they can be
// raised later without breaking stored hashes.
func HashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id
// hash, comparing in constant time. A malformed hash never matches.
func VerifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false
	}
	if p.MemoryKiB > 1<<21 || p.Time > 100 || p.Threads == 0 { // refuse absurd costs from a tampered row
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ValidPassword checks a new password's length: an errs.Invalid error
// "error.password_short" or "error.password_long".
func ValidPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordRunes {
		return errs.E(errs.Invalid, "error.password_short", map[string]any{"Min": MinPasswordRunes})
	}
	if len(password) > MaxPasswordBytes {
		return errs.E(errs.Invalid, "error.password_long", nil)
	}
	return nil
}

// setPassword sets staff user userID's password (hashed with p). Only staff
// sign in with a password: for any other role it returns an errs.Forbidden
// error "error.password_staff_only".
func setPassword(ctx context.Context, db bun.IDB, userID int64, password string, p Argon2Params, now time.Time) error {
	if err := ValidPassword(password); err != nil {
		return err
	}
	u, err := UserByID(ctx, db, userID)
	if err != nil {
		return err
	}
	if !u.Staff() {
		return errs.E(errs.Forbidden, "error.password_staff_only", nil)
	}
	hash, err := HashPassword(password, p)
	if err != nil {
		return err
	}
	_, err = db.NewRaw(`INSERT INTO user_passwords (user_id, hash, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at`, userID, hash, now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set password of %d: %w", userID, err)
	}
	return nil
}

// HasPassword reports whether user userID has a password.
func HasPassword(ctx context.Context, db bun.IDB, userID int64) (bool, error) {
	n, err := db.NewSelect().Table("user_passwords").Where("user_id = ?", userID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("password of %d: %w", userID, err)
	}
	return n > 0, nil
}

// ErrBadPassword is the one answer to every failed password sign-in
// (unknown email, no password, wrong password, not staff), so that the
// form does not tell which emails have accounts.
var ErrBadPassword = errs.E(errs.Forbidden, "error.password_wrong", nil)

// CheckPassword returns the staff user with email and password, or
// ErrBadPassword. When there is no such user it still spends the work of a
// hash, so timing does not tell either.
func CheckPassword(ctx context.Context, db bun.IDB, email, password string) (*User, error) {
	if len(password) > MaxPasswordBytes {
		return nil, ErrBadPassword
	}
	u, err := UserByEmail(ctx, db, email)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return nil, err
	}
	var hash string
	if u != nil {
		err = db.NewSelect().Table("user_passwords").Column("hash").Where("user_id = ?", u.ID).Scan(ctx, &hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("password of %d: %w", u.ID, err)
		}
	}
	if hash == "" {
		hash = dummyHash
	}
	ok := VerifyPassword(hash, password)
	if u == nil || !ok || !u.Staff() || hash == dummyHash {
		return nil, ErrBadPassword
	}
	return u, nil
}

// dummyHash is a recommended-cost hash of a random string nobody knows,
// checked when an email has no password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=4$7wZ0sIhH3G0bq7mQ9y2y4A$0m6p2yA1q2xwXhVf5m7bq3VQv7l0Cw9cX1o8m2cJ0kQ"
