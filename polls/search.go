package polls

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
)

// Statements are search documents. polls maps its statements rows itself
// (SearchSource) and its migration creates the outbox trigger on them
// (searchMigration), so adding, hiding or restoring a statement and every
// vote that changes its agree count (CastVote, merges, imports) enqueue the
// document in the writing transaction. A statement's visibility follows
// its consultation (forum.SearchVisibility): hidden statements leave the
// index, a draft consultation's are for staff.

// searchMigration creates the outbox trigger on statements.
var searchMigration = func() storage.Migration {
	up, down := search.Triggers(search.Trigger{Table: "statements", Kind: search.KindStatement,
		Columns: []string{"consultation_id", "text", "hidden", "agree_count"}})
	return storage.Migration{Name: "20261202000300", Comment: "search_outbox_trigger_statements", Up: up, Down: down}
}()

// statementDoc is a statement as its search document needs it.
type statementDoc struct {
	ID             int64     `bun:"id"`
	ConsultationID int64     `bun:"consultation_id"`
	Text           string    `bun:"text"`
	Hidden         bool      `bun:"hidden"`
	AgreeCount     int       `bun:"agree_count"`
	CreatedAt      time.Time `bun:"created_at"`
}

// statementRecords reads the statements matching where and maps them.
func statementRecords(ctx context.Context, db bun.IDB, where string, args ...any) ([]search.Record, error) {
	var rows []statementDoc
	if err := db.NewRaw("SELECT id, consultation_id, text, hidden, agree_count, created_at FROM statements WHERE "+where, args...).
		Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("polls: read statement documents: %w", err)
	}
	return forum.ScopedRecords(ctx, db, rows, func(r statementDoc) int64 { return r.ConsultationID },
		func(r statementDoc, sc forum.SearchScope) search.Record {
			return search.Record{
				Doc: search.Document{
					ID: search.DocID(search.KindStatement, r.ID), Kind: search.KindStatement, Title: r.Text,
					ConsultationID: r.ConsultationID, Visibility: forum.SearchVisibility(!r.Hidden, sc.Status, 0),
					Created: r.CreatedAt.UTC(), Supports: r.AgreeCount,
				},
				ConsultationSlug: sc.Slug,
			}
		})
}

// SearchSource returns the statements' document source (following their
// consultation), for search.NewRegistry.
func SearchSource() search.Source {
	return search.Source{
		Kind: search.KindStatement,
		Load: func(ctx context.Context, db bun.IDB, ids []int64) ([]search.Record, error) {
			return statementRecords(ctx, db, "id IN (?)", bun.In(ids))
		},
		Scan: func(ctx context.Context, db bun.IDB, after int64, limit int) ([]search.Record, error) {
			return statementRecords(ctx, db, "id > ? ORDER BY id LIMIT ?", after, limit)
		},
		Follows: map[string]func(context.Context, bun.IDB, []int64) ([]int64, error){
			search.KindConsultation: func(ctx context.Context, db bun.IDB, ids []int64) ([]int64, error) {
				var out []int64
				if err := db.NewRaw("SELECT id FROM statements WHERE consultation_id IN (?)", bun.In(ids)).Scan(ctx, &out); err != nil {
					return nil, fmt.Errorf("polls: statements to refresh: %w", err)
				}
				return out, nil
			},
		},
	}
}
