package forum

import "github.com/rembug/rembug/forum/storage"

// accountMigration adds what signing in needs beside users and sessions:
// identities at sign-in providers, staff passwords, one-time sign-in links,
// pending social sign-ins (state), attempt counters for rate limits, and the
// profile answers a user chose to give with the consents that allow them.
var accountMigration = storage.Migration{
	Name: "20261129010000", Comment: "create_identities_passwords_consents",
	Up: []string{
		`CREATE TABLE identities (
			id {{id}},
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			provider VARCHAR(64) NOT NULL,
			subject VARCHAR(255) NOT NULL,
			email VARCHAR(320) NOT NULL,
			created_at {{time}} NOT NULL,
			used_at {{time}} NOT NULL)`,
		`CREATE UNIQUE INDEX identities_subject ON identities (provider, subject)`,
		`CREATE UNIQUE INDEX identities_user_provider ON identities (user_id, provider)`,
		`CREATE TABLE user_passwords (
			user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
			hash TEXT NOT NULL,
			updated_at {{time}} NOT NULL)`,
		`CREATE TABLE signin_links (
			token_hash VARCHAR(64) PRIMARY KEY,
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL)`,
		`CREATE INDEX signin_links_expires ON signin_links (expires_at)`,
		`CREATE TABLE login_states (
			state_hash VARCHAR(64) PRIMARY KEY,
			browser_hash VARCHAR(64) NOT NULL,
			provider VARCHAR(64) NOT NULL,
			verifier VARCHAR(128) NOT NULL,
			nonce VARCHAR(128) NOT NULL,
			link_user_id BIGINT,
			return_to TEXT NOT NULL,
			expires_at {{time}} NOT NULL)`,
		`CREATE INDEX login_states_expires ON login_states (expires_at)`,
		`CREATE TABLE login_attempts (
			bucket VARCHAR(400) PRIMARY KEY,
			window_start {{time}} NOT NULL,
			attempts INTEGER NOT NULL)`,
		`CREATE TABLE consents (
			id {{id}},
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			purpose VARCHAR(64) NOT NULL,
			granted_at {{time}} NOT NULL,
			withdrawn_at {{time}})`,
		`CREATE INDEX consents_user ON consents (user_id, purpose)`,
		`CREATE TABLE profile_answers (
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			question VARCHAR(64) NOT NULL,
			answer VARCHAR(200) NOT NULL,
			updated_at {{time}} NOT NULL,
			PRIMARY KEY (user_id, question))`,
	},
	Down: []string{
		`DROP TABLE profile_answers`, `DROP TABLE consents`, `DROP TABLE login_attempts`,
		`DROP TABLE login_states`, `DROP TABLE signin_links`, `DROP TABLE user_passwords`, `DROP TABLE identities`,
	},
}
