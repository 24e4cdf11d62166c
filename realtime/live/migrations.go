package live

import (
	"context"

	"github.com/rembug/rembug/search"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Migrations are the live sessions' schema steps, oldest first. They
// reference forum's tables, so forum migrates first.
var Migrations = []storage.Migration{
	{
		Name: "20261129050100", Comment: "create_live_sessions_questions",
		Up: []string{
			`CREATE TABLE live_sessions (
				id {{id}},
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				focus_group_id BIGINT,
				code VARCHAR(16) NOT NULL,
				title TEXT NOT NULL,
				allow_guests BOOLEAN NOT NULL,
				allow_anonymous BOOLEAN NOT NULL,
				premoderate BOOLEAN NOT NULL,
				questions_per_minute INTEGER NOT NULL,
				open BOOLEAN NOT NULL,
				stage_question_id BIGINT,
				version BIGINT NOT NULL,
				created_at {{time}} NOT NULL,
				updated_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX live_sessions_code ON live_sessions (code)`,
			`CREATE INDEX live_sessions_consultation ON live_sessions (consultation_id)`,
			`CREATE TABLE live_questions (
				id {{id}},
				session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
				participant_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
				author_name VARCHAR(80) NOT NULL,
				text TEXT NOT NULL,
				status VARCHAR(16) NOT NULL,
				answered BOOLEAN NOT NULL,
				merged_into BIGINT,
				upvotes INTEGER NOT NULL,
				version BIGINT NOT NULL,
				created_at {{time}} NOT NULL,
				updated_at {{time}} NOT NULL)`,
			`CREATE INDEX live_questions_session ON live_questions (session_id, status)`,
			`CREATE INDEX live_questions_author ON live_questions (session_id, participant_id, created_at)`,
			`CREATE TABLE live_upvotes (
				question_id BIGINT NOT NULL REFERENCES live_questions (id) ON DELETE CASCADE,
				participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
				created_at {{time}} NOT NULL,
				PRIMARY KEY (question_id, participant_id))`,
			`CREATE INDEX live_upvotes_participant ON live_upvotes (participant_id)`,
		},
		Down: []string{`DROP TABLE live_upvotes`, `DROP TABLE live_questions`, `DROP TABLE live_sessions`},
	},
	{
		Name: "20261129050200", Comment: "create_live_polls",
		Up: []string{
			`CREATE TABLE live_polls (
				id {{id}},
				session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
				kind VARCHAR(16) NOT NULL,
				question TEXT NOT NULL,
				options TEXT NOT NULL,
				state VARCHAR(16) NOT NULL,
				shown BOOLEAN NOT NULL,
				answers INTEGER NOT NULL,
				version BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX live_polls_session ON live_polls (session_id)`,
			`CREATE TABLE live_poll_answers (
				poll_id BIGINT NOT NULL REFERENCES live_polls (id) ON DELETE CASCADE,
				participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
				answer TEXT NOT NULL,
				answered_at {{time}} NOT NULL,
				PRIMARY KEY (poll_id, participant_id))`,
		},
		Down: []string{`DROP TABLE live_poll_answers`, `DROP TABLE live_polls`},
	},
	searchMigration, // search.go
	{
		// An anonymous question keeps its participant (for the rate limit and
		// moderation) but must not carry the asker's pseudonym in a record.
		Name: "20261202120100", Comment: "live_questions_anonymous",
		Up: []string{
			`ALTER TABLE live_questions ADD COLUMN anonymous BOOLEAN NOT NULL DEFAULT FALSE`,
			`UPDATE live_questions SET anonymous = TRUE WHERE author_name = '' AND session_id IN
				(SELECT id FROM live_sessions WHERE allow_anonymous)`,
		},
		Down: []string{`ALTER TABLE live_questions DROP COLUMN anonymous`},
	},
	{
		// When a question was marked answered, for the response-time
		// indicator (polls/indicators).
		Name: "20261202153900", Comment: "live_questions_answered_at",
		Up:   []string{`ALTER TABLE live_questions ADD COLUMN answered_at {{time}}`},
		Down: []string{`ALTER TABLE live_questions DROP COLUMN answered_at`},
	},
}

// Migrate applies live's pending migrations (set "live"), after search's
// (live's triggers write to the search outbox).
func Migrate(ctx context.Context, db *bun.DB) error {
	if err := search.Migrate(ctx, db); err != nil {
		return err
	}
	return storage.Migrate(ctx, db, "live", Migrations)
}
