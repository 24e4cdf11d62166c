package forum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/markup"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
)

// Search documents. forum maps its own rows — consultations, proposals and
// comments — to search documents (SearchSources); cmd registers them with
// the other packages' sources. The outbox is fed by triggers that forum's
// migrations create on those tables (searchTriggers), so every write of an
// indexed column — a Store method, an import, a counter updated in SQL —
// enqueues its document in its own transaction without the writer doing
// anything, and a change of a consultation (made draft, retitled) or a
// proposal (hidden, retitled) reaches the documents inside it through
// search.Source.Follows when the indexer applies it.
//
// A document's visibility is the index form of Can's read rule (SearchVisibility):
// content that is not published (pending, hidden, deleted, a comment on a
// hidden proposal) is "hidden" and leaves the index; anything in a draft
// consultation is "staff"; focus-group content is "group:<id>"; the rest
// is "public".

// searchTriggers are the outbox triggers on forum's indexed tables: the
// columns that feed a document or decide its visibility.
var searchTriggers = []search.Trigger{
	{Table: "consultations", Kind: search.KindConsultation, Columns: []string{"slug", "title", "description", "status"}},
	{Table: "proposals", Kind: search.KindProposal, Columns: []string{
		"consultation_id", "focus_group_id", "title", "body", "topics", "state", "status", "supports"}},
	{Table: "comments", Kind: search.KindComment, Columns: []string{
		"consultation_id", "proposal_id", "focus_group_id", "body", "state", "up", "deleted_at"}},
}

// searchMigration creates searchTriggers.
var searchMigration = func() storage.Migration {
	m := storage.Migration{Name: "20261202000200", Comment: "search_outbox_triggers"}
	for _, t := range searchTriggers {
		up, down := search.Triggers(t)
		m.Up = append(m.Up, up...)
		m.Down = append(m.Down, down...)
	}
	return m
}()

// SearchVisibility returns the visibility of a document (search.Document)
// whose row is published or not, in a consultation with status consStatus,
// in focus group groupID (0 for none): the index form of Can's read rule.
func SearchVisibility(published bool, consStatus string, groupID int64) string {
	switch {
	case !published:
		return search.VisibilityHidden
	case consStatus == StatusDraft:
		return search.VisibilityStaff
	case groupID != 0:
		return search.GroupVisibility(groupID)
	}
	return search.VisibilityPublic
}

// SearchScope is what a document needs of its consultation: its slug (for
// links) and its status (for visibility).
type SearchScope struct {
	Slug   string `bun:"slug"`
	Status string `bun:"status"`
}

// SearchScopes returns the scope of consultations ids, by id; ids with no
// consultation are absent. Other packages' sources (statements, live
// questions) use it instead of reading the consultations table.
func SearchScopes(ctx context.Context, db bun.IDB, ids []int64) (map[int64]SearchScope, error) {
	out := map[int64]SearchScope{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID int64 `bun:"id"`
		SearchScope
	}
	if err := db.NewRaw("SELECT id, slug, status FROM consultations WHERE id IN (?)", bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("forum: consultation scopes: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.SearchScope
	}
	return out, nil
}

// ScopedRecords maps rows of another package's documents (statements, live
// questions) to search records with their consultation's scope, read in one
// query (SearchScopes): consultation gives a row's consultation id, record
// builds its record. Rows whose consultation no longer exists are left out.
func ScopedRecords[T any](ctx context.Context, db bun.IDB, rows []T, consultation func(T) int64,
	record func(T, SearchScope) search.Record) ([]search.Record, error) {
	cons := make([]int64, 0, len(rows))
	for _, r := range rows {
		cons = append(cons, consultation(r))
	}
	scopes, err := SearchScopes(ctx, db, cons)
	if err != nil {
		return nil, err
	}
	out := make([]search.Record, 0, len(rows))
	for _, r := range rows {
		if sc, ok := scopes[consultation(r)]; ok {
			out = append(out, record(r, sc))
		}
	}
	return out, nil
}

// searchRow is the common shape of forum's document queries.
type searchRow struct {
	ID             int64     `bun:"id"`
	ConsultationID int64     `bun:"consultation_id"`
	GroupID        int64     `bun:"group_id"`
	ProposalID     int64     `bun:"proposal_id"`
	Title          string    `bun:"title"`
	Body           string    `bun:"body"`
	Topics         string    `bun:"topics"`
	State          string    `bun:"state"`
	Status         string    `bun:"status"`
	Supports       int       `bun:"supports"`
	CreatedAt      time.Time `bun:"created_at"`
	Slug           string    `bun:"c_slug"`
	ConsStatus     string    `bun:"c_status"`
	ProposalTitle  string    `bun:"p_title"`
}

// searchSelects are forum's document queries by kind (without WHERE, id
// column aliased x.id).
var searchSelects = map[string]string{
	search.KindConsultation: `SELECT x.id, x.id AS consultation_id, 0 AS group_id, 0 AS proposal_id, x.title,
		x.description AS body, '' AS topics, 'published' AS state, x.status, 0 AS supports, x.created_at,
		x.slug AS c_slug, x.status AS c_status, '' AS p_title
		FROM consultations x`,
	search.KindProposal: `SELECT x.id, x.consultation_id, x.focus_group_id AS group_id, x.id AS proposal_id, x.title,
		x.body, x.topics, x.state, CASE WHEN x.status = '' THEN 'open' ELSE x.status END AS status,
		x.supports, x.created_at, c.slug AS c_slug, c.status AS c_status, '' AS p_title
		FROM proposals x JOIN consultations c ON c.id = x.consultation_id`,
	search.KindComment: `SELECT x.id, x.consultation_id, x.focus_group_id AS group_id, x.proposal_id, '' AS title, x.body,
		'' AS topics,
		CASE WHEN x.deleted_at IS NOT NULL THEN 'deleted'
			WHEN COALESCE(p.state, 'published') <> 'published' THEN 'hidden' ELSE x.state END AS state,
		'' AS status, x.up AS supports, x.created_at, c.slug AS c_slug, c.status AS c_status,
		COALESCE(p.title, '') AS p_title
		FROM comments x JOIN consultations c ON c.id = x.consultation_id
		LEFT JOIN proposals p ON p.id = x.proposal_id AND x.proposal_id <> 0`,
}

// searchRecords runs kind k's query with where and maps the rows.
func searchRecords(ctx context.Context, db bun.IDB, k, where string, args ...any) ([]search.Record, error) {
	var rows []searchRow
	if err := db.NewRaw(searchSelects[k]+" WHERE "+where, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("forum: read %s documents: %w", k, err)
	}
	mk := markup.New()
	out := make([]search.Record, len(rows))
	for i := range rows {
		out[i] = rows[i].record(k, mk)
	}
	return out, nil
}

// record maps r, a row of kind k. Markdown bodies are indexed as the plain
// text a reader sees (markup.Renderer.Text), so that snippets show neither
// markdown nor dropped raw HTML nor link URLs.
func (r *searchRow) record(k string, mk *markup.Renderer) search.Record {
	body := r.Body
	if body != "" {
		body = mk.Text(body)
	}
	var topics []string
	if r.Topics != "" {
		topics = strings.FieldsFunc(r.Topics, func(c rune) bool { return c == '|' })
	}
	return search.Record{
		Doc: search.Document{
			ID: search.DocID(k, r.ID), Kind: k, Title: r.Title, Body: body, Topics: topics,
			ConsultationID: r.ConsultationID, Status: r.Status,
			Visibility: SearchVisibility(r.State == StatePublished, r.ConsStatus, r.GroupID),
			Created:    r.CreatedAt.UTC(), Supports: r.Supports,
		},
		ConsultationSlug: r.Slug, ProposalID: r.ProposalID, ProposalTitle: r.ProposalTitle,
	}
}

// SearchSources returns forum's document sources: consultations, proposals
// (following their consultation) and comments (following their
// consultation and their proposal), for search.NewRegistry.
func SearchSources() []search.Source {
	source := func(k string) search.Source {
		return search.Source{
			Kind: k,
			Load: func(ctx context.Context, db bun.IDB, ids []int64) ([]search.Record, error) {
				return searchRecords(ctx, db, k, "x.id IN (?)", bun.In(ids))
			},
			Scan: func(ctx context.Context, db bun.IDB, after int64, limit int) ([]search.Record, error) {
				return searchRecords(ctx, db, k, "x.id > ? ORDER BY x.id LIMIT ?", after, limit)
			},
		}
	}
	ids := func(sql string) func(context.Context, bun.IDB, []int64) ([]int64, error) {
		return func(ctx context.Context, db bun.IDB, in []int64) ([]int64, error) {
			var out []int64
			if err := db.NewRaw(sql, bun.In(in)).Scan(ctx, &out); err != nil {
				return nil, fmt.Errorf("forum: documents to refresh: %w", err)
			}
			return out, nil
		}
	}
	consultations, proposals, comments := source(search.KindConsultation), source(search.KindProposal), source(search.KindComment)
	proposals.Follows = map[string]func(context.Context, bun.IDB, []int64) ([]int64, error){
		search.KindConsultation: ids("SELECT id FROM proposals WHERE consultation_id IN (?)"),
	}
	comments.Follows = map[string]func(context.Context, bun.IDB, []int64) ([]int64, error){
		search.KindConsultation: ids("SELECT id FROM comments WHERE consultation_id IN (?)"),
		search.KindProposal:     ids("SELECT id FROM comments WHERE proposal_id IN (?)"),
	}
	return []search.Source{consultations, proposals, comments}
}
