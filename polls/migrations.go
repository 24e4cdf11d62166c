package polls

import (
	"context"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Migrations are polls' schema steps, oldest first. They reference forum's
// tables, so forum migrates first.
var Migrations = []storage.Migration{
	{
		Name: "20261129000200", Comment: "create_statements_votes",
		Up: []string{
			`CREATE TABLE statements (
				id {{id}},
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				source_key VARCHAR(100) NOT NULL,
				author_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
				text TEXT NOT NULL,
				hidden BOOLEAN NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX statements_source ON statements (consultation_id, source_key) WHERE source_key <> ''`,
			`CREATE INDEX statements_consultation ON statements (consultation_id, hidden, created_at)`,
			`CREATE TABLE statement_votes (
				statement_id BIGINT NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
				participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
				value SMALLINT NOT NULL CHECK (value IN (-1, 0, 1)),
				voted_at {{time}} NOT NULL,
				PRIMARY KEY (statement_id, participant_id))`,
			`CREATE INDEX statement_votes_participant ON statement_votes (participant_id)`,
		},
		Down: []string{`DROP TABLE statement_votes`, `DROP TABLE statements`},
	},
}

// Migrate applies polls' unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, "polls", Migrations)
}
