package search_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
)

// The outbox tests index "notes", a table of this test owned as a domain
// package owns its tables: its migration creates the outbox triggers
// (search.Triggers) and noteSources maps its rows to proposal documents. A
// note in a hidden topic is hidden; topics have no documents of their own,
// so their trigger writes "topic" change notices that notes follow.

// noteMigrations create notes and topics with their outbox triggers.
func noteMigrations() []storage.Migration {
	notesUp, notesDown := search.Triggers(search.Trigger{Table: "notes", Kind: search.KindProposal,
		Columns: []string{"title", "visibility", "topic_id"}})
	topicsUp, topicsDown := search.Triggers(search.Trigger{Table: "topics", Kind: "topic", Columns: []string{"hidden"}})
	return []storage.Migration{{
		Name: "20260101000100", Comment: "create_notes",
		Up: append([]string{
			`CREATE TABLE topics (id {{id}}, hidden BOOLEAN NOT NULL)`,
			`CREATE TABLE notes (id {{id}}, title TEXT NOT NULL, visibility TEXT NOT NULL DEFAULT 'public',
				topic_id BIGINT NOT NULL DEFAULT 0, views INTEGER NOT NULL DEFAULT 0, created_at {{time}} NOT NULL)`,
		}, append(notesUp, topicsUp...)...),
		Down: append(append(notesDown, topicsDown...), `DROP TABLE notes`, `DROP TABLE topics`),
	}}
}

// newOutboxDB returns a database with the outbox and the notes tables.
func newOutboxDB(tb testing.TB) *bun.DB {
	tb.Helper()
	db := storagetest.NewDB(tb)
	ctx := context.Background()
	if err := search.Migrate(ctx, db); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	if err := storage.Migrate(ctx, db, "notes_test", noteMigrations()); err != nil {
		tb.Fatalf("migrate notes: %v", err)
	}
	return db
}

// noteRow is a note with its topic's state.
type noteRow struct {
	ID          int64     `bun:"id"`
	Title       string    `bun:"title"`
	Visibility  string    `bun:"visibility"`
	TopicHidden bool      `bun:"topic_hidden"`
	CreatedAt   time.Time `bun:"created_at"`
}

const noteSelect = `SELECT n.id, n.title, n.visibility, COALESCE(t.hidden, FALSE) AS topic_hidden, n.created_at
	FROM notes n LEFT JOIN topics t ON t.id = n.topic_id`

func noteRecords(rows []noteRow) []search.Record {
	out := make([]search.Record, len(rows))
	for i, r := range rows {
		vis := r.Visibility
		if r.TopicHidden {
			vis = search.VisibilityHidden
		}
		out[i] = search.Record{Doc: search.Document{ID: search.DocID(search.KindProposal, r.ID), Kind: search.KindProposal,
			Title: r.Title, Visibility: vis, Created: r.CreatedAt, Language: "id"}}
	}
	return out
}

// noteSources is the registry of the notes source.
func noteSources(tb testing.TB) *search.Registry {
	tb.Helper()
	reg, err := search.NewRegistry(search.Source{
		Kind: search.KindProposal,
		Load: func(ctx context.Context, db bun.IDB, ids []int64) ([]search.Record, error) {
			var rows []noteRow
			err := db.NewRaw(noteSelect+" WHERE n.id IN (?)", bun.In(ids)).Scan(ctx, &rows)
			return noteRecords(rows), err
		},
		Scan: func(ctx context.Context, db bun.IDB, after int64, limit int) ([]search.Record, error) {
			var rows []noteRow
			err := db.NewRaw(noteSelect+" WHERE n.id > ? ORDER BY n.id LIMIT ?", after, limit).Scan(ctx, &rows)
			return noteRecords(rows), err
		},
		Follows: map[string]func(context.Context, bun.IDB, []int64) ([]int64, error){
			"topic": func(ctx context.Context, db bun.IDB, ids []int64) ([]int64, error) {
				var out []int64
				err := db.NewRaw("SELECT id FROM notes WHERE topic_id IN (?)", bun.In(ids)).Scan(ctx, &out)
				return out, err
			},
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

// addNote inserts a note and returns its id.
func addNote(tb testing.TB, db bun.IDB, title string, topic int64) int64 {
	tb.Helper()
	var id int64
	if err := db.NewRaw("INSERT INTO notes (title, topic_id, created_at) VALUES (?, ?, ?) RETURNING id",
		title, topic, time.Now().UTC()).Scan(context.Background(), &id); err != nil {
		tb.Fatalf("add note: %v", err)
	}
	return id
}

func mustExec(tb testing.TB, db bun.IDB, sql string) {
	tb.Helper()
	if _, err := db.ExecContext(context.Background(), sql); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}
