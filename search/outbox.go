package search

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
)

// MigrationSet names search's migrations in the database.
const MigrationSet = "search"

// Migrations create search's one table, search_outbox: the IDs of the
// documents (or change notices, see Source.Follows) that a transaction
// changed, written by the owners' triggers (Triggers) in that transaction
// and waiting for an Indexer, which reads each document's current state
// when it applies the row. not_before (Unix milliseconds) holds a failed
// row back until its retry time.
var Migrations = []storage.Migration{{
	Name:    "20261201000100",
	Comment: "create_search_outbox",
	Up: []string{
		`CREATE TABLE search_outbox (
			id {{id}},
			doc_id TEXT NOT NULL,
			op TEXT NOT NULL CHECK (op IN ('index', 'delete')),
			payload {{json}},
			created_at {{time}} NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			not_before BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE INDEX search_outbox_doc ON search_outbox (doc_id, id)`,
		`CREATE INDEX search_outbox_ready ON search_outbox (not_before, id)`,
	},
	Down: []string{`DROP TABLE search_outbox`},
}, {
	// The outbox names changed documents instead of carrying their
	// contents: the indexer loads the current state, so a row written by a
	// database trigger is enough. Waiting rows are kept as names.
	Name:    "20261202000100",
	Comment: "outbox_of_changed_documents",
	Up: []string{
		`CREATE TABLE search_outbox_next (
			id {{id}},
			doc_id TEXT NOT NULL,
			created_at {{time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
			attempts INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			not_before BIGINT NOT NULL DEFAULT 0
		)`,
		`INSERT INTO search_outbox_next (doc_id, created_at) SELECT doc_id, created_at FROM search_outbox ORDER BY id`,
		`DROP TABLE search_outbox`,
		`ALTER TABLE search_outbox_next RENAME TO search_outbox`,
		`CREATE INDEX search_outbox_doc ON search_outbox (doc_id, id)`,
		`CREATE INDEX search_outbox_ready ON search_outbox (not_before, id)`,
	},
	Down: []string{
		`DELETE FROM search_outbox`,
		`ALTER TABLE search_outbox ADD COLUMN op TEXT NOT NULL DEFAULT 'delete'`,
		`ALTER TABLE search_outbox ADD COLUMN payload {{json}}`,
	},
}, {
	// Per-node engines (Bleve) read the outbox as a log, each node with
	// its own cursor (cursor.go); search_pruned remembers how far the log
	// was cut, so that a node behind it knows to reindex.
	Name:    "20261202160100",
	Comment: "outbox_cursors_per_node",
	Up: []string{
		`CREATE TABLE search_cursors (
			node TEXT PRIMARY KEY,
			last_id BIGINT NOT NULL,
			seen_at {{time}} NOT NULL
		)`,
		`CREATE TABLE search_pruned (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			through BIGINT NOT NULL
		)`,
		`INSERT INTO search_pruned (id, through) VALUES (1, 0)`,
	},
	Down: []string{`DROP TABLE search_pruned`, `DROP TABLE search_cursors`},
}}

// Migrate applies Migrations to db. The packages whose triggers write to
// the outbox run it before their own migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}

// Enqueue writes the document IDs ids (as made by DocID) to the outbox
// through db, so the indexer reads them again: for a repair of stale hits
// (Registry.Check) or a change that no trigger sees. Writes of indexed
// columns need no call: the owners' triggers enqueue them (Triggers). It
// fails with ErrInvalid for an ID that DocID did not make, before writing
// anything.
func Enqueue(ctx context.Context, db bun.IDB, ids ...string) error {
	for _, id := range ids {
		if _, _, ok := ParseDocID(id); !ok {
			return fmt.Errorf("%w: outbox document ID %q", ErrInvalid, id)
		}
	}
	now := time.Now().UTC()
	for _, id := range ids {
		if _, err := db.ExecContext(ctx, "INSERT INTO search_outbox (doc_id, created_at) VALUES (?, ?)", id, now); err != nil {
			return fmt.Errorf("search: outbox enqueue %s: %w", id, err)
		}
	}
	return nil
}

// outboxRow is one row of search_outbox.
type outboxRow struct {
	ID       int64  `bun:"id"`
	DocID    string `bun:"doc_id"`
	Attempts int    `bun:"attempts"`
}

// Pending returns how many rows wait in the outbox (a health figure).
func Pending(ctx context.Context, db bun.IDB) (int, error) {
	var n int
	if err := db.NewRaw("SELECT COUNT(*) FROM search_outbox").Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("search: count outbox: %w", err)
	}
	return n, nil
}
