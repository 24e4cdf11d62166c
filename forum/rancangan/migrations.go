package rancangan

import (
	"context"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
	"github.com/uptrace/bun"
)

// MigrationSet names the package's migrations in the database.
const MigrationSet = "rancangan"

// Migrations are the draft-regulation tables' schema steps, oldest first.
// Never edit a released step; add a new one. They reference forum's
// consultations, focus groups, participants and users, so they run after
// forum's, and search's outbox, which their triggers write to.
var Migrations = []storage.Migration{
	{
		Name: "20261202150000", Comment: "create_draft_texts",
		Up: []string{
			`CREATE TABLE draft_texts (
				id {{id}},
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				focus_group_id BIGINT NOT NULL,
				title TEXT NOT NULL,
				current_version INTEGER NOT NULL,
				created_at {{time}} NOT NULL,
				updated_at {{time}} NOT NULL)`,
			`CREATE INDEX draft_texts_consultation ON draft_texts (consultation_id, id)`,
			`CREATE TABLE draft_versions (
				id {{id}},
				draft_id BIGINT NOT NULL REFERENCES draft_texts (id) ON DELETE CASCADE,
				number INTEGER NOT NULL,
				source TEXT NOT NULL,
				note TEXT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX draft_versions_number ON draft_versions (draft_id, number)`,
			`CREATE TABLE draft_units (
				id {{id}},
				draft_id BIGINT NOT NULL REFERENCES draft_texts (id) ON DELETE CASCADE,
				version INTEGER NOT NULL,
				seq INTEGER NOT NULL,
				anchor VARCHAR(120) NOT NULL,
				kind VARCHAR(30) NOT NULL,
				number VARCHAR(40) NOT NULL,
				heading TEXT NOT NULL,
				body TEXT NOT NULL,
				parent VARCHAR(120) NOT NULL,
				current BOOLEAN NOT NULL)`,
			`CREATE UNIQUE INDEX draft_units_anchor ON draft_units (draft_id, version, anchor)`,
			`CREATE TABLE draft_inputs (
				id {{id}},
				draft_id BIGINT NOT NULL REFERENCES draft_texts (id) ON DELETE CASCADE,
				consultation_id BIGINT NOT NULL,
				focus_group_id BIGINT NOT NULL,
				version INTEGER NOT NULL,
				anchor VARCHAR(120) NOT NULL,
				author_id BIGINT NOT NULL REFERENCES participants (id),
				stance VARCHAR(20) NOT NULL,
				body TEXT NOT NULL,
				amendment TEXT NOT NULL,
				state VARCHAR(20) NOT NULL,
				supports INTEGER NOT NULL,
				decision VARCHAR(30) NOT NULL,
				reason TEXT NOT NULL,
				effective_version INTEGER NOT NULL,
				answered_by BIGINT NOT NULL,
				answered_at {{time}},
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX draft_inputs_draft ON draft_inputs (draft_id, id)`,
			`CREATE INDEX draft_inputs_anchor ON draft_inputs (draft_id, anchor, id)`,
			`CREATE INDEX draft_inputs_author ON draft_inputs (author_id, id)`,
			`CREATE TABLE draft_input_supports (
				input_id BIGINT NOT NULL REFERENCES draft_inputs (id) ON DELETE CASCADE,
				participant_id BIGINT NOT NULL REFERENCES participants (id),
				created_at {{time}} NOT NULL,
				PRIMARY KEY (input_id, participant_id))`,
			`CREATE TABLE draft_notices (
				id {{id}},
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				input_id BIGINT NOT NULL REFERENCES draft_inputs (id) ON DELETE CASCADE,
				created_at {{time}} NOT NULL,
				read_at {{time}})`,
			`CREATE INDEX draft_notices_user ON draft_notices (user_id, id)`,
		},
		Down: []string{`DROP TABLE draft_notices`, `DROP TABLE draft_input_supports`, `DROP TABLE draft_inputs`,
			`DROP TABLE draft_units`, `DROP TABLE draft_versions`, `DROP TABLE draft_texts`},
	},
	searchMigration,
	{
		// An input's place in the matrix is its unit's place in the
		// current version, kept on the row (AddInput, AddVersion) so the
		// matrix pages through an index instead of sorting every input.
		Name: "20261202153000", Comment: "draft_inputs_seq",
		Up: []string{
			`ALTER TABLE draft_inputs ADD COLUMN seq INTEGER NOT NULL DEFAULT 0`,
			`UPDATE draft_inputs SET seq = COALESCE((SELECT u.seq FROM draft_units u
				WHERE u.draft_id = draft_inputs.draft_id AND u.current = TRUE AND u.anchor = draft_inputs.anchor), 1000000)`,
			`CREATE INDEX draft_inputs_seq ON draft_inputs (draft_id, seq, id)`,
		},
		Down: []string{`DROP INDEX draft_inputs_seq`, `ALTER TABLE draft_inputs DROP COLUMN seq`},
	},
	{
		// The matrix's counts (MatrixCount) and the report's counts by
		// unit, stance and decision read this index alone instead of
		// every input's row.
		Name: "20261203074500", Comment: "draft_inputs_counts",
		Up:   []string{`CREATE INDEX draft_inputs_counts ON draft_inputs (draft_id, state, author_id, anchor, stance, decision)`},
		Down: []string{`DROP INDEX draft_inputs_counts`},
	},
	{
		// Reports of a draft input (forum.Flag) may hide it pending
		// review; the reason says so, as for comments.
		Name: "20261203081500", Comment: "draft_inputs_state_reason",
		Up:   []string{`ALTER TABLE draft_inputs ADD COLUMN state_reason TEXT NOT NULL DEFAULT ''`},
		Down: []string{`ALTER TABLE draft_inputs DROP COLUMN state_reason`},
	},
	{
		// The Pasal a new version renumbered (PasalMoves), so that links
		// made for an earlier version reach the same article.
		Name: "20261203083000", Comment: "draft_anchor_moves",
		Up: []string{`CREATE TABLE draft_anchor_moves (
				draft_id BIGINT NOT NULL REFERENCES draft_texts (id) ON DELETE CASCADE,
				version INTEGER NOT NULL,
				old_anchor VARCHAR(120) NOT NULL,
				new_anchor VARCHAR(120) NOT NULL,
				PRIMARY KEY (draft_id, version, old_anchor))`},
		Down: []string{`DROP TABLE draft_anchor_moves`},
	},
}

// searchMigration creates the outbox triggers on units and inputs: a new
// version (units made current or not), an input written, hidden, answered
// or supported enqueues its document in the writing transaction.
var searchMigration = func() storage.Migration {
	m := storage.Migration{Name: "20261202150100", Comment: "search_outbox_triggers_drafts"}
	for _, t := range []search.Trigger{
		{Table: "draft_units", Kind: KindUnitDoc, Columns: []string{"heading", "body", "current"}},
		{Table: "draft_inputs", Kind: KindInputDoc, Columns: []string{"body", "amendment", "state", "supports", "decision"}},
		{Table: "draft_texts", Kind: KindDraftChange, Columns: []string{"title", "focus_group_id", "current_version"}},
	} {
		up, down := search.Triggers(t)
		m.Up = append(m.Up, up...)
		m.Down = append(m.Down, down...)
	}
	return m
}()

// Migrate applies the package's unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}
