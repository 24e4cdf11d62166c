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
}
