package forum

import "github.com/rembug/rembug/forum/storage"

// fileMigrations store a consultation's cover image and documents in the
// database ({{blob}}: BLOB on SQLite, BYTEA on PostgreSQL), so that any
// node serves them and backups hold them. The partial unique index keeps
// one cover per consultation.
var fileMigrations = []storage.Migration{
	{
		Name: "20261129070000", Comment: "create_consultation_files",
		Up: []string{
			`CREATE TABLE consultation_files (
				id {{id}},
				consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
				kind VARCHAR(20) NOT NULL,
				name TEXT NOT NULL,
				content_type VARCHAR(100) NOT NULL,
				size BIGINT NOT NULL,
				sha256 VARCHAR(64) NOT NULL,
				width INTEGER NOT NULL,
				height INTEGER NOT NULL,
				alt TEXT NOT NULL,
				created_at {{time}} NOT NULL,
				data {{blob}} NOT NULL)`,
			`CREATE INDEX consultation_files_list ON consultation_files (consultation_id, kind, id)`,
			`CREATE UNIQUE INDEX consultation_files_cover ON consultation_files (consultation_id) WHERE kind = 'cover'`,
		},
		Down: []string{`DROP TABLE consultation_files`},
	},
}
