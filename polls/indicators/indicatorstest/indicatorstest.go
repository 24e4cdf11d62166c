// Package indicatorstest holds the service indicators' benchmark data, one
// set-up for the computation benchmark (polls/indicators) and the API
// benchmark (web). Only test files import it: it writes fixtures without
// a Store, a transaction of a write's own or audit rows.
package indicatorstest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// Consultations, Participants and Statements size SeedVotes: three
// consultations of 17, 17 and 16 statements (50 in all), every one of
// 2,000 participants voting on each, 100,000 statement votes.
const (
	Consultations = 3
	Participants  = 2000
	Statements    = 50
)

// SeedVotes records the benchmarks' synthetic actions in db, whose schema
// forum and polls have migrated: Consultations open consultations
// (slugs bench-1…), Statements statements spread over them in turn, and
// Participants guest participants each voting on every statement, three
// minutes apart from start (so the votes cover about 208 days). It
// returns the number of votes written (Participants × Statements).
func SeedVotes(tb testing.TB, db *bun.DB, start time.Time) int {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // committed below
	cids := make([]int64, Consultations)
	for i := range cids {
		slug := fmt.Sprint("bench-", i+1)
		if err := tx.NewRaw(`INSERT INTO consultations (slug, title, description, status, source, source_key, source_url, created_at, updated_at)
			VALUES (?, ?, '', 'open', '', '', '', ?, ?) RETURNING id`, slug, slug, start, start).Scan(ctx, &cids[i]); err != nil {
			tb.Fatal(err)
		}
	}
	stmts := make([]int64, Statements)
	for i := range stmts {
		if err := tx.NewRaw(`INSERT INTO statements (consultation_id, source_key, author_id, text, hidden, created_at)
			VALUES (?, ?, NULL, 's', FALSE, ?) RETURNING id`, cids[i%Consultations], fmt.Sprint("s", i), start).Scan(ctx, &stmts[i]); err != nil {
			tb.Fatal(err)
		}
	}
	for p := range Participants {
		var pid int64
		if err := tx.NewRaw(`INSERT INTO participants (public_id, kind, source, source_key, display_name, created_at)
			VALUES (?, 'guest', 'bench', ?, '', ?) RETURNING id`, fmt.Sprint("b", p), fmt.Sprint(p), start).Scan(ctx, &pid); err != nil {
			tb.Fatal(err)
		}
		for i, s := range stmts {
			at := start.Add(time.Duration(p*Statements+i) * 3 * time.Minute)
			if _, err := tx.NewRaw(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`, s, pid, at).Exec(ctx); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return Participants * Statements
}
