package search

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
)

// MigrationSet names search's migrations in the database.
const MigrationSet = "search"

// Migrations create search's one table, search_outbox: the index and
// delete operations written by the transactions that change documents,
// waiting for an Indexer. not_before (Unix milliseconds) holds a failed
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
}}

// Migrate applies Migrations to db.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}

// Operation kinds stored in search_outbox.op.
const (
	OpIndex  = "index"
	OpDelete = "delete"
)

// Op is one change for the index: index Doc, or delete the document DocID.
type Op struct {
	Kind  string
	DocID string
	Doc   Document
}

// IndexOp returns the operation that indexes (or replaces) d. Use it for
// every change of a searchable item, including a change of visibility:
// hidden documents are indexed with Visibility "hidden" and never returned.
func IndexOp(d Document) Op { return Op{Kind: OpIndex, DocID: d.ID, Doc: d} }

// DeleteOp returns the operation that removes document id.
func DeleteOp(id string) Op { return Op{Kind: OpDelete, DocID: id} }

// Enqueue writes ops to the outbox through db, which should be the
// caller's transaction so that the outbox commits (or rolls back) with the
// change. It fails with ErrInvalid for an op without a document ID or with
// an unknown kind, before writing anything.
func Enqueue(ctx context.Context, db bun.IDB, ops ...Op) error {
	now := time.Now().UTC()
	for _, op := range ops {
		if op.DocID == "" || (op.Kind != OpIndex && op.Kind != OpDelete) {
			return fmt.Errorf("%w: outbox op %q for document %q", ErrInvalid, op.Kind, op.DocID)
		}
	}
	for _, op := range ops {
		var payload any
		if op.Kind == OpIndex {
			b, err := json.Marshal(op.Doc)
			if err != nil {
				return fmt.Errorf("search: outbox encode %s: %w", op.DocID, err)
			}
			payload = string(b)
		}
		if _, err := db.ExecContext(ctx,
			"INSERT INTO search_outbox (doc_id, op, payload, created_at) VALUES (?, ?, ?, ?)",
			op.DocID, op.Kind, payload, now); err != nil {
			return fmt.Errorf("search: outbox enqueue %s %s: %w", op.Kind, op.DocID, err)
		}
	}
	return nil
}

// outboxRow is one row of search_outbox.
type outboxRow struct {
	ID       int64   `bun:"id"`
	DocID    string  `bun:"doc_id"`
	Op       string  `bun:"op"`
	Payload  *string `bun:"payload"`
	Attempts int     `bun:"attempts"`
}

// Pending returns how many operations wait in the outbox (a health figure).
func Pending(ctx context.Context, db bun.IDB) (int, error) {
	var n int
	if err := db.NewRaw("SELECT COUNT(*) FROM search_outbox").Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("search: count outbox: %w", err)
	}
	return n, nil
}
