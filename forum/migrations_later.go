package forum

import "github.com/rembug/rembug/forum/storage"

// laterMigrations extend the consultation with its admin-set details,
// bind invitations to an email, and add follows and notifications. ALTER
// TABLE ... ADD COLUMN with a constant default and DROP COLUMN run on
// SQLite (3.35 and later) and PostgreSQL alike.
var laterMigrations = []storage.Migration{
	{
		Name: "20261129060000", Comment: "consultation_details_invite_email",
		Up: []string{
			`ALTER TABLE consultations ADD COLUMN summary TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE consultations ADD COLUMN organizer TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE consultations ADD COLUMN region TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE consultations ADD COLUMN topics TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE focus_group_invites ADD COLUMN email VARCHAR(320) NOT NULL DEFAULT ''`,
		},
		Down: []string{
			`ALTER TABLE focus_group_invites DROP COLUMN email`,
			`ALTER TABLE consultations DROP COLUMN topics`,
			`ALTER TABLE consultations DROP COLUMN region`,
			`ALTER TABLE consultations DROP COLUMN organizer`,
			`ALTER TABLE consultations DROP COLUMN summary`,
		},
	},
	{
		Name: "20261129060100", Comment: "create_follows_notifications",
		Up: []string{
			`CREATE TABLE follows (
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				target_kind VARCHAR(20) NOT NULL,
				target_id BIGINT NOT NULL,
				created_at {{time}} NOT NULL,
				PRIMARY KEY (user_id, target_kind, target_id))`,
			`CREATE INDEX follows_target ON follows (target_kind, target_id)`,
			`CREATE TABLE notifications (
				id {{id}},
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				kind VARCHAR(20) NOT NULL,
				consultation_id BIGINT NOT NULL,
				proposal_id BIGINT NOT NULL,
				comment_id BIGINT NOT NULL DEFAULT 0,
				created_at {{time}} NOT NULL,
				read_at {{time}})`,
			`CREATE INDEX notifications_user ON notifications (user_id, read_at, id)`,
		},
		Down: []string{`DROP TABLE notifications`, `DROP TABLE follows`},
	},
	{
		// The proposal list orders by (created_at | supports | comments, id)
		// within one space: indexes in exactly that order let both
		// databases read one page from the index instead of sorting the
		// whole consultation (EXPLAIN ANALYZE on PostgreSQL with 10,000
		// proposals: 3.7 ms top-N sort → 0.05 ms index scan).
		Name: "20261129060200", Comment: "proposal_list_order_indexes",
		Up: []string{
			`CREATE INDEX proposals_newest ON proposals (consultation_id, focus_group_id, state, created_at, id)`,
			`CREATE INDEX proposals_by_supports ON proposals (consultation_id, focus_group_id, state, supports, id)`,
			`CREATE INDEX proposals_by_comments ON proposals (consultation_id, focus_group_id, state, comments, id)`,
			`DROP INDEX proposals_list`,
		},
		Down: []string{
			`CREATE INDEX proposals_list ON proposals (consultation_id, focus_group_id, state, created_at)`,
			`DROP INDEX proposals_by_comments`, `DROP INDEX proposals_by_supports`, `DROP INDEX proposals_newest`,
		},
	},
	{
		// Notifications about subjects outside proposals (an evaluation
		// recommendation due soon) go in the same list the notifications
		// page and the unread count read.
		Name: "20261203080000", Comment: "notification_subjects",
		Up: []string{
			`ALTER TABLE notifications ADD COLUMN subject_kind VARCHAR(20) NOT NULL DEFAULT ''`,
			`ALTER TABLE notifications ADD COLUMN subject_id BIGINT NOT NULL DEFAULT 0`,
		},
		Down: []string{`ALTER TABLE notifications DROP COLUMN subject_id`, `ALTER TABLE notifications DROP COLUMN subject_kind`},
	},
	{
		// An assisted proposal (Assistance): recorded by an officer for a
		// citizen at the desk, with the officer, the time and the consent
		// text version; assisted is false for every other proposal.
		Name: "20261203100200", Comment: "proposals_assisted",
		Up: []string{
			`ALTER TABLE proposals ADD COLUMN assisted BOOLEAN NOT NULL DEFAULT FALSE`,
			`ALTER TABLE proposals ADD COLUMN assisted_by BIGINT REFERENCES users (id) ON DELETE SET NULL`,
			`ALTER TABLE proposals ADD COLUMN assisted_at {{time}}`,
			`ALTER TABLE proposals ADD COLUMN assist_consent VARCHAR(40) NOT NULL DEFAULT ''`,
		},
		Down: []string{`ALTER TABLE proposals DROP COLUMN assist_consent`, `ALTER TABLE proposals DROP COLUMN assisted_at`,
			`ALTER TABLE proposals DROP COLUMN assisted_by`, `ALTER TABLE proposals DROP COLUMN assisted`},
	},
	{
		// A guest merged into an account at sign-in is retired: merged_into
		// names the account's participant, and its visitor key moves aside
		// (source "merged") so that the same cookie acts as a fresh guest
		// afterwards. A write still in flight for the retired guest is
		// refused instead of landing beside the account (MergeParticipant).
		Name: "20261204000000", Comment: "participants_merged_into",
		Up:   []string{`ALTER TABLE participants ADD COLUMN merged_into BIGINT`},
		Down: []string{`ALTER TABLE participants DROP COLUMN merged_into`},
	},
	{
		// The language of a consultation's imported content
		// (Consultation.ContentLang), set by the importers; '' until a
		// consultation imported before is imported again.
		Name: "20261204110000", Comment: "consultations_content_lang",
		Up:   []string{`ALTER TABLE consultations ADD COLUMN content_lang VARCHAR(35) NOT NULL DEFAULT ''`},
		Down: []string{`ALTER TABLE consultations DROP COLUMN content_lang`},
	},
	{
		// A cover's card image (CoverThumb), made on first use; NULL until
		// then.
		Name: "20261204120000", Comment: "consultation_files_thumb",
		Up:   []string{`ALTER TABLE consultation_files ADD COLUMN thumb {{blob}}`},
		Down: []string{`ALTER TABLE consultation_files DROP COLUMN thumb`},
	},
	{
		// A proposal's image (ProposalImage) with its card image, one per
		// proposal, gone with the proposal.
		Name: "20261204130000", Comment: "create_proposal_images",
		Up: []string{`CREATE TABLE proposal_images (
				id {{id}},
				proposal_id BIGINT NOT NULL UNIQUE REFERENCES proposals (id) ON DELETE CASCADE,
				name TEXT NOT NULL,
				content_type VARCHAR(100) NOT NULL,
				size BIGINT NOT NULL,
				sha256 VARCHAR(64) NOT NULL,
				width INTEGER NOT NULL,
				height INTEGER NOT NULL,
				alt TEXT NOT NULL,
				created_at {{time}} NOT NULL,
				data {{blob}} NOT NULL,
				thumb {{blob}} NOT NULL)`},
		Down: []string{`DROP TABLE proposal_images`},
	},
}
