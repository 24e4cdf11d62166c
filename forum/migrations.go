package forum

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
)

// Migrations are forum's schema steps, oldest first. Never edit a released
// step; add a new one. The steps of proposals, comments and moderation
// live in migrations_participation.go.
var Migrations = append([]storage.Migration{
	{
		Name: "20261129000100", Comment: "create_consultations_participants",
		Up: []string{
			`CREATE TABLE consultations (
				id {{id}},
				slug VARCHAR(200) NOT NULL,
				title TEXT NOT NULL,
				description TEXT NOT NULL,
				status VARCHAR(20) NOT NULL,
				source VARCHAR(40) NOT NULL,
				source_key VARCHAR(200) NOT NULL,
				source_url TEXT NOT NULL,
				created_at {{time}} NOT NULL,
				updated_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX consultations_slug ON consultations (slug)`,
			`CREATE UNIQUE INDEX consultations_source ON consultations (source, source_key) WHERE source <> ''`,
			`CREATE TABLE participants (
				id {{id}},
				public_id VARCHAR(32) NOT NULL,
				kind VARCHAR(20) NOT NULL,
				source VARCHAR(100) NOT NULL,
				source_key VARCHAR(200) NOT NULL,
				display_name TEXT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX participants_public_id ON participants (public_id)`,
			`CREATE UNIQUE INDEX participants_source ON participants (source, source_key)`,
			`CREATE TABLE settings (
				name VARCHAR(100) PRIMARY KEY,
				value TEXT NOT NULL)`,
		},
		Down: []string{`DROP TABLE settings`, `DROP TABLE participants`, `DROP TABLE consultations`},
	},
	{
		Name: "20261129000110", Comment: "create_users_sessions",
		Up: []string{
			`CREATE TABLE users (
				id {{id}},
				email VARCHAR(320),
				display_name TEXT NOT NULL,
				role VARCHAR(20) NOT NULL,
				lang VARCHAR(10) NOT NULL,
				time_zone VARCHAR(64) NOT NULL,
				created_at {{time}} NOT NULL,
				deleted_at {{time}})`,
			`CREATE UNIQUE INDEX users_email ON users (email) WHERE email IS NOT NULL`,
			`CREATE TABLE sessions (
				token_hash VARCHAR(64) PRIMARY KEY,
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				created_at {{time}} NOT NULL,
				expires_at {{time}} NOT NULL)`,
			`CREATE INDEX sessions_user ON sessions (user_id)`,
		},
		Down: []string{`DROP TABLE sessions`, `DROP TABLE users`},
	},
	{
		Name: "20261129030000", Comment: "consultations_report_published",
		Up:   []string{`ALTER TABLE consultations ADD COLUMN report_published BOOLEAN NOT NULL DEFAULT FALSE`},
		Down: []string{`ALTER TABLE consultations DROP COLUMN report_published`},
	},
	accountMigration, // migrations_account.go
}, slices.Concat(participationMigrations, laterMigrations, fileMigrations, accessMigrations, []storage.Migration{searchMigration}, identityMigrations, staffMigrations, brandingMigrations, cleanupMigrations, guideMigrations)...) // migrations_later.go, migrations_files.go, migrations_access.go, search.go, migrations_identity.go, migrations_staff.go, migrations_branding.go, migrations_cleanup.go, guide.go

// Migrate applies forum's unapplied migrations, after search's (forum's
// triggers write to the search outbox).
func Migrate(ctx context.Context, db *bun.DB) error {
	if err := search.Migrate(ctx, db); err != nil {
		return err
	}
	return storage.Migrate(ctx, db, "forum", Migrations)
}
