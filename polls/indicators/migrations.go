package indicators

import (
	"context"

	"github.com/rembug/rembug/forum/reach"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Migrations are the indicator tables' schema steps, oldest first: what no
// other table records. They reference forum's users, so forum migrates first.
var Migrations = []storage.Migration{
	{
		Name: "20261202100100", Comment: "create_indicator_tables",
		Up: []string{
			`CREATE TABLE indicator_costs (
				id {{id}},
				month VARCHAR(7) NOT NULL,
				category VARCHAR(20) NOT NULL,
				amount BIGINT NOT NULL,
				hours DOUBLE PRECISION NOT NULL,
				note TEXT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX indicator_costs_month ON indicator_costs (month)`,
			`CREATE TABLE indicator_settings (
				name VARCHAR(60) PRIMARY KEY,
				value TEXT NOT NULL)`,
			`CREATE TABLE heartbeats (
				source VARCHAR(200) NOT NULL,
				minute {{time}} NOT NULL,
				probe BOOLEAN NOT NULL,
				ok BOOLEAN NOT NULL,
				requests BIGINT NOT NULL,
				errors BIGINT NOT NULL,
				PRIMARY KEY (source, minute))`,
			`CREATE INDEX heartbeats_minute ON heartbeats (minute)`,
			`CREATE TABLE incidents (
				id {{id}},
				started_at {{time}} NOT NULL,
				ended_at {{time}},
				cause TEXT NOT NULL,
				fix TEXT NOT NULL,
				created_by BIGINT NOT NULL,
				created_at {{time}} NOT NULL)`,
			`CREATE INDEX incidents_started ON incidents (started_at)`,
		},
		Down: []string{`DROP TABLE incidents`, `DROP TABLE heartbeats`, `DROP TABLE indicator_settings`, `DROP TABLE indicator_costs`},
	},
}

// Migrate applies the indicator tables' unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	// The indicators read forum/reach's share_arrivals (the arrivals by
	// share link); its own migrations create it, idempotently.
	if err := reach.Migrate(ctx, db); err != nil {
		return err
	}
	return storage.Migrate(ctx, db, "indicators", Migrations)
}
