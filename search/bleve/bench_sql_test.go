package bleve_test

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rembug/rembug/search"
)

// loadSQLite stores docs in a plain table for the LIKE baseline.
func loadSQLite(ctx context.Context, db *sql.DB, docs []search.Document) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT, body TEXT,
		visibility TEXT, created INTEGER, supports INTEGER)`); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	for _, d := range docs {
		if _, err := stmt.ExecContext(ctx, d.ID, d.Title, d.Body, d.Visibility, d.Created.Unix(), d.Supports); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE INDEX docs_created ON docs (created)"); err != nil {
		return err
	}
	return tx.Commit()
}

// likeSearch is the baseline a search page would run without a search
// engine: every word as LIKE '%word%' over title and body, visibility
// filtered, a COUNT for the total and the newest page of 20.
func likeSearch(ctx context.Context, db *sql.DB, text string) (int, error) {
	where := []string{"visibility IN ('public', 'group:3')"}
	var args []any
	for _, w := range strings.Fields(strings.ToLower(text)) {
		where = append(where, "(title LIKE ? OR body LIKE ?)")
		args = append(args, "%"+w+"%", "%"+w+"%")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM docs WHERE "+cond, args...).Scan(&total); err != nil {
		return 0, err
	}
	rows, err := db.QueryContext(ctx, "SELECT id, title, body FROM docs WHERE "+cond+" ORDER BY created DESC LIMIT 20", args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, title, body string
		if err := rows.Scan(&id, &title, &body); err != nil {
			return 0, err
		}
	}
	return total, rows.Err()
}
