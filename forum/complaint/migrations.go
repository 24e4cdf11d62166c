package complaint

import (
	"context"
	"fmt"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
	"github.com/uptrace/bun"
)

// Migrations are the complaint tables' schema steps, oldest first. Never
// edit a released step; add a new one. They reference forum's users table,
// so they run after forum's.
var Migrations = []storage.Migration{
	{
		Name: "20261202000100", Comment: "create_complaint_directory",
		Up: []string{
			`CREATE TABLE complaint_agencies (
				id {{id}},
				name VARCHAR(300) NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX complaint_agencies_name ON complaint_agencies (name)`,
			`CREATE TABLE complaint_topics (
				id {{id}},
				name VARCHAR(300) NOT NULL,
				triage_days INTEGER NOT NULL,
				response_days INTEGER NOT NULL,
				resolution_days INTEGER NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX complaint_topics_name ON complaint_topics (name)`,
			`CREATE TABLE complaint_areas (
				id {{id}},
				kecamatan VARCHAR(200) NOT NULL,
				kelurahan VARCHAR(200) NOT NULL)`,
			`CREATE UNIQUE INDEX complaint_areas_name ON complaint_areas (kecamatan, kelurahan)`,
			`CREATE TABLE complaint_officers (
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				agency_id BIGINT NOT NULL REFERENCES complaint_agencies (id) ON DELETE CASCADE,
				PRIMARY KEY (user_id, agency_id))`,
			`CREATE TABLE complaint_counters (
				year INTEGER PRIMARY KEY,
				last BIGINT NOT NULL)`,
			`CREATE TABLE complaint_holidays (
				day VARCHAR(10) PRIMARY KEY,
				name TEXT NOT NULL)`,
			`CREATE TABLE complaint_canned (
				id {{id}},
				agency_id BIGINT REFERENCES complaint_agencies (id) ON DELETE CASCADE,
				title TEXT NOT NULL,
				body TEXT NOT NULL,
				created_at {{time}} NOT NULL)`,
		},
		Down: []string{`DROP TABLE complaint_canned`, `DROP TABLE complaint_holidays`, `DROP TABLE complaint_counters`,
			`DROP TABLE complaint_officers`, `DROP TABLE complaint_areas`, `DROP TABLE complaint_topics`, `DROP TABLE complaint_agencies`},
	},
	{
		Name: "20261202000110", Comment: "create_complaints",
		Up: []string{
			`CREATE TABLE complaints (
				id {{id}},
				number VARCHAR(20) NOT NULL,
				status VARCHAR(20) NOT NULL,
				channel VARCHAR(20) NOT NULL,
				idem_key VARCHAR(200),
				body TEXT NOT NULL,
				topic_id BIGINT REFERENCES complaint_topics (id),
				area_id BIGINT REFERENCES complaint_areas (id),
				latitude DOUBLE PRECISION,
				longitude DOUBLE PRECISION,
				public BOOLEAN NOT NULL,
				confidential BOOLEAN NOT NULL,
				complex BOOLEAN NOT NULL,
				reporter_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
				reporter_name TEXT NOT NULL,
				reporter_phone VARCHAR(40) NOT NULL,
				reporter_email VARCHAR(320) NOT NULL,
				secret_hash VARCHAR(64) NOT NULL,
				lapor_id VARCHAR(60) NOT NULL,
				response_bucket VARCHAR(60) NOT NULL,
				assignee_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
				merged_into_id BIGINT REFERENCES complaints (id),
				reject_reason VARCHAR(40) NOT NULL,
				reopen_count INTEGER NOT NULL,
				rating INTEGER NOT NULL,
				rating_comment TEXT NOT NULL,
				received_at {{time}} NOT NULL,
				routed_at {{time}},
				first_response_at {{time}},
				answered_at {{time}},
				closed_at {{time}},
				paused_at {{time}},
				paused_ns BIGINT NOT NULL,
				warned_stage VARCHAR(20) NOT NULL,
				escalated_stage VARCHAR(20) NOT NULL,
				erased_at {{time}},
				updated_at {{time}} NOT NULL)`,
			`CREATE UNIQUE INDEX complaints_number ON complaints (number)`,
			`CREATE UNIQUE INDEX complaints_idem ON complaints (channel, idem_key) WHERE idem_key IS NOT NULL`,
			`CREATE INDEX complaints_received ON complaints (received_at, id)`,
			`CREATE INDEX complaints_status ON complaints (status, id)`,
			`CREATE TABLE complaint_routes (
				complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
				agency_id BIGINT NOT NULL REFERENCES complaint_agencies (id),
				routed_at {{time}} NOT NULL,
				PRIMARY KEY (complaint_id, agency_id))`,
			`CREATE INDEX complaint_routes_agency ON complaint_routes (agency_id, complaint_id)`,
			`CREATE TABLE complaint_events (
				id {{id}},
				complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
				kind VARCHAR(30) NOT NULL,
				actor_user_id BIGINT NOT NULL,
				agency_id BIGINT NOT NULL,
				body TEXT NOT NULL,
				internal BOOLEAN NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id)`,
			`CREATE TABLE complaint_outbox (
				id {{id}},
				complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
				kind VARCHAR(30) NOT NULL,
				channel VARCHAR(20) NOT NULL,
				payload {{json}} NOT NULL,
				attempts INTEGER NOT NULL,
				next_at {{time}} NOT NULL,
				sent_at {{time}},
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX complaint_outbox_due ON complaint_outbox (sent_at, next_at)`,
		},
		Down: []string{`DROP TABLE complaint_outbox`, `DROP TABLE complaint_events`, `DROP TABLE complaint_routes`, `DROP TABLE complaints`},
	},
	{
		// Officers move to forum's agency_officers, which the access rule
		// reads with the rest of a viewer's rights (forum.LoadViewer).
		Name: "20261202110000", Comment: "officers_to_agency_officers",
		Up: []string{
			`INSERT INTO agency_officers (user_id, agency_id) SELECT user_id, agency_id FROM complaint_officers`,
			`DROP TABLE complaint_officers`,
		},
		Down: []string{
			`CREATE TABLE complaint_officers (
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				agency_id BIGINT NOT NULL REFERENCES complaint_agencies (id) ON DELETE CASCADE,
				PRIMARY KEY (user_id, agency_id))`,
			`INSERT INTO complaint_officers (user_id, agency_id) SELECT user_id, agency_id FROM agency_officers`,
		},
	},
	{
		// Staff in-app notifications about complaints (new, routed,
		// assigned, overdue). They store ids only: whether the recipient
		// may still see the complaint is asked again when they are shown.
		Name: "20261202143100", Comment: "create_complaint_notifications",
		Up: []string{
			`CREATE TABLE complaint_notifications (
				id {{id}},
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
				kind VARCHAR(20) NOT NULL,
				created_at {{time}} NOT NULL,
				read_at {{time}})`,
			`CREATE INDEX complaint_notifications_user ON complaint_notifications (user_id, read_at, id)`,
		},
		Down: []string{`DROP TABLE complaint_notifications`},
	},
	{
		// complaint_outbox was written on every change and read by nothing:
		// the citizen's messages go through forum/messaging's outbox and the
		// staff's through complaint_notifications.
		Name: "20261202143200", Comment: "drop_complaint_outbox",
		Up: []string{`DROP TABLE complaint_outbox`},
		Down: []string{
			`CREATE TABLE complaint_outbox (
				id {{id}},
				complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
				kind VARCHAR(30) NOT NULL,
				channel VARCHAR(20) NOT NULL,
				payload {{json}} NOT NULL,
				attempts INTEGER NOT NULL,
				next_at {{time}} NOT NULL,
				sent_at {{time}},
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX complaint_outbox_due ON complaint_outbox (sent_at, next_at)`,
		},
	},
	{
		// Photos a citizen attaches at intake (up to MaxPhotos), stored in
		// the database so any node serves them, metadata stripped.
		Name: "20261202150500", Comment: "create_complaint_photos",
		Up: []string{
			`CREATE TABLE complaint_photos (
				id {{id}},
				complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
				name VARCHAR(255) NOT NULL,
				content_type VARCHAR(40) NOT NULL,
				size BIGINT NOT NULL,
				width INTEGER NOT NULL,
				height INTEGER NOT NULL,
				sha256 VARCHAR(64) NOT NULL,
				created_at {{time}} NOT NULL,
				data {{blob}} NOT NULL)`,
			`CREATE INDEX complaint_photos_complaint ON complaint_photos (complaint_id, id)`,
		},
		Down: []string{`DROP TABLE complaint_photos`},
	},
	{
		// The live dashboards read MAX(updated_at) every second while one
		// is open (web's dashboard watcher); the index answers it from its
		// last entry instead of a scan of every complaint.
		Name: "20261202151700", Comment: "complaints_updated_index",
		Up:   []string{`CREATE INDEX complaints_updated ON complaints (updated_at)`},
		Down: []string{`DROP INDEX complaints_updated`},
	},
	{
		// The content hash of a keyed intake: a key replays only for the
		// same sender (scoped into idem_key) and the same content.
		Name: "20261202161000", Comment: "complaints_idem_hash",
		Up:   []string{`ALTER TABLE complaints ADD COLUMN idem_hash VARCHAR(64) NOT NULL DEFAULT ''`},
		Down: []string{`ALTER TABLE complaints DROP COLUMN idem_hash`},
	},
	searchMigration,
	{
		// The IKM unit an agency's complaint ratings count for, chosen by an
		// admin instead of matched by name. No foreign key: ikm_units belongs
		// to polls, migrated after this package; RatingsOf joins on it.
		Name: "20261203073000", Comment: "complaint_agencies_ikm_unit",
		Up:   []string{`ALTER TABLE complaint_agencies ADD COLUMN ikm_unit_id BIGINT`},
		Down: []string{`ALTER TABLE complaint_agencies DROP COLUMN ikm_unit_id`},
	},
	{
		// Complaints stopped naming their signed-in reporter as a search
		// reader (forum.ComplaintSearchAudience: searchable by staff only):
		// every complaint is enqueued once so each node re-reads its
		// document with the new readers.
		Name: "20261203080000", Comment: "complaints_search_staff_only",
		Up: []string{`INSERT INTO search_outbox (doc_id) SELECT 'complaint:' || id FROM complaints`},
	},
	ikmBackfill,
	{
		// An assisted entry (forum.Assistance): the officer, when, and
		// the consent text version; assisted_at is NULL for self-service.
		Name: "20261203100000", Comment: "complaints_assisted",
		Up: []string{`ALTER TABLE complaints ADD COLUMN assisted_by BIGINT REFERENCES users (id) ON DELETE SET NULL`,
			`ALTER TABLE complaints ADD COLUMN assisted_at {{time}}`,
			`ALTER TABLE complaints ADD COLUMN assist_consent VARCHAR(40) NOT NULL DEFAULT ''`},
		Down: []string{`ALTER TABLE complaints DROP COLUMN assist_consent`, `ALTER TABLE complaints DROP COLUMN assisted_at`,
			`ALTER TABLE complaints DROP COLUMN assisted_by`},
	},
	{
		// An agency's short code and public contact, and when an admin
		// deactivated it (NULL: active); see Store.CreateAgency.
		Name: "20261203110000", Comment: "complaint_agencies_code_contact_active",
		Up: []string{`ALTER TABLE complaint_agencies ADD COLUMN code VARCHAR(40) NOT NULL DEFAULT ''`,
			`ALTER TABLE complaint_agencies ADD COLUMN contact VARCHAR(300) NOT NULL DEFAULT ''`,
			`ALTER TABLE complaint_agencies ADD COLUMN deactivated_at {{time}}`},
		Down: []string{`ALTER TABLE complaint_agencies DROP COLUMN deactivated_at`, `ALTER TABLE complaint_agencies DROP COLUMN contact`,
			`ALTER TABLE complaint_agencies DROP COLUMN code`},
	},
}

// ikmBackfill links each agency without an IKM unit to the unit whose name
// is its own, compared without regard to case or surrounding spaces, when
// exactly one unit has that name; the others stay unset for an admin to
// pick on the agency page. Installations upgrading from the name match
// (before agencies carried the link) keep counting their ratings. A fresh
// database has no ikm_units yet (polls migrates after this package) and
// no agencies: nothing to link.
var ikmBackfill = storage.Migration{
	Name: "20261203081000", Comment: "complaint_agencies_ikm_unit_by_name",
	Data: func(ctx context.Context, tx bun.Tx) error {
		q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'ikm_units'`
		if storage.Postgres(tx) {
			q = `SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = 'ikm_units' AND schemaname = current_schema()`
		}
		var n int
		if err := tx.NewRaw(q).Scan(ctx, &n); err != nil {
			return fmt.Errorf("complaint: look for ikm_units: %w", err)
		}
		if n == 0 {
			return nil
		}
		const same = `FROM ikm_units AS u WHERE LOWER(TRIM(u.name)) = LOWER(TRIM(complaint_agencies.name))`
		_, err := tx.ExecContext(ctx, `UPDATE complaint_agencies SET ikm_unit_id = (SELECT MIN(u.id) `+same+`)
			WHERE ikm_unit_id IS NULL AND (SELECT COUNT(*) `+same+`) = 1`)
		if err != nil {
			return fmt.Errorf("complaint: link agencies to IKM units by name: %w", err)
		}
		return nil
	},
}

// searchMigration creates the search outbox trigger on complaints: every
// workflow step moves updated_at (routing and forwarding included), so a
// complaint's document is re-read in the writing transaction of each
// change of its text, status, topic, reporter or agencies.
var searchMigration = func() storage.Migration {
	m := storage.Migration{Name: "20261203072000", Comment: "search_outbox_triggers_complaints"}
	m.Up, m.Down = search.Triggers(search.Trigger{Table: "complaints", Kind: search.KindComplaint,
		Columns: []string{"body", "status", "topic_id", "reporter_user_id", "confidential", "erased_at", "updated_at"}})
	return m
}()

// Migrate applies the complaint package's unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, "complaint", Migrations)
}
