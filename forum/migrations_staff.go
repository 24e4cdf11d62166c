package forum

import "github.com/rembug/rembug/forum/storage"

// staffMigrations add analysts named for one consultation (they read its
// reports, exports and moderation queue without a global staff role, as
// consultation_moderators do for moderation) and the rule that lets
// participants submit statements (Rules.ParticipantStatements).
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
	{
		Name: "20261202145713", Comment: "rules_participant_statements",
		Up:   []string{`ALTER TABLE consultation_rules ADD COLUMN participant_statements BOOLEAN NOT NULL DEFAULT FALSE`},
		Down: []string{`ALTER TABLE consultation_rules DROP COLUMN participant_statements`},
	},
}
