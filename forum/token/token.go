// Package token manages staff personal access tokens for the JSON API
// (Authorization: Bearer). A token is 32 random bytes shown once at
// creation; only its SHA-256 is stored, so a database leak does not leak
// usable tokens. Tokens belong to staff: admins, moderators, analysts and
// complaint officers. Safe for concurrent use.
package token

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Prefix starts every token, so that a leaked one is easy to recognize.
const Prefix = "rbt_"

// Migrations are the token table's schema steps.
var Migrations = []storage.Migration{{
	Name: "20261202000200", Comment: "create_api_tokens",
	Up: []string{
		`CREATE TABLE api_tokens (
			id {{id}},
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			name VARCHAR(200) NOT NULL,
			token_hash VARCHAR(64) NOT NULL,
			created_at {{time}} NOT NULL,
			last_used_at {{time}},
			revoked_at {{time}})`,
		`CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash)`,
	},
	Down: []string{`DROP TABLE api_tokens`},
}}

// Migrate applies the token table's unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, "token", Migrations)
}

// Token is one stored personal access token (without the secret).
type Token struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID         int64      `bun:"id,pk,autoincrement"`
	UserID     int64      `bun:"user_id,notnull"`
	Name       string     `bun:"name,notnull"`
	TokenHash  string     `bun:"token_hash,notnull"`
	CreatedAt  time.Time  `bun:"created_at,notnull"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
}

func hash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// Store owns the token table's writes: each runs in one transaction with
// its audit row (forum.Audit). Safe for concurrent use.
type Store struct {
	db  *bun.DB
	now func() time.Time
}

// NewStore returns the token Store of db; now is the clock.
func NewStore(db *bun.DB, now func() time.Time) *Store {
	return &Store{db: db, now: now}
}

// Create makes a token named name for the user with email and returns it:
// the only time it is shown. The user, their staff role and their
// complaint-officer row are read in the transaction that stores the token
// and its audit row ("api_token_create", by the token's owner, reason the name).
// Errors: errs.NotFound for no such user, errs.Invalid for an empty or
// longer than 200 bytes name or a user who is not staff or a complaint
// officer.
func (s *Store) Create(ctx context.Context, email, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return "", errs.E(errs.Invalid, "token.error.name", nil)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := Prefix + base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now().UTC()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u := new(forum.User)
		err := tx.NewSelect().Model(u).Where("email = ? AND deleted_at IS NULL", strings.ToLower(strings.TrimSpace(email))).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("token user: %w", err)
		}
		officer, err := tx.NewSelect().Table("agency_officers").Where("user_id = ?", u.ID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("token officer check: %w", err)
		}
		if !u.Staff() && !officer {
			return errs.E(errs.Invalid, "token.error.not_staff", nil)
		}
		t := &Token{UserID: u.ID, Name: name, TokenHash: hash(tok), CreatedAt: now}
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		owner := forum.Viewer{User: u}
		return forum.Audit(ctx, tx, owner, "api_token_create", "api_token", t.ID, 0, name, now)
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// User returns the user a bearer token belongs to and records its use
// (last_used_at, at most once a minute). The use is one UPDATE outside any
// transaction and without an audit row: it runs on every API request and
// changes no one's content or rights. errs.NotFound for an unknown,
// revoked or malformed token, or a deleted user.
func (s *Store) User(ctx context.Context, tok string) (*forum.User, error) {
	if !strings.HasPrefix(tok, Prefix) || len(tok) > 100 {
		return nil, errs.ErrNotFound
	}
	now := s.now().UTC()
	t := new(Token)
	err := s.db.NewSelect().Model(t).Where("token_hash = ? AND revoked_at IS NULL", hash(tok)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("token lookup: %w", err)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if _, err := s.db.NewUpdate().Model(t).Set("last_used_at = ?", now).WherePK().Exec(ctx); err != nil {
			return nil, fmt.Errorf("token use: %w", err)
		}
	}
	return forum.UserByID(ctx, s.db, t.UserID)
}

// Revoke revokes token id of user userID (the owner, who is the audit
// row's actor: "api_token_revoke", reason the token's name) in one transaction
// with its audit row. errs.NotFound when userID has no such live token
// (unknown, another user's or already revoked).
func (s *Store) Revoke(ctx context.Context, userID, id int64) error {
	now := s.now().UTC()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t := new(Token)
		err := tx.NewSelect().Model(t).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("token %d: %w", id, err)
		}
		res, err := tx.NewUpdate().Model(t).Set("revoked_at = ?", now).WherePK().Where("revoked_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.ErrNotFound
		}
		owner := forum.Viewer{User: &forum.User{ID: userID}}
		return forum.Audit(ctx, tx, owner, "api_token_revoke", "api_token", id, 0, t.Name, now)
	})
}
