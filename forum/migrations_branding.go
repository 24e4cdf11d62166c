package forum

import "github.com/rembug/rembug/forum/storage"

// brandingMigrations hold the installation's branding (Branding): one row,
// id 1, with the logo's bytes in the database ({{blob}}) so that every node
// serves it and backups hold it.
var brandingMigrations = []storage.Migration{
	{
		Name: "20261202150100", Comment: "create_branding",
		Up: []string{
			`CREATE TABLE branding (
				id BIGINT PRIMARY KEY,
				name TEXT NOT NULL,
				color VARCHAR(7) NOT NULL,
				address TEXT NOT NULL,
				contact TEXT NOT NULL,
				privacy_url TEXT NOT NULL,
				logo_type VARCHAR(40) NOT NULL,
				logo_sha256 VARCHAR(64) NOT NULL,
				logo_width INTEGER NOT NULL,
				logo_height INTEGER NOT NULL,
				updated_at {{time}} NOT NULL,
				logo {{blob}})`,
		},
		Down: []string{`DROP TABLE branding`},
	},
}
