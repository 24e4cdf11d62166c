package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Identity links an account at a sign-in provider to a user: (Provider,
// Subject) is unique, so one outside account opens exactly one user, and a
// user has at most one identity per provider. Subject is the provider's
// stable id for the account (the OpenID Connect "sub" claim, or the
// numeric account id of an OAuth 2 provider); Email is what the provider said when it was
// linked, kept for the profile page and never used to find a user.
type Identity struct {
	bun.BaseModel `bun:"table:identities"`

	ID        int64     `bun:"id,pk,autoincrement" json:"-"`
	UserID    int64     `bun:"user_id,notnull" json:"-"`
	Provider  string    `bun:"provider,notnull" json:"provider"`
	Subject   string    `bun:"subject,notnull" json:"subject"`
	Email     string    `bun:"email,notnull" json:"email,omitempty"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"linked_at"`
	UsedAt    time.Time `bun:"used_at,notnull" json:"last_used_at"`
}

// identityUser returns the user linked to (provider, subject) and marks the
// identity used at now. It returns ErrNotFound when no live user is linked.
func identityUser(ctx context.Context, db bun.IDB, provider, subject string, now time.Time) (*User, error) {
	id := new(Identity)
	err := db.NewSelect().Model(id).Where("provider = ? AND subject = ?", provider, subject).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("identity %s: %w", provider, err)
	}
	if _, err := db.NewUpdate().Model(id).Set("used_at = ?", now).WherePK().Exec(ctx); err != nil {
		return nil, fmt.Errorf("identity %s: %w", provider, err)
	}
	return UserByID(ctx, db, id.UserID)
}

// UserByEmail returns the live user whose email is email (compared
// lowercased), or ErrNotFound.
func UserByEmail(ctx context.Context, db bun.IDB, email string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, errs.ErrNotFound
	}
	u := new(User)
	err := db.NewSelect().Model(u).Where("email = ? AND deleted_at IS NULL", email).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

// linkIdentity links (provider, subject) to user userID. Linking an identity
// already linked to the same user only refreshes it. It returns a
// errs.Conflict error "error.identity_taken" when the identity belongs to
// another user, and "error.identity_provider_linked" when the user already
// has another account at provider. Run it in a transaction with the check
// that led to it; the unique indexes settle concurrent links.
func linkIdentity(ctx context.Context, db bun.IDB, userID int64, provider, subject, email string, now time.Time) (bool, error) {
	if provider == "" || subject == "" {
		return false, errs.E(errs.Invalid, "error.identity_invalid", nil)
	}
	var rows []Identity
	err := db.NewSelect().Model(&rows).
		Where("(provider = ? AND subject = ?) OR (user_id = ? AND provider = ?)", provider, subject, userID, provider).Scan(ctx)
	if err != nil {
		return false, fmt.Errorf("link %s to user %d: %w", provider, userID, err)
	}
	for _, r := range rows {
		switch {
		case r.Subject == subject && r.UserID == userID:
			_, err := db.NewUpdate().Model(&r).Set("used_at = ?", now).WherePK().Exec(ctx)
			return false, err
		case r.Subject == subject:
			return false, errs.E(errs.Conflict, "error.identity_taken", nil)
		default:
			return false, errs.E(errs.Conflict, "error.identity_provider_linked", nil)
		}
	}
	id := &Identity{UserID: userID, Provider: provider, Subject: subject, Email: strings.ToLower(email), CreatedAt: now, UsedAt: now}
	if _, err := db.NewInsert().Model(id).Exec(ctx); err != nil {
		return false, fmt.Errorf("link %s to user %d: %w", provider, userID, err)
	}
	return true, nil
}

// Identities lists user userID's identities, oldest first.
func Identities(ctx context.Context, db bun.IDB, userID int64) ([]Identity, error) {
	var rows []Identity
	if err := db.NewSelect().Model(&rows).Where("user_id = ?", userID).Order("created_at", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("identities of %d: %w", userID, err)
	}
	return rows, nil
}

// unlinkIdentity removes user userID's identity at provider, in one
// transaction with the check that another way to sign in remains (another
// identity or a password). It returns ErrNotFound when there is no such
// identity and an errs.Conflict error "error.identity_last" when it is the
// last way in.
func unlinkIdentity(ctx context.Context, tx bun.Tx, userID int64, provider string) error {
	if err := lockUser(ctx, tx, userID); err != nil {
		return err
	}
	n, err := tx.NewSelect().Model((*Identity)(nil)).Where("user_id = ? AND provider = ?", userID, provider).Count(ctx)
	if err != nil {
		return fmt.Errorf("unlink %s: %w", provider, err)
	}
	if n == 0 {
		return errs.ErrNotFound
	}
	others, err := tx.NewSelect().Model((*Identity)(nil)).Where("user_id = ? AND provider <> ?", userID, provider).Count(ctx)
	if err != nil {
		return fmt.Errorf("unlink %s: %w", provider, err)
	}
	pw, err := HasPassword(ctx, tx, userID)
	if err != nil {
		return err
	}
	if others == 0 && !pw {
		return errs.E(errs.Conflict, "error.identity_last", nil)
	}
	_, err = tx.NewDelete().Model((*Identity)(nil)).Where("user_id = ? AND provider = ?", userID, provider).Exec(ctx)
	return err
}

// lockUser takes a row lock on the user on PostgreSQL (SQLite opens every
// transaction with BEGIN IMMEDIATE, which already holds the write lock), so
// that two concurrent unlinks cannot each see the other's identity and
// together remove the last way in.
func lockUser(ctx context.Context, tx bun.Tx, userID int64) error {
	if !storage.Postgres(tx) {
		return nil
	}
	_, err := tx.NewRaw("SELECT id FROM users WHERE id = ? FOR UPDATE", userID).Exec(ctx)
	return err
}
