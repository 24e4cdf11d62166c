package evaluation

import (
	"context"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Migrations are the evaluation tables' schema steps, oldest first.
var Migrations = []storage.Migration{
	{
		Name: "20261202150000", Comment: "create_evaluation_tables",
		Up: []string{
			`CREATE TABLE evaluation_cycles (
				id {{id}},
				name VARCHAR(200) NOT NULL,
				from_at {{time}} NOT NULL,
				to_at {{time}} NOT NULL,
				plan TEXT NOT NULL,
				targets TEXT NOT NULL,
				status VARCHAR(20) NOT NULL,
				snapshot TEXT,
				closed_at {{time}},
				published_at {{time}},
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX evaluation_cycles_to ON evaluation_cycles (to_at)`,
			`CREATE TABLE evaluation_findings (
				id {{id}},
				cycle_id BIGINT NOT NULL REFERENCES evaluation_cycles (id),
				section VARCHAR(40) NOT NULL,
				body TEXT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX evaluation_findings_cycle ON evaluation_findings (cycle_id)`,
			`CREATE TABLE evaluation_recommendations (
				id {{id}},
				cycle_id BIGINT NOT NULL REFERENCES evaluation_cycles (id),
				body TEXT NOT NULL,
				owner VARCHAR(200) NOT NULL,
				due VARCHAR(10) NOT NULL,
				status VARCHAR(20) NOT NULL,
				reason TEXT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL,
				updated_at {{time}} NOT NULL)`,
			`CREATE INDEX evaluation_recommendations_cycle ON evaluation_recommendations (cycle_id)`,
			`CREATE TABLE evaluation_updates (
				id {{id}},
				recommendation_id BIGINT NOT NULL REFERENCES evaluation_recommendations (id),
				status VARCHAR(20) NOT NULL,
				note TEXT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX evaluation_updates_recommendation ON evaluation_updates (recommendation_id)`,
		},
		Down: []string{`DROP TABLE evaluation_updates`, `DROP TABLE evaluation_recommendations`,
			`DROP TABLE evaluation_findings`, `DROP TABLE evaluation_cycles`},
	},
	{
		// A recommendation's owner becomes a link to the agency record
		// (complaint_agencies) instead of free text. Existing owners that
		// name an agency (case and surrounding spaces aside) are linked; the
		// others keep their text, shown as written. owner stays the name as
		// it was when last saved. evaluation_reminders records each reminder
		// sent, once per recommendation, due date and kind.
		Name: "20261203070000", Comment: "recommendation_owner_agency_and_reminders",
		Up: []string{
			`ALTER TABLE evaluation_recommendations ADD COLUMN owner_agency_id BIGINT`,
			`UPDATE evaluation_recommendations SET owner_agency_id = (SELECT MIN(a.id) FROM complaint_agencies a
				WHERE LOWER(TRIM(a.name)) = LOWER(TRIM(evaluation_recommendations.owner)))`,
			`CREATE INDEX evaluation_recommendations_due ON evaluation_recommendations (status, due)`,
			`CREATE TABLE evaluation_reminders (
				id {{id}},
				recommendation_id BIGINT NOT NULL REFERENCES evaluation_recommendations (id),
				user_id BIGINT NOT NULL,
				kind VARCHAR(20) NOT NULL,
				due VARCHAR(10) NOT NULL,
				created_at {{time}} NOT NULL,
				read_at {{time}})`,
			`CREATE UNIQUE INDEX evaluation_reminders_once ON evaluation_reminders (recommendation_id, kind, due, user_id)`,
			`CREATE INDEX evaluation_reminders_user ON evaluation_reminders (user_id, id)`,
		},
		Down: []string{`DROP TABLE evaluation_reminders`, `DROP INDEX evaluation_recommendations_due`,
			`ALTER TABLE evaluation_recommendations DROP COLUMN owner_agency_id`},
	},
	{
		// A cycle's data-collection instruments: linked IKM surveys and
		// satisfaction surveys, whose result is frozen in result when the
		// cycle closes, and interview notes with their files.
		Name: "20261204100000", Comment: "evaluation_instruments",
		Up: []string{
			`CREATE TABLE evaluation_instruments (
				id {{id}},
				cycle_id BIGINT NOT NULL REFERENCES evaluation_cycles (id),
				kind VARCHAR(20) NOT NULL,
				ref_id BIGINT NOT NULL,
				period VARCHAR(10) NOT NULL,
				title VARCHAR(200) NOT NULL,
				held_on VARCHAR(10) NOT NULL,
				notes TEXT NOT NULL,
				result TEXT,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX evaluation_instruments_cycle ON evaluation_instruments (cycle_id)`,
			`CREATE TABLE evaluation_files (
				id {{id}},
				instrument_id BIGINT NOT NULL REFERENCES evaluation_instruments (id),
				name VARCHAR(300) NOT NULL,
				content_type VARCHAR(100) NOT NULL,
				size BIGINT NOT NULL,
				sha256 VARCHAR(64) NOT NULL,
				created_at {{time}} NOT NULL,
				data {{blob}})`,
			`CREATE INDEX evaluation_files_instrument ON evaluation_files (instrument_id)`,
		},
		Down: []string{`DROP TABLE evaluation_files`, `DROP TABLE evaluation_instruments`},
	},
}

// Migrate applies the evaluation tables' unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, "evaluation", Migrations)
}
