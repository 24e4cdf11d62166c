package forum

import "github.com/rembug/rembug/forum/storage"

// staffMigrations add analysts named for one consultation: they read its
// reports, exports and moderation queue without a global staff role, as
// consultation_moderators do for moderation.
var staffMigrations = []storage.Migration{
	{
		Name: "20261202123500", Comment: "create_consultation_analysts",
		Up: []string{
			`CREATE TABLE consultation_analysts (
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				PRIMARY KEY (consultation_id, user_id))`,
			`CREATE INDEX consultation_analysts_user ON consultation_analysts (user_id)`,
		},
		Down: []string{`DROP TABLE consultation_analysts`},
	},
}
