package meeting

import (
	"context"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// MigrationSet names the package's migrations in the database.
const MigrationSet = "meeting"

// Migrations are the meeting tables' schema steps, oldest first. Never
// edit a released step; add a new one. They reference forum's
// consultations and participants, so they run after forum's.
var Migrations = []storage.Migration{
	{
		Name: "20261202160000", Comment: "create_meetings",
		Up: []string{
			`CREATE TABLE meetings (
				id {{id}},
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				focus_group_id BIGINT NOT NULL,
				title TEXT NOT NULL,
				kind VARCHAR(30) NOT NULL,
				mode VARCHAR(20) NOT NULL,
				place TEXT NOT NULL,
				online_url TEXT NOT NULL,
				starts_at {{time}} NOT NULL,
				ends_at {{time}} NOT NULL,
				capacity INTEGER NOT NULL,
				taken INTEGER NOT NULL,
				accessibility TEXT NOT NULL,
				agenda TEXT NOT NULL,
				minutes TEXT NOT NULL,
				minutes_at {{time}},
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL,
				updated_at {{time}} NOT NULL)`,
			`CREATE INDEX meetings_consultation ON meetings (consultation_id, starts_at)`,
			`CREATE TABLE meeting_registrations (
				id {{id}},
				meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
				participant_id BIGINT NOT NULL REFERENCES participants (id),
				status VARCHAR(20) NOT NULL,
				attended BOOLEAN NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX meeting_registrations_once ON meeting_registrations (meeting_id, participant_id)`,
		},
		Down: []string{`DROP TABLE meeting_registrations`, `DROP TABLE meetings`},
	},
	{
		// item_id has no foreign key: it names a proposal or a statement
		// by kind, and statements' table comes with polls, migrated later.
		Name: "20261203173000", Comment: "create_meeting_outcomes",
		Up: []string{
			`CREATE TABLE meeting_outcomes (
				id {{id}},
				meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
				kind VARCHAR(20) NOT NULL,
				item_id BIGINT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX meeting_outcomes_once ON meeting_outcomes (meeting_id, kind, item_id)`,
			`CREATE INDEX meeting_outcomes_item ON meeting_outcomes (kind, item_id)`,
		},
		Down: []string{`DROP TABLE meeting_outcomes`},
	},
}

// Migrate applies the package's unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}
