// Package draft keeps what a guest has typed (a comment) while they sign
// in, so that the text is not lost on the way: the form is saved under a
// random token, the sign-in returns to a page that shows it again, and the
// person sends it from there. Drafts live TTL and only their token's hash
// is stored. Safe for concurrent use.
package draft

import (
	"context"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// TTL is how long a draft is kept.
const TTL = 24 * time.Hour

// MigrationSet names draft's migrations in the database.
const MigrationSet = "draft"

// Migrations create guest_drafts.
var Migrations = []storage.Migration{{
	Name: "20261202091500", Comment: "create_guest_drafts",
	Up: []string{
		`CREATE TABLE guest_drafts (
			token_hash VARCHAR(64) PRIMARY KEY,
			target TEXT NOT NULL,
			back TEXT NOT NULL,
			fields TEXT NOT NULL,
			expires_at {{time}} NOT NULL)`,
		`CREATE INDEX guest_drafts_expires ON guest_drafts (expires_at)`,
	},
	Down: []string{`DROP TABLE guest_drafts`},
}}

// Migrate applies Migrations to db.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}

// Draft is a form a guest filled in: Target is the local path it posts to
// ("/p/12-taman/comments"), Back the page it was on, Fields its values.
type Draft struct {
	bun.BaseModel `bun:"table:guest_drafts"`

	TokenHash string            `bun:"token_hash,pk"`
	Target    string            `bun:"target,notnull"`
	Back      string            `bun:"back,notnull"`
	Fields    map[string]string `bun:"fields,notnull,type:text"`
	ExpiresAt time.Time         `bun:"expires_at,notnull"`
}

// Save stores d until now+TTL and returns its token (43 characters,
// base64url), purging expired drafts on the way. The caller checks Target.
func Save(ctx context.Context, db bun.IDB, d *Draft, now time.Time) (string, error) {
	if _, err := db.NewDelete().Model((*Draft)(nil)).Where("expires_at <= ?", now).Exec(ctx); err != nil {
		return "", errs.Internalf("purge drafts: %w", err)
	}
	tok := forum.NewToken()
	d.TokenHash, d.ExpiresAt = forum.HashToken(tok), now.Add(TTL)
	if _, err := db.NewInsert().Model(d).Exec(ctx); err != nil {
		return "", errs.Internalf("save draft: %w", err)
	}
	return tok, nil
}

// Load returns the live draft of token, or errs.ErrNotFound.
func Load(ctx context.Context, db bun.IDB, token string, now time.Time) (*Draft, error) {
	d := new(Draft)
	err := db.NewSelect().Model(d).Where("token_hash = ? AND expires_at > ?", forum.HashToken(token), now).Limit(1).Scan(ctx)
	if err != nil {
		return nil, errs.ErrNotFound
	}
	return d, nil
}
