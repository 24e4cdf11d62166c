package sources

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/markup"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
)

// spec is how one kind's rows are read: the table that must exist, the
// SELECT (without WHERE) producing row's columns, the row id column and
// the column holding the consultation id.
type spec struct {
	table, sel, id, cons string
}

// specs are the kinds this package reads, by search kind. Columns a kind
// lacks are constants, so every query fills the same row.
var specs = map[string]spec{
	search.KindConsultation: {table: "consultations", id: "c.id", cons: "c.id", sel: `SELECT c.id, c.id AS consultation_id,
		0 AS group_id, 0 AS proposal_id, c.title, c.description AS body, '' AS topics, 'published' AS state,
		c.status, 0 AS supports, c.created_at, c.slug AS c_slug, c.status AS c_status, '' AS code, '' AS p_title
		FROM consultations c`},
	search.KindStatement: {table: "statements", id: "s.id", cons: "s.consultation_id", sel: `SELECT s.id, s.consultation_id,
		0 AS group_id, 0 AS proposal_id, s.text AS title, '' AS body, '' AS topics,
		CASE WHEN s.hidden THEN 'hidden' ELSE 'published' END AS state, '' AS status,
		s.agree_count AS supports, s.created_at, c.slug AS c_slug, c.status AS c_status, '' AS code, '' AS p_title
		FROM statements s JOIN consultations c ON c.id = s.consultation_id`},
	search.KindProposal: {table: "proposals", id: "p.id", cons: "p.consultation_id", sel: `SELECT p.id, p.consultation_id,
		p.focus_group_id AS group_id, p.id AS proposal_id, p.title, p.body, p.topics, p.state,
		CASE WHEN p.status = '' THEN 'open' ELSE p.status END AS status,
		p.supports, p.created_at, c.slug AS c_slug, c.status AS c_status, '' AS code, '' AS p_title
		FROM proposals p JOIN consultations c ON c.id = p.consultation_id`},
	search.KindComment: {table: "comments", id: "cm.id", cons: "cm.consultation_id", sel: `SELECT cm.id, cm.consultation_id,
		cm.focus_group_id AS group_id, cm.proposal_id, '' AS title, cm.body, '' AS topics,
		CASE WHEN cm.deleted_at IS NOT NULL THEN 'deleted'
			WHEN COALESCE(p.state, 'published') <> 'published' THEN 'hidden' ELSE cm.state END AS state,
		'' AS status, cm.up AS supports, cm.created_at, c.slug AS c_slug, c.status AS c_status, '' AS code, COALESCE(p.title, '') AS p_title
		FROM comments cm JOIN consultations c ON c.id = cm.consultation_id
		LEFT JOIN proposals p ON p.id = cm.proposal_id AND cm.proposal_id <> 0`},
	search.KindQuestion: {table: "live_questions", id: "q.id", cons: "s.consultation_id", sel: `SELECT q.id, s.consultation_id,
		COALESCE(s.focus_group_id, 0) AS group_id, 0 AS proposal_id, q.text AS title, '' AS body, '' AS topics,
		CASE WHEN q.status = 'approved' THEN 'published' ELSE 'hidden' END AS state,
		CASE WHEN q.answered THEN 'answered' ELSE 'open' END AS status,
		q.upvotes AS supports, q.created_at, c.slug AS c_slug, c.status AS c_status, s.code, '' AS p_title
		FROM live_questions q JOIN live_sessions s ON s.id = q.session_id JOIN consultations c ON c.id = s.consultation_id`},
}

// Kinds are the document kinds this package builds, in reindex order.
var Kinds = []string{search.KindConsultation, search.KindStatement, search.KindProposal, search.KindComment, search.KindQuestion}

// hasTable reports whether table exists in db's current schema. Kinds
// whose table is missing (a package not migrated in this deployment) are
// skipped, since a failing query would abort a PostgreSQL transaction.
func hasTable(ctx context.Context, db bun.IDB, table string) (bool, error) {
	var n int
	var err error
	if storage.Postgres(db) {
		err = db.NewRaw("SELECT COUNT(*) FROM (SELECT to_regclass(?) AS t) x WHERE t IS NOT NULL", table).Scan(ctx, &n)
	} else {
		err = db.NewRaw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(ctx, &n)
	}
	if err != nil {
		return false, fmt.Errorf("sources: look for table %s: %w", table, err)
	}
	return n > 0, nil
}

// load returns the records of kind k matching where (a condition over the
// spec's aliases with bun placeholders), in id order, at most limit (0:
// all). A kind whose table is missing has no records.
func load(ctx context.Context, db bun.IDB, k, where string, limit int, args ...any) ([]Record, error) {
	sp, ok := specs[k]
	if !ok {
		return nil, fmt.Errorf("%w: kind %q", search.ErrInvalid, k)
	}
	if ok, err := hasTable(ctx, db, sp.table); err != nil || !ok {
		return nil, err
	}
	q := sp.sel + " WHERE " + where + " ORDER BY " + sp.id
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	var rows []row
	if err := db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("sources: read %s rows: %w", k, err)
	}
	mk := markup.New()
	out := make([]Record, len(rows))
	for i := range rows {
		out[i] = rows[i].record(k, mk)
	}
	return out, nil
}

// Load returns the current records of the documents ids (as made by
// DocID), by document ID; ids that name no row, or an unknown kind, are
// absent from the map. It runs one query per kind present in ids.
func Load(ctx context.Context, db bun.IDB, ids []string) (map[string]Record, error) {
	byKind := map[string][]int64{}
	for _, s := range ids {
		if k, id, ok := ParseDocID(s); ok {
			byKind[k] = append(byKind[k], id)
		}
	}
	out := make(map[string]Record, len(ids))
	for _, k := range Kinds {
		if len(byKind[k]) == 0 {
			continue
		}
		recs, err := load(ctx, db, k, specs[k].id+" IN (?)", 0, bun.In(byKind[k]))
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out[r.Doc.ID] = r
		}
	}
	return out, nil
}
