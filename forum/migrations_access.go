package forum

import "github.com/rembug/rembug/forum/storage"

// accessMigrations scope blocks to a consultation: a consultation's
// moderator blocks a participant there only (consultation_id), an admin
// may block site-wide (consultation_id 0). Blocks made before were
// site-wide and stay so. SQLite cannot change a primary key in place, so
// the table is copied.
var accessMigrations = []storage.Migration{
	{
		Name: "20261202080000", Comment: "scope_blocks_to_consultation",
		Up: []string{
			`CREATE TABLE blocks_scoped (
				participant_id BIGINT NOT NULL REFERENCES participants (id),
				consultation_id BIGINT NOT NULL,
				reason TEXT NOT NULL,
				blocked_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL,
				PRIMARY KEY (participant_id, consultation_id))`,
			`INSERT INTO blocks_scoped (participant_id, consultation_id, reason, blocked_by, created_at)
				SELECT participant_id, 0, reason, blocked_by, created_at FROM blocks`,
			`DROP TABLE blocks`,
			`ALTER TABLE blocks_scoped RENAME TO blocks`,
		},
		Down: []string{
			`CREATE TABLE blocks_site (
				participant_id BIGINT PRIMARY KEY REFERENCES participants (id),
				reason TEXT NOT NULL,
				blocked_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`INSERT INTO blocks_site (participant_id, reason, blocked_by, created_at)
				SELECT participant_id, reason, blocked_by, created_at FROM blocks WHERE consultation_id = 0`,
			`DROP TABLE blocks`,
			`ALTER TABLE blocks_site RENAME TO blocks`,
		},
	},
	{
		// The officer role scoped to agencies is part of the viewer's rights
		// (LoadViewer), so forum owns it; the agencies themselves are the
		// complaint package's (complaint_agencies). complaint's own step
		// copies its older complaint_officers rows here.
		Name: "20261202110000", Comment: "create_agency_officers",
		Up: []string{
			`CREATE TABLE agency_officers (
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				agency_id BIGINT NOT NULL,
				PRIMARY KEY (user_id, agency_id))`,
		},
		Down: []string{`DROP TABLE agency_officers`},
	},
}
