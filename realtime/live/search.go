package live

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
)

// Live questions are search documents. live maps its own rows
// (SearchSource) and its migration creates the outbox triggers
// (searchMigration): on live_questions for the indexed columns (text,
// status, answered, upvotes), so asking, moderating, merging, answering
// and every group-committed upvote enqueue the question in the writing
// transaction; and on live_sessions, whose consultation, focus group or
// code change writes a "live_session" notice that the session's questions
// follow. Only approved questions are indexed; visibility follows the
// session's consultation and focus group (forum.SearchVisibility).

// KindSessionNotice is the outbox notice of a changed live session.
const KindSessionNotice = "live_session"

// searchMigration creates the outbox triggers on live_questions and
// live_sessions.
var searchMigration = func() storage.Migration {
	m := storage.Migration{Name: "20261202000400", Comment: "search_outbox_triggers_live"}
	for _, t := range []search.Trigger{
		{Table: "live_questions", Kind: search.KindQuestion, Columns: []string{"session_id", "text", "status", "answered", "upvotes"}},
		{Table: "live_sessions", Kind: KindSessionNotice, Columns: []string{"consultation_id", "focus_group_id", "code"}},
	} {
		up, down := search.Triggers(t)
		m.Up = append(m.Up, up...)
		m.Down = append(m.Down, down...)
	}
	return m
}()

// questionDoc is a live question as its search document needs it.
type questionDoc struct {
	ID             int64     `bun:"id"`
	Text           string    `bun:"text"`
	Status         string    `bun:"status"`
	Answered       bool      `bun:"answered"`
	Upvotes        int       `bun:"upvotes"`
	CreatedAt      time.Time `bun:"created_at"`
	ConsultationID int64     `bun:"consultation_id"`
	GroupID        int64     `bun:"group_id"`
	Code           string    `bun:"code"`
}

// questionRecords reads the questions matching where and maps them.
func questionRecords(ctx context.Context, db bun.IDB, where string, args ...any) ([]search.Record, error) {
	var rows []questionDoc
	if err := db.NewRaw(`SELECT q.id, q.text, q.status, q.answered, q.upvotes, q.created_at, s.consultation_id,
		COALESCE(s.focus_group_id, 0) AS group_id, s.code
		FROM live_questions q JOIN live_sessions s ON s.id = q.session_id WHERE `+where, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("live: read question documents: %w", err)
	}
	return forum.ScopedRecords(ctx, db, rows, func(r questionDoc) int64 { return r.ConsultationID },
		func(r questionDoc, sc forum.SearchScope) search.Record {
			status := "open"
			if r.Answered {
				status = "answered"
			}
			return search.Record{
				Doc: search.Document{
					ID: search.DocID(search.KindQuestion, r.ID), Kind: search.KindQuestion, Title: r.Text,
					ConsultationID: r.ConsultationID, Status: status,
					Visibility: forum.SearchVisibility(r.Status == StatusApproved, sc.Status, r.GroupID),
					Created:    r.CreatedAt.UTC(), Supports: r.Upvotes,
				},
				ConsultationSlug: sc.Slug, SessionCode: r.Code,
			}
		})
}

// SearchSource returns the live questions' document source (following
// their consultation and their session), for search.NewRegistry.
func SearchSource() search.Source {
	ids := func(sql string) func(context.Context, bun.IDB, []int64) ([]int64, error) {
		return func(ctx context.Context, db bun.IDB, in []int64) ([]int64, error) {
			var out []int64
			if err := db.NewRaw(sql, bun.In(in)).Scan(ctx, &out); err != nil {
				return nil, fmt.Errorf("live: questions to refresh: %w", err)
			}
			return out, nil
		}
	}
	return search.Source{
		Kind: search.KindQuestion,
		Load: func(ctx context.Context, db bun.IDB, in []int64) ([]search.Record, error) {
			return questionRecords(ctx, db, "q.id IN (?)", bun.In(in))
		},
		Scan: func(ctx context.Context, db bun.IDB, after int64, limit int) ([]search.Record, error) {
			return questionRecords(ctx, db, "q.id > ? ORDER BY q.id LIMIT ?", after, limit)
		},
		Follows: map[string]func(context.Context, bun.IDB, []int64) ([]int64, error){
			search.KindConsultation: ids(`SELECT q.id FROM live_questions q JOIN live_sessions s ON s.id = q.session_id
				WHERE s.consultation_id IN (?)`),
			KindSessionNotice: ids("SELECT id FROM live_questions WHERE session_id IN (?)"),
		},
	}
}
