package polls

import (
	"context"

	"github.com/rembug/rembug/search"

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
	{
		// Counters kept in the vote's transaction, so that pages and the API
		// read a consultation's totals without scanning its votes.
		Name: "20261129000210", Comment: "statement_counters_voters",
		Up: []string{
			`ALTER TABLE statements ADD COLUMN agree_count INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE statements ADD COLUMN disagree_count INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE statements ADD COLUMN pass_count INTEGER NOT NULL DEFAULT 0`,
			`UPDATE statements SET
				agree_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = 1),
				disagree_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = -1),
				pass_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = 0)`,
			`CREATE TABLE consultation_voters (
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
				visible_votes INTEGER NOT NULL,
				PRIMARY KEY (consultation_id, participant_id))`,
			`INSERT INTO consultation_voters (consultation_id, participant_id, visible_votes)
				SELECT s.consultation_id, v.participant_id, COUNT(*) FROM statement_votes v
				JOIN statements s ON s.id = v.statement_id WHERE s.hidden = FALSE
				GROUP BY s.consultation_id, v.participant_id`,
		},
		Down: []string{
			`DROP TABLE consultation_voters`,
			`ALTER TABLE statements DROP COLUMN pass_count`,
			`ALTER TABLE statements DROP COLUMN disagree_count`,
			`ALTER TABLE statements DROP COLUMN agree_count`,
		},
	},
	surveyMigration,     // survey_store.go
	ikmMigration,        // ikm_store.go
	ikmLabelsMigration,  // ikm_labels.go
	searchMigration,     // search.go
	poolMigration,       // response_pool.go
	originMigration,     // statement_seed.go
	moderationMigration, // statement_submit.go
	ikmLabelWidthMigration,
	liveStateMigration,   // live_state.go
	ikmAssistedMigration, // ikm_store.go
}

// ikmLabelWidthMigration widens the IKM profile columns to
// ikm.MaxProfileLabelRunes characters, so that an office's own printed
// label ("Pegawai Swasta / Karyawan BUMN / BUMD") is kept as given. SQLite
// does not enforce a VARCHAR length.
var ikmLabelWidthMigration = storage.Migration{
	Name: "20261202153500", Comment: "widen_ikm_profile_labels",
	Up: []string{`{{postgres}} ALTER TABLE ikm_responses ALTER COLUMN age_band TYPE VARCHAR(100),
		ALTER COLUMN sex TYPE VARCHAR(100), ALTER COLUMN education TYPE VARCHAR(100), ALTER COLUMN occupation TYPE VARCHAR(100)`},
	Down: []string{},
}

// Migrate applies polls' unapplied migrations, after search's (the
// statements trigger writes to the search outbox).
func Migrate(ctx context.Context, db *bun.DB) error {
	if err := search.Migrate(ctx, db); err != nil {
		return err
	}
	return storage.Migrate(ctx, db, "polls", Migrations)
}
