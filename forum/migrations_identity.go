package forum

import "github.com/rembug/rembug/forum/storage"

// identityMigrations are the steps of sign-in throttling and of removals
// that outlive accounts.
var identityMigrations = []storage.Migration{
	{
		// One row per (email, client address) pair that failed a password
		// sign-in: the pair's key is a hash, so the table holds no email.
		Name: "20261202113000", Comment: "create_password_throttle",
		Up: []string{
			`CREATE TABLE password_throttle (
				pair_hash VARCHAR(64) PRIMARY KEY,
				failures INTEGER NOT NULL,
				next_at {{time}} NOT NULL)`,
		},
		Down: []string{`DROP TABLE password_throttle`},
	},
	{
		// Removals from focus groups per verified identity (keyed hashes,
		// removal.go), so that they outlive a deleted account; invitations
		// sent to one address are used once.
		Name: "20261202120500", Comment: "create_focus_group_removals",
		Up: []string{
			`CREATE TABLE focus_group_removals (
				focus_group_id BIGINT NOT NULL REFERENCES focus_groups (id) ON DELETE CASCADE,
				identity_hash VARCHAR(64) NOT NULL,
				created_at {{time}} NOT NULL,
				PRIMARY KEY (focus_group_id, identity_hash))`,
			`ALTER TABLE focus_group_invites ADD COLUMN used_at {{time}}`,
		},
		Down: []string{`ALTER TABLE focus_group_invites DROP COLUMN used_at`, `DROP TABLE focus_group_removals`},
	},
	{
		// Moderators can end an invitation link before it expires.
		Name: "20261202150000", Comment: "add_focus_group_invites_revoked_at",
		Up:   []string{`ALTER TABLE focus_group_invites ADD COLUMN revoked_at {{time}}`},
		Down: []string{`ALTER TABLE focus_group_invites DROP COLUMN revoked_at`},
	},
}
